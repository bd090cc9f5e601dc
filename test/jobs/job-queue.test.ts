import { describe, expect, it } from '@jest/globals';
import { JobQueue } from '../../src/jobs/job-queue.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('JobQueue', () => {
  it('never overlaps jobs of one key, runs other keys side by side up to the limit', async () => {
    const queue = new JobQueue(2, () => undefined);
    const log: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const job = (name: string) => async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
      running--;
    };
    void queue.enqueue('a', job('a1'));
    void queue.enqueue('a', job('a2'));
    void queue.enqueue('b', job('b1'));
    void queue.enqueue('c', job('c1'));
    await queue.idle();
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(maxRunning).toBe(2);
    expect(log.filter((l) => l.startsWith('end'))).toHaveLength(4);
  });

  it('reports a failing job and goes on with the next one', async () => {
    const errors: unknown[] = [];
    const queue = new JobQueue(1, (err) => errors.push(err));
    let ran = false;
    void queue.enqueue('a', async () => {
      throw new Error('boom');
    });
    void queue.enqueue('a', async () => {
      ran = true;
    });
    await queue.idle();
    expect(errors).toHaveLength(1);
    expect(ran).toBe(true);
    expect(queue.size).toBe(0);
  });
});
