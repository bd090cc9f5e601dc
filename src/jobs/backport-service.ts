import type { Database } from '../database/database.js';
import { errorForLog } from '../errors.js';
import { RepoCache } from '../repo/repo-cache.js';
import { answerBackportCommand, type BackportCommand, type CommandPorts } from './answer-backport-command.js';
import type { BackportRequest, InstallationAccess, Logger } from './backport-request.js';
import { followBackportPull, type BackportPullEvent } from './follow-backport-pull.js';
import { reportGivenUp } from './give-up.js';
import type { JobPorts, RepoConnection } from './job-ports.js';
export type { AcceptedRequest } from './job-request.js';
import { JobQueue } from './job-queue.js';
import type { AcceptedRequest } from './job-request.js';
import { JobStore, type EnqueueResult } from './job-store.js';
import { runMarkerGate, type MarkerGateRequest } from './marker-gate.js';
import { previewBackport } from './preview-backport.js';
import { answerResolveCommand, type ResolveCommand, type ResolvePorts } from './answer-resolve-command.js';
import { answerWithCommand, type WithCommand } from './answer-with-command.js';
import { settleResolution } from './settle-resolution.js';
import { findDependents, type Dependent } from './retry-dependents.js';
import { DEFAULT_JOB_SETTINGS, JobWorker, type JobSettings } from './job-worker.js';
import { Reconciler, type ReconcileCounters } from './reconciler.js';
import { DEFAULT_RECONCILE, type ReconcileSettings } from './reconcile.js';
import { runBackport, type RunDeps } from './run-backport.js';

export interface ServiceOptions {
  cacheDir: string;
  /** How many repositories this instance works on at once. */
  concurrency: number;
  committer: { name: string; email: string };
  log: Logger;
  /** Where jobs are kept (SQLite or PostgreSQL); the service closes it when stopped. */
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
 * The pipeline behind the event layer. Requests are written to the durable job queue before
 * the webhook is answered, and run by the worker: one job per repository at a time over all
 * instances (its cache and its status comments see one writer), different repositories side
 * by side. Reconciliation queues again what webhooks missed.
 */
export class BackportService {
  /** In-process turns per repository, shared with the ledger's git work on the same cache. */
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
            const config = await conn.readConfig();
            await runBackport({ ...job.request, ...config }, conn.access, { ...deps, finalAttempt });
          }),
        ),
      reportGivenUp: async (job, err) => {
        const conn = await options.ports.connect(job.installationId, job.request.owner, job.request.repo);
        await reportGivenUp(job, err, conn.access, this.deps.now);
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
      repos.end();
    }
  }

  /** Queues `work` for the repository `key` in this process, with its own repository session. */
  private job(key: string, work: (deps: RunDeps) => Promise<void>): Promise<void> {
    return this.queue.enqueue(key, () => this.withRepos(work));
  }

  /** The marker check of one of the app's own PRs, queued with the repository's other jobs (same cache). */
  checkMarkers(request: MarkerGateRequest, access: InstallationAccess): Promise<void> {
    return this.job(`${request.owner}/${request.repo}`, (deps) => runMarkerGate(request, access, deps));
  }

  /**
   * The "Backport preview" check of an open pull request, queued in this process with the
   * repository's backports: it reads the same cache. (Not durable: the next event on the PR
   * brings the check up to date.)
   */
  preview(request: BackportRequest, access: InstallationAccess): Promise<void> {
    return this.job(`${request.owner}/${request.repo}`, (deps) => previewBackport(request, access, deps));
  }

  /**
   * A pull request was closed or reopened: when it is one of the app's backports, the status
   * row on the original PR follows. Queued with the repository's work in this process; the
   * status comment is re-read and merged on every write, so a job on another instance keeps
   * its rows.
   */
  followBackportPull(event: BackportPullEvent, access: InstallationAccess): Promise<void> {
    return this.queue.enqueue(`${event.owner}/${event.repo}`, () =>
      followBackportPull(event, access, this.deps),
    );
  }

  /**
   * A `/backport resolve` comment: queued with the repository's other jobs (it picks again
   * in the repository's cache and pushes), so the webhook is answered at once.
   */
  resolveCommand(command: ResolveCommand, ports: ResolvePorts): Promise<void> {
    return this.job(`${command.owner}/${command.repo}`, (deps) => answerResolveCommand(command, ports, deps));
  }

  /** A `/backport v1.2 with abc1234 #456` comment: the backport with its prerequisites, queued with the repository's jobs. */
  withCommand(command: WithCommand, ports: ResolvePorts): Promise<void> {
    return this.job(`${command.owner}/${command.repo}`, (deps) => answerWithCommand(command, ports, deps));
  }

  /**
   * A merged backport PR of the app's: the conflicted backports whose issues name its source
   * PR as a prerequisite are handed to `retry` (the event layer queues them as requests),
   * queued with the repository's other work so it is seen through.
   */
  retryDependents(
    where: { owner: string; repo: string; pullNumber: number },
    access: InstallationAccess,
    retry: (dependent: Dependent) => Promise<void>,
  ): Promise<void> {
    return this.queue.enqueue(`${where.owner}/${where.repo}`, async () => {
      for (const d of await findDependents(where, access, this.deps)) await retry(d);
    });
  }

  /** A merged backport PR that a `/backport resolve` made: its conflict issue is closed. */
  settleResolution(where: { owner: string; repo: string; pullNumber: number }, access: InstallationAccess) {
    return this.queue.enqueue(`${where.owner}/${where.repo}`, () =>
      settleResolution(where, access, this.deps),
    );
  }

  /**
   * A `/backport` comment, answered while the webhook waits (a permission check, a reply,
   * labels: a few requests); the backport it starts is queued like any other request.
   */
  answerCommand(command: BackportCommand, ports: CommandPorts): Promise<void> {
    return answerBackportCommand(command, ports, {
      retry: this.deps.retry,
      sleep: this.deps.sleep,
      clock: this.deps.clock,
    });
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
   * `deadlineMs` to finish, the rest stay queued for the next start; then the database closes.
   */
  async stop(deadlineMs: number): Promise<{ finished: number; requeued: number }> {
    this.reconciler?.stop();
    const result = await this.worker.stop(deadlineMs);
    await this.options.database.close();
    return result;
  }
}
