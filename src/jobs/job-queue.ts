/**
 * Turns within one process: work for the same key (a repository) never overlaps, while work
 * for different keys runs side by side up to `concurrency`. Every job is durable and takes
 * its turn across instances in the job store (job-store.ts); this queue remains for the one
 * thing that is local to an instance, its git cache: a job and the ledger's missing-fix checks
 * (derived work the ledger recomputes, no job) never use one repository's cache at once.
 * `idle()` lets the demo and the tests wait for all of it.
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
    const previous = this.tails.get(key) ?? Promise.resolve();
    // Job metrics are the durable worker's (job-worker.ts): this queue only gives turns.
    const run = previous.then(async () => {
      await this.acquire();
      try {
        await job();
      } catch (err) {
        this.onError(err, key);
      } finally {
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
