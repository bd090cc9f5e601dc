import fs from 'node:fs';
import path from 'node:path';
import type IsomorphicGit from 'isomorphic-git';
import { BackportError } from '../errors.js';
import { GitObjectStore } from './storage/git-object-store.js';
import { parseCommit } from './storage/object-format.js';
import { readRef } from './read-ref.js';
import { writeBranch } from './write-branch.js';

export interface LocalRepository {
  /** The git directory (the repository itself when bare; a linked worktree's own one). */
  gitdir: string;
  /** Where refs and objects live: `gitdir`, or the main repository's for a linked worktree. */
  commondir: string;
  store: GitObjectStore;
  /** Resolves a revision (sha, abbreviated sha, branch, tag, HEAD, with ~n and ^n) to a commit id. */
  resolveCommit(rev: string): Promise<string>;
  /** Points a branch at a commit (creating or moving it), like `git branch -f`. */
  setBranch(name: string, oid: string): Promise<void>;
  /**
   * The remote-tracking branches `<remote>/<name>` of the configured remotes, the candidates
   * git's `switch <name>` weighs when no local branch has that name.
   */
  remoteBranchesNamed(name: string): Promise<string[]>;
}

/**
 * isomorphic-git, loaded on first use: it takes a few hundred milliseconds to load, and only
 * looking for a remote-tracking branch of a name (remoteBranchesNamed) needs it.
 */
async function isomorphicGit(): Promise<typeof IsomorphicGit> {
  return (await import('isomorphic-git')).default;
}

/** Opens a repository, bare or not, at `dir` or any folder above it. */
export async function openRepository(dir: string): Promise<LocalRepository> {
  const gitdir = findGitdir(path.resolve(dir));
  const commondir = commonDirOf(gitdir);
  const store = new GitObjectStore(commondir);
  const dirs = { gitdir, commondir };
  return {
    gitdir,
    commondir,
    store,
    resolveCommit: (rev) => resolveCommit(dirs, store, rev),
    setBranch: async (name, oid) => writeBranch(commondir, name, oid),
    remoteBranchesNamed: (name) => remoteBranchesNamed(commondir, name),
  };
}

async function remoteBranchesNamed(gitdir: string, name: string): Promise<string[]> {
  const git = await isomorphicGit();
  const found: string[] = [];
  for (const { remote } of await git.listRemotes({ fs, gitdir })) {
    try {
      await git.resolveRef({ fs, gitdir, ref: `refs/remotes/${remote}/${name}` });
      found.push(`${remote}/${name}`);
    } catch {
      // That remote has no branch of this name.
    }
  }
  return found.sort();
}

function findGitdir(start: string): string {
  if (!fs.existsSync(start)) {
    throw new BackportError('not-a-repository', `${start} does not exist.`, { path: start });
  }
  for (let dir = start; ; dir = path.dirname(dir)) {
    const dotgit = path.join(dir, '.git');
    if (fs.existsSync(dotgit)) {
      if (fs.statSync(dotgit).isDirectory()) return dotgit;
      // A linked worktree or submodule: `.git` is a file naming the real git directory.
      const m = /^gitdir: (.+)$/m.exec(fs.readFileSync(dotgit, 'utf8'));
      if (m) return path.resolve(dir, m[1]!.trim());
    }
    if (isBareRepository(dir)) return dir;
    if (path.dirname(dir) === dir) break;
  }
  throw new BackportError('not-a-repository', `${start} is not a git repository (or inside one).`, {
    path: start,
  });
}

/**
 * A linked worktree's git directory (`.git/worktrees/<name>`) holds its own HEAD and index;
 * its `commondir` file names the main repository's, where refs and objects live.
 */
function commonDirOf(gitdir: string): string {
  let text: string;
  try {
    text = fs.readFileSync(path.join(gitdir, 'commondir'), 'utf8').trim();
  } catch {
    return gitdir;
  }
  return text === '' ? gitdir : path.resolve(gitdir, text);
}

