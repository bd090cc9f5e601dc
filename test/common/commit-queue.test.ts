import { describe, expect, it } from '@jest/globals';
import { CommitQueue } from '../../src/common/commit-queue.js';

describe('CommitQueue', () => {
  it('gives the newest first, and commits of one time in the order they were queued', () => {
    const queue = new CommitQueue<{ oid: string; time: number }>();
    const times = [5, 3, 5, 9, 1, 3, 5, 9, 0, 7, 3];
    times.forEach((time, i) => queue.push({ oid: `c${i}`, time }));
    expect(queue.has('c4')).toBe(true);
    expect(queue.peek()?.oid).toBe('c3');
    const order: string[] = [];
    for (let c = queue.pop(); c; c = queue.pop()) order.push(c.oid);
    // What a stable sort by time, newest first, gives.
    const expected = times
      .map((time, i) => ({ oid: `c${i}`, time }))
      .sort((a, b) => b.time - a.time)
      .map((c) => c.oid);
    expect(order).toEqual(expected);
    expect(queue.size).toBe(0);
    expect(queue.has('c4')).toBe(false);
  });

  it('puts a commit queued again after the others of its time', () => {
    const queue = new CommitQueue<{ oid: string; time: number }>();
    queue.push({ oid: 'a', time: 1 });
    queue.push({ oid: 'b', time: 1 });
    const a = queue.pop()!;
    queue.push({ oid: 'c', time: 1 });
    queue.push(a);
    expect([queue.pop()?.oid, queue.pop()?.oid, queue.pop()?.oid]).toEqual(['b', 'c', 'a']);
  });
});
