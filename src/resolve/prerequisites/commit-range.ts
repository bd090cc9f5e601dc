import type { CommitObject } from '../../pick/object-store.js';
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
  const queue = new DateQueue();
  for (const oid of new Set([from, target])) {
    const c = await budget.commit(oid);
    if (c) queue.push(c);
  }
  while (queue.size > 0 && budget.ok()) {
    if (flags.get(queue.peek()!.oid) === BOTH && queue.all((c) => flags.get(c.oid) === BOTH)) break;
    const commit = queue.pop()!;
    commits.set(commit.oid, commit);
    const paint = flags.get(commit.oid)!;
    for (const parent of commit.parents) {
      const before = flags.get(parent) ?? 0;
      if ((before | paint) === before) continue;
      flags.set(parent, before | paint);
      const c = await budget.commit(parent);
      if (c) queue.push(c);
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

/** A max-heap of commits by committer date (newest first). */
class DateQueue {
  private readonly heap: CommitObject[] = [];

  get size(): number {
    return this.heap.length;
  }

  peek(): CommitObject | undefined {
    return this.heap[0];
  }

  all(test: (c: CommitObject) => boolean): boolean {
    return this.heap.every(test);
  }

  push(c: CommitObject): void {
    const h = this.heap;
    h.push(c);
    for (let i = h.length - 1; i > 0;) {
      const up = (i - 1) >> 1;
      if (newer(h[up]!, h[i]!)) break;
      [h[up], h[i]] = [h[i]!, h[up]!];
      i = up;
    }
  }

  pop(): CommitObject | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length === 0 || !last) return top;
    h[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < h.length && newer(h[l]!, h[best]!)) best = l;
      if (r < h.length && newer(h[r]!, h[best]!)) best = r;
      if (best === i) break;
      [h[best], h[i]] = [h[i]!, h[best]!];
      i = best;
    }
    return top;
  }
}

function newer(a: CommitObject, b: CommitObject): boolean {
  return a.committer.timestamp >= b.committer.timestamp;
}
