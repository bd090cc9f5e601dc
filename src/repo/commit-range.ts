import { isBackportError } from '../errors.js';
import type { CommitObject, ObjectStore } from '../pick/object-store.js';

/** A day: how far a commit date may be off (clock skew) before the walk stops trusting it. */
const SKEW = 86_400;

interface Walked {
  commit: CommitObject;
  /** Reachable from an excluded commit (git's UNINTERESTING). */
  excluded: boolean;
  /** Queue order for equal dates: first queued, first out (git's prio_queue is stable). */
  seq: number;
}

/**
 * The commits reachable from `include` and from none of `exclude` (git's `rev-list B ^A`,
 * which is `A..B`), oldest first, in the order `git rev-list --reverse` prints them: a walk
 * by committer date, newest first, reversed. It stops once everything still queued is
 * excluded and a day older than the oldest commit kept, so a long excluded history is not
 * read to its root; a day of slack is more than git's own (five commits), never less.
 */
export async function commitsInRange(
  store: ObjectStore,
  include: readonly string[],
  exclude: readonly string[],
): Promise<CommitObject[]> {
  const seen = new Map<string, Walked>();
  const queue: Walked[] = [];
  let seq = 0;
  const visit = async (oid: string, excluded: boolean, parent = false) => {
    const known = seen.get(oid);
    if (known) {
      if (excluded) markExcluded(seen, known);
      return;
    }
    let commit: CommitObject;
    try {
      commit = await store.readCommit(oid);
    } catch (err) {
      // A shallow clone's oldest commits name parents it does not have: the walk ends there.
      if (parent && isBackportError(err) && err.code === 'unknown-revision') return;
      throw err;
    }
    const walked = { commit, excluded, seq: seq++ };
    seen.set(oid, walked);
    insertByDate(queue, walked);
  };
  for (const oid of exclude) await visit(oid, true);
  for (const oid of include) await visit(oid, false);
  const kept: Walked[] = [];
  let oldestKept = Infinity;
  while (queue.length > 0) {
    const newest = queue[0]!.commit.committer.timestamp;
    if (queue.every((w) => w.excluded) && newest < oldestKept - SKEW) break;
    const next = queue.shift()!;
    if (!next.excluded) {
      kept.push(next);
      oldestKept = Math.min(oldestKept, next.commit.committer.timestamp);
    }
    for (const parent of next.commit.parents) await visit(parent, next.excluded, true);
  }
  return kept
    .filter((w) => !w.excluded)
    .map((w) => w.commit)
    .reverse();
}

/** Marks a commit excluded, and every ancestor of it the walk has already read. */
function markExcluded(seen: Map<string, Walked>, from: Walked): void {
  const stack = [from];
  while (stack.length > 0) {
    const w = stack.pop()!;
    if (w.excluded && w !== from) continue;
    w.excluded = true;
    for (const p of w.commit.parents) {
      const parent = seen.get(p);
      if (parent && !parent.excluded) stack.push(parent);
    }
  }
}

/** Keeps the queue newest first, and first queued first among equal dates. */
function insertByDate(queue: Walked[], w: Walked): void {
  const time = w.commit.committer.timestamp;
  let lo = 0;
  let hi = queue.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (queue[mid]!.commit.committer.timestamp >= time) lo = mid + 1;
    else hi = mid;
  }
  queue.splice(lo, 0, w);
}
