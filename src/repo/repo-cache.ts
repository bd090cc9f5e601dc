import fs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import { consolidatePacks } from './consolidate-packs.js';
import { GitObjectStore } from './storage/git-object-store.js';

export interface CachedRepository {
  gitdir: string;
  store: GitObjectStore;
  /** Closes what the job opened (pack files) and lets the cache evict the repository again. */
  release(): void;
}

/** What a job opens repositories through. */
export interface RepoOpener {
  open(owner: string, repo: string): Promise<CachedRepository>;
}

export interface RepoCacheOptions {
  /** Disk budget for all cached repositories; least recently used ones go first. */
  maxBytes?: number;
  /** Packs one repository may gather (each fetch adds one) before they are rewritten as one. */
  maxPacks?: number;
}

export const DEFAULT_CACHE_MAX_BYTES = 10 * 1024 ** 3;
export const DEFAULT_MAX_PACKS = 32;

/**
 * One bare repository per GitHub repository under a cache directory, kept between jobs so
 * later fetches only bring what is new. Callers serialise jobs per repository (see the job
 * queue) and release what they open. The cache stays bounded: a repository whose fetches
 * left more than `maxPacks` packs has them consolidated into one (see `consolidatePacks`;
 * nothing is fetched again), and beyond `maxBytes` the least recently used repositories not
 * in use are deleted. It is only a cache: deleting a repository costs a fetch, never a backport.
 */
export class RepoCache implements RepoOpener {
  private readonly users = new Map<string, number>();
  private readonly lastUse = new Map<string, number>();
  /** Repositories set aside and being deleted by this process. */
  private readonly removing = new Set<string>();
  private removals = 0;
  private clock = 0;
  private readonly maxBytes: number;
  private readonly maxPacks: number;

  constructor(
    readonly root: string,
    options: RepoCacheOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? DEFAULT_CACHE_MAX_BYTES;
    this.maxPacks = options.maxPacks ?? DEFAULT_MAX_PACKS;
  }

  async open(owner: string, repo: string): Promise<CachedRepository> {
    const gitdir = path.join(this.root, safe(owner), `${safe(repo)}.git`);
    if (!this.users.get(gitdir) && packCount(gitdir) > this.maxPacks) {
      // A damaged pack cannot be copied: then the repository goes, and is fetched afresh.
      await consolidatePacks(gitdir).catch(() => (this.users.get(gitdir) ? undefined : this.remove(gitdir)));
    }
    if (!fs.existsSync(path.join(gitdir, 'HEAD'))) {
      // A directory without HEAD is what an interrupted delete (in place, as earlier versions
      // evicted) or init left: packs without their .promisor marks, refs to absent commits.
      // Nothing of it is trusted.
      if (fs.existsSync(gitdir) && !this.users.get(gitdir)) await this.remove(gitdir);
      await fs.promises.mkdir(gitdir, { recursive: true });
      await git.init({ fs, gitdir, bare: true, defaultBranch: 'main' });
    }
    this.users.set(gitdir, (this.users.get(gitdir) ?? 0) + 1);
    this.lastUse.set(gitdir, ++this.clock);
    await this.evictBeyondBudget();
    const store = new GitObjectStore(gitdir);
    let released = false;
    return {
      gitdir,
      store,
      release: () => {
        if (released) return;
        released = true;
        store.close();
        this.users.set(gitdir, (this.users.get(gitdir) ?? 1) - 1);
        this.lastUse.set(gitdir, ++this.clock);
      },
    };
  }

  /**
   * An opener for one job: everything it opens is released by `end()`, so a job cannot
   * leave pack files open, nor keep a repository from eviction, past its end.
   */
  session(): RepoOpener & { end(): void } {
    const opened: CachedRepository[] = [];
    return {
      open: async (owner, repo) => {
        const local = await this.open(owner, repo);
        opened.push(local);
        return local;
      },
      end: () => {
        for (const local of opened.splice(0)) local.release();
      },
    };
  }

  /** Deletes least recently used repositories, never one in use, until the cache fits its budget. */
  private async evictBeyondBudget(): Promise<void> {
    const repos = cachedRepos(this.root).map((gitdir) => ({
      gitdir,
      bytes: diskUsage(gitdir),
      // Repositories this process has not used yet come from an earlier run: older than all.
      rank: this.lastUse.get(gitdir) ?? -1 / (1 + mtime(gitdir)),
    }));
    let total = repos.reduce((sum, r) => sum + r.bytes, 0);
    for (const r of repos.sort((x, y) => x.rank - y.rank)) {
      if (total <= this.maxBytes) break;
      // Checked right before the repository leaves its name, with no wait in between: a job
      // that opened it meanwhile keeps it.
      if (this.users.get(r.gitdir)) continue;
      await this.remove(r.gitdir);
      total -= r.bytes;
    }
    await this.sweep();
  }

  /**
   * Deletes a repository that no job uses. It first leaves its name (one rename), then is
   * deleted: deleting takes a while, and a repository seen half deleted (HEAD still there,
   * packs or `.promisor` marks gone) would be taken for a usable one by a job opening it
   * meanwhile, or by the next start after a crash. Under its name there is a whole
   * repository or nothing, and what a crash leaves aside is swept later.
   */
  private async remove(gitdir: string): Promise<void> {
    const aside = path.join(
      this.root,
      EVICTED,
      `${path.basename(path.dirname(gitdir))}+${path.basename(gitdir, '.git')}.${process.pid}.${++this.removals}`,
    );
    try {
      fs.mkdirSync(path.dirname(aside), { recursive: true });
      fs.renameSync(gitdir, aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    this.lastUse.delete(gitdir);
    this.removing.add(aside);
    // A failure here costs disk until the next sweep, never a job.
    await fs.promises.rm(aside, { recursive: true, force: true }).catch(() => undefined);
    this.removing.delete(aside);
  }

  /** Deletes what earlier evictions left aside (a crash mid-delete), not those under way here. */
  private async sweep(): Promise<void> {
    const dir = path.join(this.root, EVICTED);
    for (const name of readdir(dir)) {
      const aside = path.join(dir, name);
      if (this.removing.has(aside)) continue;
      await fs.promises.rm(aside, { recursive: true, force: true }).catch(() => undefined);
    }
  }
}

/** Where a repository goes while it is deleted: not `<owner>/<repo>.git`, so never opened. */
const EVICTED = '.evicted';

function packCount(gitdir: string): number {
  try {
    return fs.readdirSync(path.join(gitdir, 'objects', 'pack')).filter((f) => f.endsWith('.pack')).length;
  } catch {
    return 0;
  }
}

/** `<root>/<owner>/<repo>.git` directories. */
function cachedRepos(root: string): string[] {
  const out: string[] = [];
  for (const owner of readdir(root)) {
    const dir = path.join(root, owner);
    for (const name of readdir(dir)) if (name.endsWith('.git')) out.push(path.join(dir, name));
  }
  return out;
}

function diskUsage(dir: string): number {
  let bytes = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) bytes += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return bytes;
}

function readdir(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((name) => fs.statSync(path.join(dir, name)).isDirectory());
  } catch {
    return [];
  }
}

function mtime(dir: string): number {
  try {
    return fs.statSync(dir).mtimeMs;
  } catch {
    return 0;
  }
}

/** Owner and repository names are [A-Za-z0-9._-]; anything else must not reach the path. */
function safe(name: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name === '.' || name === '..') {
    throw new Error(`not a repository name: ${JSON.stringify(name)}`);
  }
  return name;
}
