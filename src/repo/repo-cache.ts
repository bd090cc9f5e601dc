import fs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import { GitObjectStore } from './storage/git-object-store.js';

export interface CachedRepository {
  gitdir: string;
  store: GitObjectStore;
}

/**
 * One bare repository per GitHub repository under a cache directory, kept between jobs so
 * later fetches only bring what is new. Callers serialise jobs per repository (see the job
 * queue); this class only names, creates and opens them.
 */
export class RepoCache {
  constructor(readonly root: string) {}

  async open(owner: string, repo: string): Promise<CachedRepository> {
    const gitdir = path.join(this.root, safe(owner), `${safe(repo)}.git`);
    if (!fs.existsSync(path.join(gitdir, 'HEAD'))) {
      await fs.promises.mkdir(gitdir, { recursive: true });
      await git.init({ fs, gitdir, bare: true, defaultBranch: 'main' });
    }
    return { gitdir, store: new GitObjectStore(gitdir) };
  }
}

/** Owner and repository names are [A-Za-z0-9._-]; anything else must not reach the path. */
function safe(name: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name === '.' || name === '..') {
    throw new Error(`not a repository name: ${JSON.stringify(name)}`);
  }
  return name;
}
