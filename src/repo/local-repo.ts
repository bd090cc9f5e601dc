/**
 * Read-only access to a local clone (bare or not), for the `status` report: open it, resolve
 * branches, and walk the commits of a range. Refs are read with isomorphic-git; objects with
 * our own store, which follows `objects/info/alternates` (clones made with `--shared` or
 * `--reference`), as pick and check do. isomorphic-git does not, and found nothing there.
 */
import fs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import { BackportError, isBackportError } from '../errors.js';
import { GitObjectStore } from './storage/git-object-store.js';
import { CommitQueue } from '../common/commit-queue.js';

export interface LocalRepo {
  gitdir: string;
  /** The objects (packs, loose, alternates), with their parsed commits cached. */
  store: Pick<GitObjectStore, 'readCommit' | 'expandPrefix'>;
}

export interface WalkedCommit {
  oid: string;
  message: string;
  parents: string[];
  /** Committer time, seconds since the epoch. */
  time: number;
}

export function openLocalRepo(dir: string): LocalRepo {
  const dotGit = path.join(dir, '.git');
  let gitdir: string | undefined;
  if (isDir(dotGit)) gitdir = dotGit;
  else if (isFile(dotGit)) {
    // A worktree or submodule: `.git` is a file pointing at the real directory.
    const m = /^gitdir:\s*(.+)$/m.exec(fs.readFileSync(dotGit, 'utf8'));
    if (m?.[1]) gitdir = path.resolve(dir, m[1].trim());
  } else if (isFile(path.join(dir, 'HEAD')) && isDir(path.join(dir, 'objects'))) gitdir = dir;
  if (!gitdir) throw new BackportError('not-a-repository', `${dir} is not a git repository.`, { path: dir });
  // A linked worktree keeps refs and objects in the main repository's directory (`commondir`);
  // its HEAD is left behind on purpose: the default branch is the main worktree's, not the
  // release branch a worktree was made for.
  const common = path.join(gitdir, 'commondir');
  if (isFile(common)) gitdir = path.resolve(gitdir, fs.readFileSync(common, 'utf8').trim());
  return { gitdir, store: new GitObjectStore(gitdir) };
}

/** The default branch: origin's HEAD when the clone knows it, else the checked-out branch. */
export async function defaultBranchOf(repo: LocalRepo): Promise<string> {
  try {
    const ref = await git.resolveRef({ fs, gitdir: repo.gitdir, ref: 'refs/remotes/origin/HEAD', depth: 2 });
    if (ref.startsWith('refs/remotes/origin/')) return ref.slice('refs/remotes/origin/'.length);
  } catch {
    // No origin/HEAD: a repository that was not cloned, or a bare mirror.
  }
  const current = await git.currentBranch({ fs, gitdir: repo.gitdir, fullname: false });
  if (current) return current;
  throw new BackportError(
    'bad-argument',
    'The default branch could not be found; name it with --default-branch.',
  );
}

/** A branch's tip: the local branch, else origin's, else any ref or commit id by that name. */
export async function resolveBranch(repo: LocalRepo, name: string): Promise<string> {
  for (const ref of [`refs/heads/${name}`, `refs/remotes/origin/${name}`, name]) {
    try {
      const oid = await git.resolveRef({ fs, gitdir: repo.gitdir, ref });
      await repo.store.readCommit(oid);
      return oid;
    } catch {
      // try the next spelling
    }
  }
  throw new BackportError('missing-branch', `The branch ${name} does not exist in this repository.`, {
    branch: name,
  });
}

/**
 * The best common ancestors of `a` and `b` (git's `merge-base --all`), sorted: both histories
 * are painted down by commit date until every commit still queued is below a common one; a
 * common ancestor of another common one is dropped. A missing parent (shallow) ends its line.
 */
export async function mergeBases(repo: LocalRepo, a: string, b: string): Promise<string[]> {
  if (a === b) return [a];
  const [ONE, TWO, STALE, RESULT] = [1, 2, 4, 8];
  const flags = new Map<string, number>();
  const queue = new CommitQueue<WalkedCommit>();
  /** Queued commits not yet known to be below a common ancestor: the walk ends at none. */
  let active = 0;
  const enqueue = (c: WalkedCommit) => {
    queue.push(c);
    if (!(flags.get(c.oid)! & STALE)) active++;
  };
  const results: string[] = [];
  const paint = async (oid: string, f: number) => {
    const before = flags.get(oid);
    flags.set(oid, (before ?? 0) | f);
    if (before !== undefined) {
      if (f & STALE && !(before & STALE) && queue.has(oid)) active--;
      return;
    }
    const c = await readCommit(repo, oid);
    if (c) enqueue(c);
  };
  await paint(a, ONE);
  await paint(b, TWO);
  while (active > 0) {
    const c = queue.pop()!;
    if (!(flags.get(c.oid)! & STALE)) active--;
    let f = flags.get(c.oid)! & (ONE | TWO | STALE);
    if ((f & (ONE | TWO)) === (ONE | TWO)) {
      if (!(flags.get(c.oid)! & RESULT)) {
        flags.set(c.oid, flags.get(c.oid)! | RESULT);
        results.push(c.oid);
      }
      f |= STALE;
    }
    for (const p of c.parents) {
      if (((flags.get(p) ?? 0) & f) === f) continue;
      const seen = flags.has(p);
      await paint(p, f);
      // Painted again after it was walked (clock skew): walk it again, so its parents get it too.
      if (seen && !queue.has(p)) {
        const again = await readCommit(repo, p);
        if (again) enqueue(again);
      }
    }
  }
  const found = results.filter((oid) => !(flags.get(oid)! & STALE));
  const bases: string[] = [];
  for (const oid of found) {
    const redundant = [];
    for (const other of found) if (other !== oid) redundant.push(await isAncestor(repo, oid, other));
    if (!redundant.some(Boolean)) bases.push(oid);
  }
  return bases.sort();
}

