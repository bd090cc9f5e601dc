import { errorForLog } from '../errors.js';
import { RepoCache } from '../repo/repo-cache.js';
import { answerBackportCommand, type BackportCommand, type CommandPorts } from './answer-backport-command.js';
import type { BackportRequest, InstallationAccess, Logger } from './backport-request.js';
import { JobQueue } from './job-queue.js';
import { followBackportPull, type BackportPullEvent } from './follow-backport-pull.js';
import { runMarkerGate, type MarkerGateRequest } from './marker-gate.js';
import { previewBackport } from './preview-backport.js';
import { answerResolveCommand, type ResolveCommand, type ResolvePorts } from './answer-resolve-command.js';
import { settleResolution } from './settle-resolution.js';
import { runBackport, type RunDeps } from './run-backport.js';

export interface ServiceOptions {
  cacheDir: string;
  /** How many repositories are worked on at once. */
  concurrency: number;
  committer: { name: string; email: string };
  log: Logger;
  retry?: RunDeps['retry'];
  sleep?: RunDeps['sleep'];
  clock?: RunDeps['clock'];
  now?: () => Date;
  labelPermission?: RunDeps['labelPermission'];
  /** BACKPORT_CACHE_MAX_BYTES: disk budget of the git cache. */
  cacheMaxBytes?: number | undefined;
}

/**
 * The pipeline behind the event layer: requests are queued per repository (jobs on one
 * repository never overlap, so its cache and its status comments see one writer), and run
 * in the background so webhooks are answered at once.
 */
export class BackportService {
  readonly queue: JobQueue;
  /** The git cache, shared with the ledger's missing-fix checks (one budget, one eviction). */
  readonly repos: RepoCache;
  private readonly deps: RunDeps;

  constructor(options: ServiceOptions) {
    this.queue = new JobQueue(options.concurrency, (err, key) =>
      options.log.error({ repo: key, err: errorForLog(err) }, 'backport job failed'),
    );
    this.repos = new RepoCache(options.cacheDir, {
      maxBytes: options.cacheMaxBytes,
    });
    this.deps = {
      repos: this.repos,
      committer: options.committer,
      retry: options.retry,
      sleep: options.sleep,
      clock: options.clock,
      log: options.log,
      now: options.now ?? (() => new Date()),
      labelPermission: options.labelPermission,
    };
  }

  submit(request: BackportRequest, access: InstallationAccess): Promise<void> {
    return this.job(`${request.owner}/${request.repo}`, (deps) => runBackport(request, access, deps));
  }

  /**
   * Queues `work` for the repository `key`, with an opener whose repositories are released
   * when the work ends, whatever happens (pack files closed, eviction allowed again).
   */
  private job(key: string, work: (deps: RunDeps) => Promise<void>): Promise<void> {
    return this.queue.enqueue(key, async () => {
      const repos = this.repos.session();
      try {
        await work({ ...this.deps, repos });
      } finally {
        repos.end();
      }
    });
  }

  /** The marker check of one of the app's own PRs, queued with the repository's other jobs (same cache). */
  checkMarkers(request: MarkerGateRequest, access: InstallationAccess): Promise<void> {
    return this.job(`${request.owner}/${request.repo}`, (deps) => runMarkerGate(request, access, deps));
  }

  /**
   * The "Backport preview" check of an open pull request, queued with the repository's
   * backports: it reads the same cache.
   */
  preview(request: BackportRequest, access: InstallationAccess): Promise<void> {
    return this.job(`${request.owner}/${request.repo}`, (deps) => previewBackport(request, access, deps));
  }

  /**
   * A pull request was closed or reopened: when it is one of the app's backports, the status
   * row on the original PR follows. Queued with the repository's jobs (the status comment
   * has one writer).
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

  /** Resolves when every submitted request has finished. */
  idle(): Promise<void> {
    return this.queue.idle();
  }
}
