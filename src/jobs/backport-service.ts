import type { Database } from '../database/database.js';
import { errorForLog } from '../errors.js';
import { RepoCache } from '../repo/repo-cache.js';
import type { Logger } from './backport-request.js';
import { reportGivenUp } from './give-up.js';
import type { JobPorts, RepoConnection } from './job-ports.js';
export type { AcceptedRequest } from './job-request.js';
import { JobQueue } from './job-queue.js';
import type { AcceptedRequest } from './job-request.js';
import { JobStore, type EnqueueResult } from './job-store.js';
import { DEFAULT_JOB_SETTINGS, JobWorker, type JobSettings } from './job-worker.js';
import { Reconciler, type ReconcileCounters } from './reconciler.js';
import { DEFAULT_RECONCILE, type ReconcileSettings } from './reconcile.js';
import type { RunDeps } from './run-backport.js';
import { runJob } from './run-job.js';

export interface ServiceOptions {
  cacheDir: string;
  /** How many repositories this instance works on at once. */
  concurrency: number;
  committer: { name: string; email: string };
  log: Logger;
  /**
   * Where jobs are kept (SQLite or PostgreSQL). Its opener closes it, after stop(): with
   * PostgreSQL the ledger lives in it too.
   */
  database: Database;
  /** GitHub access outside a webhook (resumed jobs, reconciliation). */
  ports: JobPorts;
  jobs?: Partial<JobSettings>;
  /** Reconciliation; `false` switches it off (tests that want to see only what webhooks do). */
  reconcile?: Partial<ReconcileSettings> | false;
  retry?: RunDeps['retry'];
  sleep?: RunDeps['sleep'];
  clock?: RunDeps['clock'];
  now?: () => Date;
  labelPermission?: RunDeps['labelPermission'];
  /** BACKPORT_CACHE_MAX_BYTES: the git cache's disk budget. */
  cacheMaxBytes?: number | undefined;
}

/**
 * The pipeline behind the event layer. Every request (backports, previews, the marker gate,
 * comment commands, the follow-ups of the app's own PRs: job-request.ts) is written to the
 * durable job queue before the webhook is answered, and run by the worker: one job per
 * repository at a time over all instances (its cache and its status comments see one
 * writer), different repositories side by side. Reconciliation queues again what webhooks
 * missed.
 */
export class BackportService {
  /**
   * In-process turns on this instance's git cache: a job and the ledger's missing-fix checks
   * (which read the same cache but are no jobs: the ledger recomputes them) never overlap on
   * one repository. The cache is local to the instance, so a local turn is all it needs;
   * jobs take their turns across instances in the job store.
   */
  readonly queue: JobQueue;
  /** The git cache, shared with the ledger's missing-fix checks (one budget, one eviction). */
  readonly repos: RepoCache;
  readonly worker: JobWorker;
  readonly reconciler: Reconciler | undefined;
  private readonly deps: RunDeps;
  /**
   * The latest webhook's GitHub access per installation and repository: a job of this
   * process uses it (the Action has no other: its token cannot authenticate as the app);
   * a job resumed after a restart or taken over from another instance connects anew.
   */
  private readonly connections = new Map<string, RepoConnection>();

  private constructor(
    private readonly options: ServiceOptions,
    readonly store: JobStore,
  ) {
    const log = options.log;
    this.queue = new JobQueue(options.concurrency, (err, key) =>
      log.error({ repo: key, err: errorForLog(err) }, 'repository work failed'),
    );
    this.repos = new RepoCache(options.cacheDir, { maxBytes: options.cacheMaxBytes });
    this.deps = {
      repos: this.repos,
      committer: options.committer,
      retry: options.retry,
      sleep: options.sleep,
      clock: options.clock,
      log,
      now: options.now ?? (() => new Date()),
      labelPermission: options.labelPermission,
    };
    this.worker = new JobWorker({
      store,
      settings: { ...DEFAULT_JOB_SETTINGS, ...options.jobs },
      concurrency: options.concurrency,
      log,
      run: (job, finalAttempt) =>
        this.exclusive(`${job.request.owner}/${job.request.repo}`, () =>
          this.withRepos(async (deps) => {
            const { owner, repo } = job.request;
            const conn =
              this.connections.get(`${job.installationId}:${owner}/${repo}`) ??
              (await options.ports.connect(job.installationId, owner, repo));
            await runJob(job, conn, { ...deps, accept: (input) => this.accept(input) }, finalAttempt);
          }),
        ),
      reportGivenUp: async (job, err) => {
        const conn = await options.ports.connect(job.installationId, job.request.owner, job.request.repo);
        await reportGivenUp(job, err, conn.access, this.deps);
      },
    });
    this.reconciler =
      options.reconcile === false
        ? undefined
        : new Reconciler({
            store,
            ports: options.ports,
            settings: { ...DEFAULT_RECONCILE, ...options.reconcile },
            accept: (input) => this.accept(input),
            now: this.deps.now,
            log,
          });
  }

  /** Opens the job queue (migrating it), resumes unfinished jobs and starts reconciliation. */
  static async start(options: ServiceOptions): Promise<BackportService> {
    const store = await JobStore.open(options.database);
    const service = new BackportService(options, store);
    const resumed = await store.recoverAbandoned(Date.now());
    if (resumed > 0) options.log.info({ jobs: resumed }, 'resuming jobs a stopped process left running');
    service.worker.start();
    service.reconciler?.start();
    return service;
  }

  /** Writes a request down (the webhook is answered after this resolves) and wakes the worker. */
  async accept(input: AcceptedRequest, connection?: RepoConnection): Promise<EnqueueResult> {
    const { owner, repo } = input.request;
    if (connection) this.connections.set(`${input.installationId}:${owner}/${repo}`, connection);
    const result = await this.store.enqueue(input, Date.now());
    if (result.outcome !== 'duplicate') this.worker.wake();
    return result;
  }

  /** Runs `work` when no other work on `repo` runs in this process. */
  exclusive<T>(repo: string, work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      void this.queue.enqueue(repo, () => work().then(resolve, reject));
    });
  }

  /**
   * Runs `work` with an opener whose repositories are released when the work ends, whatever
   * happens (pack files closed, eviction allowed again).
   */
  private async withRepos(work: (deps: RunDeps) => Promise<void>): Promise<void> {
    const repos = this.repos.session();
    try {
      await work({ ...this.deps, repos });
    } finally {
      await repos.end();
    }
  }

  /** What the worker and reconciliation counted, for metrics. */
  get counters(): { jobs: JobWorker['counters']; reconcile: ReconcileCounters | undefined } {
    return { jobs: this.worker.counters, reconcile: this.reconciler?.counters };
  }

  /** Resolves when no job is queued or running anywhere (due or not), for the demo and the tests. */
  async idle(): Promise<void> {
    for (;;) {
      await this.reconciler?.idle();
      const counts = await this.store.counts();
      await this.queue.idle();
      if (counts.queued + counts.running === 0 && this.worker.active === 0 && this.queue.size === 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /**
   * Graceful stop (SIGTERM, SIGINT): no new job is taken, running ones get up to
   * `deadlineMs` to finish, the rest stay queued for the next start. The database stays open
   * for its opener to close.
   */
  async stop(deadlineMs: number): Promise<{ finished: number; requeued: number }> {
    this.reconciler?.stop();
    return this.worker.stop(deadlineMs);
  }
}