function isBareRepository(dir: string): boolean {
  return (
    fs.existsSync(path.join(dir, 'HEAD')) &&
    fs.existsSync(path.join(dir, 'objects')) &&
    fs.existsSync(path.join(dir, 'refs'))
  );
}

const REV = /^([^~^]+)((?:[~^]\d*|\^\{commit\})*)$/;

interface Dirs {
  gitdir: string;
  commondir: string;
}

async function resolveCommit(dirs: Dirs, store: GitObjectStore, rev: string): Promise<string> {
  const unknown = () =>
    new BackportError(
      'unknown-revision',
      `Unknown revision '${rev}': no commit, branch or tag has that name.`,
      {
        rev,
      },
    );
  const m = REV.exec(rev.trim());
  if (!m) throw unknown();
  const named = await resolveName(dirs, store, m[1] === '@' ? 'HEAD' : m[1]!);
  if (!named) throw unknown();
  let oid: string = await peelToCommit(store, named, rev);
  for (const step of m[2]!.match(/~\d*|\^\{commit\}|\^\d*/g) ?? []) {
    if (step === '^{commit}') continue;
    const n = step.length > 1 ? Number(step.slice(1)) : 1;
    if (step.startsWith('~')) {
      for (let k = 0; k < n; k++) {
        const first: string | undefined = (await store.readCommit(oid)).parents[0];
        if (!first) throw unknown();
        oid = first;
      }
    } else if (n > 0) {
      const parent: string | undefined = (await store.readCommit(oid)).parents[n - 1];
      if (!parent) throw unknown();
      oid = parent;
    }
  }
  return oid;
}

async function resolveName(dirs: Dirs, store: GitObjectStore, name: string): Promise<string | undefined> {
  if (/^[0-9a-f]{40}$/i.test(name)) return name.toLowerCase();
  // HEAD is the worktree's own; every other ref is shared through the common directory.
  const found =
    name === 'HEAD' && dirs.gitdir !== dirs.commondir ? worktreeHead(dirs) : readRef(dirs.commondir, name);
  if (found) return found;
  if (/^[0-9a-f]{4,39}$/i.test(name)) {
    const matches = store.expandPrefix(name.toLowerCase());
    if (matches.length > 1) {
      throw new BackportError('unknown-revision', `The abbreviated id '${name}' is ambiguous.`, {
        rev: name,
      });
    }
    if (matches.length === 1) return matches[0];
  }
  return undefined;
}

/** A linked worktree's HEAD: an id, or a branch of the common directory. */
function worktreeHead(dirs: Dirs): string | undefined {
  const head = fs.readFileSync(path.join(dirs.gitdir, 'HEAD'), 'utf8').trim();
  const target = /^ref:\s*(.+)$/.exec(head)?.[1];
  return target ? readRef(dirs.commondir, target) : /^[0-9a-f]{40}$/.test(head) ? head : undefined;
}

/** Annotated tags point at commits through tag objects; follow them. */
async function peelToCommit(store: GitObjectStore, oid: string, rev: string): Promise<string> {
  for (let depth = 0; depth < 10; depth++) {
    const type = await store.typeOf(oid);
    if (type === undefined) {
      throw new BackportError('unknown-revision', `Unknown revision '${rev}': object ${oid} is missing.`, {
        rev,
      });
    }
    if (type === 'commit') {
      const content = await store.read(oid, 'commit');
      try {
        parseCommit(content);
      } catch {
        throw new BackportError('corrupt-object', `The commit object ${oid} is corrupt.`, { oid });
      }
      return oid;
    }
    if (type !== 'tag') {
      throw new BackportError('unknown-revision', `'${rev}' names a ${type}, not a commit.`, { rev });
    }
    const text = Buffer.from(await store.read(oid, 'tag')).toString('utf8');
    const target = /^object ([0-9a-f]{40})$/m.exec(text)?.[1];
    if (!target) throw new BackportError('corrupt-object', `The tag object ${oid} is corrupt.`, { oid });
    oid = target;
  }
  throw new BackportError('unknown-revision', `'${rev}' is a chain of tags too long to follow.`, { rev });
}
