import type { CommitObject } from '../../pick/object-store.js';
import { CommitQueue } from '../../common/commit-queue.js';
import type { WalkBudget } from './walk-budget.js';

const FROM = 1;
const TARGET = 2;
const BOTH = FROM | TARGET;

/** The two sides of a fork, as `git log from ^target` and `git log target ^from` see them. */
export interface CommitRange {
  /** Commits reachable from `from` and not from `target`. */
  fromOnly: Set<string>;
  /** Commits reachable from `target` and not from `from`, newest first (read, with messages). */
  targetOnly: CommitObject[];
}

/**
 * Paints both histories down by commit date, as git's merge-base walk does, and stops once
 * every commit still queued is reachable from both sides: what remains below is common. A
 * commit whose paint grows after it was visited (clock skew) is visited again, so the
 * paint still reaches its ancestors. A missing parent (shallow history) ends that line.
 */
export async function commitRange(from: string, target: string, budget: WalkBudget): Promise<CommitRange> {
  const flags = new Map<string, number>([[from, FROM]]);
  flags.set(target, (flags.get(target) ?? 0) | TARGET);
  const commits = new Map<string, CommitObject>();
  // Newest first by committer date (among equal dates, the one queued first), as the
  // history walks of repo/ order theirs.
  const queue = new CommitQueue<{ oid: string; time: number; commit: CommitObject }>();
  const enqueue = (c: CommitObject) => queue.push({ oid: c.oid, time: c.committer.timestamp, commit: c });
  for (const oid of new Set([from, target])) {
    const c = await budget.commit(oid);
    if (c) enqueue(c);
  }
  while (queue.size > 0 && budget.ok()) {
    if (flags.get(queue.peek()!.oid) === BOTH && queue.every((c) => flags.get(c.oid) === BOTH)) break;
    const { commit } = queue.pop()!;
    commits.set(commit.oid, commit);
    const paint = flags.get(commit.oid)!;
    for (const parent of commit.parents) {
      const before = flags.get(parent) ?? 0;
      if ((before | paint) === before) continue;
      flags.set(parent, before | paint);
      const c = await budget.commit(parent);
      if (c) enqueue(c);
    }
  }
  const fromOnly = new Set<string>();
  const targetOnly: CommitObject[] = [];
  for (const [oid, paint] of flags) {
    if (paint === FROM) fromOnly.add(oid);
    const commit = commits.get(oid);
    if (paint === TARGET && commit) targetOnly.push(commit);
  }
  targetOnly.sort((a, b) => b.committer.timestamp - a.committer.timestamp);
  return { fromOnly, targetOnly };
}