/** The full id of an abbreviated commit id, or undefined when the repository lacks it. */
export async function expandCommit(repo: LocalRepo, short: string): Promise<string | undefined> {
  const matches = repo.store.expandPrefix(short.toLowerCase());
  if (matches.length !== 1) return undefined;
  // A blob or tree of that id is no commit: the caller treats it as unknown.
  return (await readCommit(repo, matches[0]!).catch(() => undefined)) ? matches[0] : undefined;
}

/**
 * `isAncestor(repo, x, tip)` for many `x` at the cost of one walk: the commits reachable from
 * `tip` here (a shallow repository's walk ends where its history does) are collected on the
 * first question and looked up after. Asked per commit, each question walked the history
 * again: a commit message naming thousands of old commits (`Fixes:` lines) cost thousands of
 * walks of the whole history.
 */
export function ancestorsOf(repo: LocalRepo, tip: string): (oid: string) => Promise<boolean> {
  let reachable: Promise<Set<string>> | undefined;
  return async (oid) => {
    reachable ??= (async () => {
      const seen = new Set<string>([tip]);
      const queue = [tip];
      while (queue.length > 0) {
        const c = await readCommit(repo, queue.pop()!);
        for (const p of c?.parents ?? []) {
          if (seen.has(p)) continue;
          seen.add(p);
          queue.push(p);
        }
      }
      return seen;
    })();
    return (await reachable).has(oid);
  };
}

/** True when `ancestor` is `of` or one of its ancestors (a walk through the commits here). */
export async function isAncestor(repo: LocalRepo, ancestor: string, of: string): Promise<boolean> {
  if (ancestor === of) return true;
  const seen = new Set<string>([of]);
  const queue = [of];
  while (queue.length > 0) {
    const c = await readCommit(repo, queue.pop()!);
    for (const p of c?.parents ?? []) {
      if (p === ancestor) return true;
      if (!seen.has(p)) {
        seen.add(p);
        queue.push(p);
      }
    }
  }
  return false;
}

/**
 * Commits reachable from `tip` but not from any of `exclude` (git's `tip ^exclude…`), newest
 * first. Walks by committer date like git does, and stops once every commit still queued is
 * excluded and a day older than anything kept (room for clock skew) instead of walking the
 * whole history of the excluded side.
 */
export async function walkRange(
  repo: LocalRepo,
  tip: string,
  exclude: readonly string[],
): Promise<WalkedCommit[]> {
  const SKEW = 86_400;
  const seen = new Map<string, WalkedCommit>();
  const excluded = new Set<string>(exclude);
  const queue = new CommitQueue<WalkedCommit>();
  /** Queued commits not excluded: while there are any, the walk goes on. */
  let kept = 0;
  const push = (c: WalkedCommit) => {
    queue.push(c);
    if (!excluded.has(c.oid)) kept++;
  };
  const exclude1 = (oid: string) => {
    if (excluded.has(oid)) return;
    excluded.add(oid);
    if (queue.has(oid)) kept--;
  };
  const enqueue = async (oid: string) => {
    const known = seen.get(oid);
    if (known) return known;
    const c = await readCommit(repo, oid);
    if (c) {
      seen.set(oid, c);
      push(c);
    }
    return c;
  };
  for (const oid of [tip, ...exclude]) await enqueue(oid);
  let oldestKept = Infinity;
  while (queue.size > 0) {
    if (kept === 0 && queue.peek()!.time < oldestKept - SKEW) break;
    const c = queue.pop()!;
    const out = excluded.has(c.oid);
    if (!out) {
      kept--;
      oldestKept = Math.min(oldestKept, c.time);
    }
    for (const p of c.parents) {
      const parent = seen.get(p);
      if (out && parent && !excluded.has(p)) {
        // Reached again from the excluded side: excluded after all, and so are its ancestors.
        exclude1(p);
        if (!queue.has(p)) push(parent);
        continue;
      }
      if (out) exclude1(p);
      await enqueue(p);
    }
  }
  return [...seen.values()].filter((c) => !excluded.has(c.oid)).sort((a, b) => b.time - a.time);
}

async function readCommit(repo: LocalRepo, oid: string): Promise<WalkedCommit | undefined> {
  try {
    const commit = await repo.store.readCommit(oid);
    return { oid, message: commit.message, parents: commit.parents, time: commit.committer.timestamp };
  } catch (err) {
    // A shallow clone ends in commits whose parents are absent: the walk stops there.
    if (isBackportError(err, 'unknown-revision')) return undefined;
    throw err;
  }
}

function isDir(p: string): boolean {
  return fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function isFile(p: string): boolean {
  return fs.statSync(p, { throwIfNoEntry: false })?.isFile() ?? false;
}
