import { metrics } from '../common/metrics.js';
import { errorForLog } from '../errors.js';
import type { Logger } from './backport-request.js';
import type { JobPorts } from './job-ports.js';
import type { AcceptedRequest } from './job-request.js';
import type { JobStore } from './job-store.js';
import { reconcileRepo, type ReconcileSettings } from './reconcile.js';

const PRUNE_AFTER_MS = 7 * 86_400_000;

/** What reconciliation counted since start; the metrics module reads it. */
export interface ReconcileCounters {
  passes: number;
  reposChecked: number;
  pullsExamined: number;
  /** Targets found without a final row and queued again. */
  targetsQueued: number;
  /** GitHub API calls spent, in all and by the costliest repository of the latest pass. */
  apiCalls: number;
  lastPassMaxCallsPerRepo: number;
  errors: number;
}

export interface ReconcilerDeps {
  store: JobStore;
  ports: JobPorts;
  settings: ReconcileSettings;
  accept(input: AcceptedRequest): Promise<unknown>;
  now(): Date;
  log: Logger;
}

/**
 * Runs reconciliation at start and then every `intervalMs`: each installed repository in
 * turn (see reconcile.ts). Every instance reconciles when it starts; after that, one of the
 * instances takes each period's turn (a row in the database says when the last pass started).
 */
export class Reconciler {
  readonly counters: ReconcileCounters = {
    passes: 0,
    reposChecked: 0,
    pullsExamined: 0,
    targetsQueued: 0,
    apiCalls: 0,
    lastPassMaxCallsPerRepo: 0,
    errors: 0,
  };
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;

  constructor(private readonly deps: ReconcilerDeps) {}

  start(): void {
    const tick = (atStart: boolean) => {
      this.pass ??= this.takeTurn(atStart).finally(() => (this.pass = undefined));
    };
    tick(true);
    this.timer = setInterval(() => tick(false), this.deps.settings.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Resolves when no pass is running. */
  async idle(): Promise<void> {
    await this.pass;
  }

  /**
   * At start an instance always reconciles (it may have been down while GitHub dropped
   * deliveries); later passes are one instance's turn per period.
   */
  private async takeTurn(atStart: boolean): Promise<void> {
    try {
      // A little less than the interval, so one instance's timer drift does not skip a period.
      const mine = await this.deps.store.takeTurn(
        'reconcile',
        Date.now(),
        this.deps.settings.intervalMs * 0.9,
      );
      if (mine || atStart) await this.runPass();
    } catch (err) {
      this.counters.errors++;
      this.deps.log.error({ err: errorForLog(err) }, 'reconciliation failed');
    }
  }

  /** One pass over every installed repository; a repository that fails does not stop the others. */
  async runPass(): Promise<void> {
    const { ports, settings, log } = this.deps;
    // Finished jobs and delivery ids are kept a week (a redelivery within it is still known).
    await this.deps.store.prune(Date.now() - PRUNE_AFTER_MS);
    const installations = await ports.installedRepos();
    this.counters.passes++;
    let maxCalls = 0;
    for (const { installationId, repos } of installations) {
      for (const repo of repos) {
        const [owner, name] = repo.fullName.split('/') as [string, string];
        try {
          const conn = await ports.connect(installationId, owner, name);
          const found = await reconcileRepo(repo, conn, settings, this.deps.now(), (request) =>
            this.deps.accept({ request, installationId }),
          );
          this.counters.reposChecked++;
          this.counters.pullsExamined += found.pullsExamined;
          this.counters.targetsQueued += found.targetsQueued;
          this.counters.apiCalls += found.apiCalls;
          metrics.reconcileApiCalls.inc(found.apiCalls);
          metrics.reconcileFindings.inc({ kind: 'pull-examined' }, found.pullsExamined);
          metrics.reconcileFindings.inc({ kind: 'target-requeued' }, found.targetsQueued);
          maxCalls = Math.max(maxCalls, found.apiCalls);
          if (found.targetsQueued > 0)
            log.info({ repo: repo.fullName, ...found }, 'reconciliation queued targets again');
        } catch (err) {
          this.counters.errors++;
          metrics.reconcileFindings.inc({ kind: 'repo-failed' });
          log.warn({ repo: repo.fullName, err: errorForLog(err) }, 'could not reconcile a repository');
        }
      }
    }
    this.counters.lastPassMaxCallsPerRepo = maxCalls;
    metrics.reconcileMaxCallsPerRepo.set(maxCalls);
  }
}
