import { metrics, secondsSince } from '../common/metrics.js';

/**
 * Runs jobs so that those for the same key (a repository) never overlap, while jobs for
 * different keys run side by side up to `concurrency`. Webhook handlers enqueue and return
 * at once (GitHub expects an answer within seconds); `idle()` lets the demo and the tests
 * wait until every job has finished.
 */
export class JobQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private running = 0;
  private pending = 0;
  private readonly waiting: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly concurrency: number,
    private readonly onError: (err: unknown, key: string) => void,
  ) {}

  /** Queues `job` behind earlier jobs of the same key. Never rejects. */
  enqueue(key: string, job: () => Promise<void>): Promise<void> {
    this.pending++;
    metrics.jobsQueued.inc();
    const previous = this.tails.get(key) ?? Promise.resolve();
    const run = previous.then(async () => {
      await this.acquire();
      metrics.jobsQueued.dec();
      metrics.jobsRunning.inc();
      const start = performance.now();
      try {
        await job();
        metrics.jobsCompleted.inc();
      } catch (err) {
        metrics.jobsFailed.inc();
        this.onError(err, key);
      } finally {
        metrics.jobsRunning.dec();
        metrics.jobDuration.observe(secondsSince(start));
        this.release();
      }
    });
    const tail = run.finally(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
      this.pending--;
      if (this.pending === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const w of waiters) w();
      }
    });
    this.tails.set(key, tail);
    return tail;
  }

  /** Resolves when no job is queued or running. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get size(): number {
    return this.pending;
  }

  private acquire(): Promise<void> {
    if (this.running < this.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}
