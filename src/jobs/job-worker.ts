import { randomUUID } from 'node:crypto';
import { metrics, secondsSince } from '../common/metrics.js';
import { errorForLog, isBackportError } from '../errors.js';
import type { Logger } from './backport-request.js';
import { isBackportJob, kindOf, type JobRequest } from './job-request.js';
import type { Job, JobStore } from './job-store.js';
import { isTransient } from './transient.js';

export interface JobSettings {
  /** How long a claimed job is an instance's before another may take it over (renewed while it runs). */
  leaseMs: number;
  /** How often the queue is looked at for jobs (other instances' requests, retries coming due). */
  pollMs: number;
  /** Tries per job, the first included, before a transient failure becomes a final "failed" row. */
  maxAttempts: number;
  /** The wait before the first retry; it doubles per try, up to 10 minutes. */
  backoffMs: number;
}

export const DEFAULT_JOB_SETTINGS: JobSettings = {
  leaseMs: 60_000,
  pollMs: 2_000,
  maxAttempts: 5,
  backoffMs: 30_000,
};

/** Claims beyond this without an end (the process died every time) fail the job for good. */
const MAX_CLAIMS = 20;
const MAX_BACKOFF_MS = 600_000;

/** What the worker counts; the metrics module reads it. */
export interface JobCounters {
  claimed: number;
  done: number;
  failed: number;
  retried: number;
  /** Jobs taken over after their lease ran out (their instance died or stalled). */
  takenOver: number;
}

export interface WorkerDeps {
  store: JobStore;
  settings: JobSettings;
  /** How many jobs this instance runs at once. */
  concurrency: number;
  /** Runs one job; `finalAttempt` turns transient failures into final rows. */
  run(job: Job, finalAttempt: boolean): Promise<void>;
  /** After the last try failed without a final row, say so where it can (best effort). */
  reportGivenUp?(job: Job, err: unknown): Promise<void>;
  log: Logger;
  now?: () => number;
}

/**
 * Takes jobs from the durable queue and runs them: up to `concurrency` at once, each under
 * a lease it renews, retrying transient failures with backoff. `stop()` stops taking jobs,
 * lets running ones finish up to a deadline and leaves the rest queued.
 */
export class JobWorker {
  readonly owner = randomUUID();
  readonly counters: JobCounters = { claimed: 0, done: 0, failed: 0, retried: 0, takenOver: 0 };
  private readonly running = new Map<number, Promise<void>>();
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;
  private filling: Promise<void> | undefined;
  private fillAgain = false;
  private readonly now: () => number;

  constructor(private readonly deps: WorkerDeps) {
    this.now = deps.now ?? Date.now;
  }

  start(): void {
    this.timer = setInterval(() => this.wake(), this.deps.settings.pollMs);
    this.timer.unref();
    this.wake();
  }

  /** Looks for jobs now (a request was just written, or a job just ended). */
  wake(): void {
    if (this.stopping) return;
    if (this.filling) {
      this.fillAgain = true;
      return;
    }
    this.filling = this.fill()
      .catch((err: unknown) => this.deps.log.error({ err: errorForLog(err) }, 'could not claim a job'))
      .finally(() => {
        this.filling = undefined;
        if (this.fillAgain) {
          this.fillAgain = false;
          this.wake();
        }
      });
  }

  /** Jobs running on this instance now. */
  get active(): number {
    return this.running.size;
  }

  /**
   * Stops taking jobs and waits up to `deadlineMs` for the running ones; those still
   * running then are put back in the queue for the next start. Resolves with how many.
   */
  async stop(deadlineMs: number): Promise<{ finished: number; requeued: number }> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.filling;
    const jobs = [...this.running.keys()];
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((r) => (timer = setTimeout(r, deadlineMs)));
    await Promise.race([Promise.allSettled(this.running.values()), deadline]);
    clearTimeout(timer);
    const left = [...this.running.keys()];
    const now = this.now();
    for (const id of left) await this.deps.store.requeue(id, this.owner, { runAfter: now, now });
    return { finished: jobs.length - left.length, requeued: left.length };
  }

  private async fill(): Promise<void> {
    const counts = await this.deps.store.counts();
    metrics.jobsQueued.set(counts.queued);
    while (!this.stopping && this.running.size < this.deps.concurrency) {
      const job = await this.deps.store.claim(this.owner, this.now(), this.deps.settings.leaseMs);
      if (!job) return;
      if (this.stopping) {
        await this.deps.store.requeue(job.id, this.owner, { runAfter: this.now(), now: this.now() });
        return;
      }
      this.counters.claimed++;
      if (job.claims > 1) this.counters.takenOver++;
      const run = this.execute(job)
        .catch((err: unknown) =>
          this.deps.log.error({ job: job.id, err: errorForLog(err) }, 'job bookkeeping failed'),
        )
        .finally(() => {
          this.running.delete(job.id);
          this.wake();
        });
      this.running.set(job.id, run);
    }
  }

  private async execute(job: Job): Promise<void> {
    const { store, settings, log } = this.deps;
    const where = {
      job: job.id,
      repo: `${job.request.owner}/${job.request.repo}`,
      pull: job.request.pullNumber,
      kind: kindOf(job.request),
    };
    const renew = setInterval(
      () => {
        void store.renew(job.id, this.owner, this.now() + settings.leaseMs).then(
          (mine) => mine || log.warn(where, 'lost the lease of a running job'),
          (err: unknown) => log.warn({ ...where, err: errorForLog(err) }, 'could not renew a lease'),
        );
      },
      Math.max(10, Math.floor(settings.leaseMs / 3)),
    );
    const finalAttempt = job.attempts + 1 >= settings.maxAttempts || job.claims >= MAX_CLAIMS;
    const start = performance.now();
    metrics.jobsRunning.inc();
    try {
      await this.deps.run(job, finalAttempt);
      await store.finish(job.id, this.owner, 'done', this.now());
      this.counters.done++;
      metrics.jobsCompleted.inc();
    } catch (err) {
      await this.failed(job, err, finalAttempt, where);
    } finally {
      clearInterval(renew);
      metrics.jobsRunning.dec();
      metrics.jobDuration.observe(secondsSince(start));
    }
  }

  private async failed(job: Job, err: unknown, finalAttempt: boolean, where: Record<string, unknown>) {
    const { store, settings, log } = this.deps;
    const said = (err as Error | undefined)?.message ?? String(err);
    if (isTransient(err) && !finalAttempt) {
      const wait = Math.min(MAX_BACKOFF_MS, settings.backoffMs * 2 ** job.attempts);
      const request: JobRequest | undefined =
        isBackportError(err, 'retry-later') && isBackportJob(job.request)
          ? { ...job.request, targets: err.data.targets }
          : undefined;
      await store.requeue(job.id, this.owner, {
        runAfter: this.now() + wait,
        now: this.now(),
        failed: said,
        request,
      });
      this.counters.retried++;
      metrics.jobsRetried.inc();
      log.warn(
        { ...where, attempt: job.attempts + 1, waitMs: wait, err: errorForLog(err) },
        'job will be retried',
      );
      return;
    }
    if (isTransient(err)) await this.deps.reportGivenUp?.(job, err).catch(() => undefined);
    await store.finish(job.id, this.owner, 'failed', this.now(), said);
    this.counters.failed++;
    metrics.jobsFailed.inc();
    log.error({ ...where, err: errorForLog(err) }, 'backport job failed');
  }
}
