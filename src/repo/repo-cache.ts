import fs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import { CacheClaims } from './cache-claims.js';
import { consolidatePacks } from './consolidate-packs.js';
import { GitObjectStore } from './storage/git-object-store.js';

export interface CachedRepository {
  gitdir: string;
  store: GitObjectStore;
  /**
   * Closes what the job opened (pack files) and lets the cache evict the repository again.
   * Settles once the cache is back within its budget (never rejects).
   */
  release(): Promise<void>;
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
 * in use, by this process or another sharing the directory (see `CacheClaims`), are deleted,
 * whenever a repository is opened or released. It is only a cache: deleting a repository
 * costs a fetch, never a backport.
 */
export class RepoCache implements RepoOpener {
  private readonly users = new Map<string, number>();
  private readonly lastUse = new Map<string, number>();
  /** Repositories set aside and being deleted by this process. */
  private readonly removing = new Set<string>();
  private removals = 0;
  private clock = 0;
  /** Evictions run one at a time, so two of them never both delete for the same excess. */
  private evictions: Promise<void> = Promise.resolve();
  private readonly claims: CacheClaims;
  private readonly maxBytes: number;
  private readonly maxPacks: number;

  constructor(
    readonly root: string,
    options: RepoCacheOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? DEFAULT_CACHE_MAX_BYTES;
    this.maxPacks = options.maxPacks ?? DEFAULT_MAX_PACKS;
    this.claims = new CacheClaims(root);
  }

  async open(owner: string, repo: string): Promise<CachedRepository> {
    const gitdir = path.join(this.root, safe(owner), `${safe(repo)}.git`);
    // Claimed first: from here on no process evicts it, whatever the steps below wait for.
    await this.claims.locked(() => this.use(gitdir));
    try {
      await this.prepare(gitdir);
      this.lastUse.set(gitdir, ++this.clock);
      await this.evictBeyondBudget();
    } catch (err) {
      this.unuse(gitdir);
      throw err;
    }
    const store = new GitObjectStore(gitdir);
    let released = false;
    return {
      gitdir,
      store,
      release: async () => {
        if (released) return;
        released = true;
        store.close();
        this.unuse(gitdir);
        this.lastUse.set(gitdir, ++this.clock);
        // Also on release: a repository is never evicted while open, so a cache whose one
        // busy repository outgrew the budget would otherwise stay over it until another
        // repository is opened. The job is done by now; a failure to evict costs disk
        // until the next open, which reports it.
        await this.evictBeyondBudget().catch(() => undefined);
      },
    };
  }

  /** Consolidates the packs, or starts the repository afresh if it cannot be used. */
  private async prepare(gitdir: string): Promise<void> {
    // Checked once: a process opening it during the consolidation is not held off (the job
    // queue runs one job per repository across instances; a report might still meet it).
    if (packCount(gitdir) > this.maxPacks && (await this.claims.locked(() => this.soleUser(gitdir)))) {
      // A damaged pack cannot be copied: then the repository goes, and is fetched afresh.
      await consolidatePacks(gitdir).catch(() => this.removeUnlessShared(gitdir));
    }
    if (!fs.existsSync(path.join(gitdir, 'HEAD'))) {
      // A directory without HEAD is what an interrupted delete (in place, as earlier versions
      // evicted) or init left: packs without their .promisor marks, refs to absent commits.
      // Nothing of it is trusted; unless someone else is initialising it right now.
      if (fs.existsSync(gitdir)) await this.removeUnlessShared(gitdir);
      await fs.promises.mkdir(gitdir, { recursive: true });
      await git.init({ fs, gitdir, bare: true, defaultBranch: 'main' });
    }
  }

  private use(gitdir: string): void {
    const users = this.users.get(gitdir) ?? 0;
    if (users === 0) this.claims.claim(claimKey(gitdir));
    this.users.set(gitdir, users + 1);
  }

  private unuse(gitdir: string): void {
    const users = (this.users.get(gitdir) ?? 1) - 1;
    this.users.set(gitdir, users);
    if (users === 0) this.claims.unclaim(claimKey(gitdir));
  }

  /** Whether only one job, of this process, uses the repository. Call under the claims' lock. */
  private soleUser(gitdir: string): boolean {
    return this.users.get(gitdir) === 1 && !this.claims.usedElsewhere(claimKey(gitdir));
  }

  /** Deletes a repository only this job (of this process) uses; it keeps its claim on the name. */
  private async removeUnlessShared(gitdir: string): Promise<void> {
    const aside = await this.claims.locked(() => (this.soleUser(gitdir) ? this.setAside(gitdir) : undefined));
    if (aside) await this.deleteAside(aside);
  }

  /**
   * An opener for one job: everything it opens is released by `end()`, so a job cannot
   * leave pack files open, nor keep a repository from eviction, past its end.
   */
  session(): RepoOpener & { end(): Promise<void> } {
    const opened: CachedRepository[] = [];
    return {
      open: async (owner, repo) => {
        const local = await this.open(owner, repo);
        opened.push(local);
        return local;
      },
      end: async () => {
        await Promise.all(opened.splice(0).map((local) => local.release()));
      },
    };
  }

  /**
   * Deletes least recently used repositories, never one in use here or by another process,
   * until the cache fits its budget.
   */
  private evictBeyondBudget(): Promise<void> {
    const run = this.evictions.then(() => this.evictOnce());
    this.evictions = run.catch(() => undefined);
    return run;
  }

  private async evictOnce(): Promise<void> {
    const repos = cachedRepos(this.root).map((gitdir) => ({
      gitdir,
      bytes: diskUsage(gitdir),
      // Repositories this process has not used yet come from an earlier run: older than all.
      rank: this.lastUse.get(gitdir) ?? -1 / (1 + mtime(gitdir)),
    }));
    let total = repos.reduce((sum, r) => sum + r.bytes, 0);
    for (const r of repos.sort((x, y) => x.rank - y.rank)) {
      if (total <= this.maxBytes) break;
      // Checked and renamed under the claims' lock, with no wait in between: a job of this
      // or another process that opened it meanwhile keeps it.
      const aside = await this.claims.locked(() =>
        this.users.get(r.gitdir) || this.claims.usedElsewhere(claimKey(r.gitdir))
          ? undefined
          : this.setAside(r.gitdir),
      );
      if (!aside) continue;
      await this.deleteAside(aside);
      total -= r.bytes;
    }
    await this.sweep();
  }

  /**
   * A repository leaves its name (one rename) before it is deleted: deleting takes a while,
   * and a repository seen half deleted (HEAD still there, packs or `.promisor` marks gone)
   * would be taken for a usable one by a job opening it meanwhile, or by the next start after
   * a crash. Under its name there is a whole repository or nothing, and what a crash leaves
   * aside is swept later. Synchronous, to be called under the claims' lock.
   */
  private setAside(gitdir: string): string | undefined {
    const aside = path.join(
      this.root,
      EVICTED,
      `${path.basename(path.dirname(gitdir))}+${path.basename(gitdir, '.git')}.${process.pid}.${++this.removals}`,
    );
    try {
      fs.mkdirSync(path.dirname(aside), { recursive: true });
      fs.renameSync(gitdir, aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    this.lastUse.delete(gitdir);
    this.removing.add(aside);
    return aside;
  }

  private async deleteAside(aside: string): Promise<void> {
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

/** What names a repository in the claims: `<owner>+<repo>.git`. */
function claimKey(gitdir: string): string {
  return `${path.basename(path.dirname(gitdir))}+${path.basename(gitdir)}`;
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
