/** What the queue needs of a commit: its committer time. */
interface Timed {
  oid: string;
  time: number;
}

/**
 * Commits to walk, newest first, and among commits of the same time the one queued first:
 * the order the history walks had when they sorted their whole queue (a stable sort) before
 * every step, at the cost of a binary heap's O(log n) per step instead of a sort per step.
 */
export class CommitQueue<C extends Timed> {
  private readonly heap: Array<{ commit: C; seq: number }> = [];
  private readonly queued = new Set<string>();
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  has(oid: string): boolean {
    return this.queued.has(oid);
  }

  /** Whether every queued commit passes `test` (in no particular order). */
  every(test: (commit: C) => boolean): boolean {
    return this.heap.every((e) => test(e.commit));
  }

  /** The commit `pop` would return, left in the queue. */
  peek(): C | undefined {
    return this.heap[0]?.commit;
  }

  push(commit: C): void {
    const heap = this.heap;
    heap.push({ commit, seq: this.nextSeq++ });
    this.queued.add(commit.oid);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  pop(): C | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (!top) return undefined;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let first = i;
        if (l < heap.length && before(heap[l]!, heap[first]!)) first = l;
        if (r < heap.length && before(heap[r]!, heap[first]!)) first = r;
        if (first === i) break;
        [heap[i], heap[first]] = [heap[first]!, heap[i]!];
        i = first;
      }
    }
    this.queued.delete(top.commit.oid);
    return top.commit;
  }
}

function before(a: { commit: Timed; seq: number }, b: { commit: Timed; seq: number }): boolean {
  return a.commit.time > b.commit.time || (a.commit.time === b.commit.time && a.seq < b.seq);
}
