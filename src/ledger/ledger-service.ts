/**
 * The release managers' ledger as the app runs it: the store (ledger-store.ts), fed by webhooks; a
 * rebuild from GitHub when a repository is new to the store; and per repository a debounced
 * update that refreshes what webhooks do not carry (checks, missing fixes) and rewrites the
 * "Backport status" issue. No Probot here: the event layer hands in webhook payloads and the
 * ways to reach GitHub (ledger-ports.ts).
 *
 * This file turns webhooks into facts and schedules the work; the reads from GitHub (the
 * rebuild, the refresh before each update) are in ledger-reader.ts. Only facts go to the
 * store; what is held in memory is re-read from GitHub or from the next webhook.
 */
import type { Clock } from './tracking/debounce.js';
import {
  factFromIssue,
  factsFromPull,
  requestFromLabel,
  requestsFromStatusComment,
} from './facts-from-github.js';
import type { LabelRules } from '../config/label-rules.js';
import type { Fact } from './ledger-facts.js';
import type { GhIssue } from '../common/github-types.js';
import type { AuthoredPull, Author, RepoRef } from './ledger-ports.js';
import { isApp } from '../common/is-app.js';
import type { LedgerReaderOptions } from './ledger-reader.js';
import { LedgerReader } from './ledger-reader.js';
import type { LedgerStore } from './ledger-store.js';
import type { TrackingUpdater } from './tracking/tracking-updater.js';
import { createTrackingUpdater } from './tracking/tracking-updater.js';
import { RebuildScheduler } from './rebuild-scheduler.js';
import { LaterOnce } from './later-once.js';
import { errorForLog } from '../errors.js';

export interface LedgerServiceOptions extends LedgerReaderOptions {
  /** Every repository of every installation, for a full rebuild. */
  installedRepos?(): Promise<Array<{ installationId: number; repos: string[] }>>;
  /** The repositories of one installation, when its webhook does not list them. */
  installationRepos?(installationId: number): Promise<string[]>;
  /** The dashboard page of a repository, linked from its tracking issue. */
  dashboardUrl?(repo: string): string | undefined;
  waitMs?: number;
  maxWaitMs?: number;
  /**
   * How long after an update whose checks were still running (or not started) the checks are
   * read again, since check results arrive without an event the app subscribes to.
   * Default ten minutes.
   */
  recheckMs?: number;
  clock?: Clock;
  now?: () => Date;
}

/** How long after a failed rebuild an event may start another. */
const REBUILD_RETRY_MS = 10 * 60_000;

export class LedgerService {
  readonly store: LedgerStore;
  /** What happened, for the demo and the tests. */
  readonly stats = { touches: 0, rebuilds: 0, syncs: 0 };
  private readonly updater: TrackingUpdater;
  private readonly reader: LedgerReader;
  private readonly rebuilds: RebuildScheduler;
  private readonly background = new Set<Promise<unknown>>();
  private readonly rechecks: LaterOnce;
  private readonly now: () => Date;

  constructor(private readonly options: LedgerServiceOptions) {
    this.store = options.store;
    this.now = options.now ?? (() => new Date());
    this.rechecks = new LaterOnce(options.recheckMs ?? 600_000, (repo) => this.touch(repo));
    this.reader = new LedgerReader(options, this.now, (repo) => this.rechecks.schedule(repo));
    this.rebuilds = new RebuildScheduler(REBUILD_RETRY_MS, (repo, err) =>
      options.log.error({ repo, err: errorForLog(err) }, 'ledger rebuild failed'),
    );
    this.updater = createTrackingUpdater({
      store: this.store,
      prepare: (repo) => this.reader.refresh(repo),
      api: (repo) => this.reader.trackingApi(repo),
      branches: async (repo) => this.reader.lastBranches(repo),
      rules: (repo) => this.reader.rules(repo),
      dashboardUrl: options.dashboardUrl,
      waitMs: options.waitMs,
      maxWaitMs: options.maxWaitMs,
      clock: options.clock,
      now: this.now,
      onError: (repo, err) =>
        options.log.error({ repo, err: errorForLog(err) }, 'tracking issue update failed'),
      onSynced: (repo, result) => {
        this.stats.syncs++;
        options.log.info({ repo, issue: result.number, action: result.action }, 'tracking issue synced');
      },
    });
  }

  // ---- webhooks ----

  /** Any pull_request event: the PR as a source, and as a backport when the app opened it. */
  async onPull(ref: RepoRef, pull: AuthoredPull, label?: { name: string; added: boolean }): Promise<void> {
    const known = await this.note(ref);
    const appLogin = await this.options.appLogin();
    const facts = factsFromPull(ref.repo, isApp(pull.user, appLogin) ? pull : { ...pull, body: null });
    if (label?.added) {
      // The label's moment is what lets a request after an abandoned attempt count again.
      const rules = await this.reader.rules(ref.repo);
      const request = requestFromLabel(ref.repo, pull.number, label.name, pull.updated_at, rules);
      if (request) facts.push(request);
    }
    await this.record(ref.repo, facts, known);
  }

  /** Any issues event: the app's conflict issues (opened, closed, assigned, …). */
  async onIssue(ref: RepoRef, issue: GhIssue): Promise<void> {
    const known = await this.note(ref);
    const own = isApp(issue.user, await this.options.appLogin());
    const fact = own ? factFromIssue(ref.repo, issue) : undefined;
    await this.record(ref.repo, fact ? [fact] : [], known);
  }

  /**
   * Comments: only the app's status comment says anything (requests still being worked on,
   * or failed). A `/backport` command is recorded through the labels the command adds, since
   * only a command from someone with write access gets them.
   */
  async onComment(ref: RepoRef, comment: { body?: string | null } & Author): Promise<void> {
    const known = await this.note(ref);
    const own = isApp(comment.user, await this.options.appLogin());
    await this.record(ref.repo, own ? requestsFromStatusComment(ref.repo, comment.body) : [], known);
  }

  /** A repository event (visibility, default branch): who may see its page depends on it. */
  async onRepository(ref: RepoRef): Promise<void> {
    await this.record(ref.repo, [], await this.note(ref));
  }

  /** The app was installed on repositories: read each from GitHub. */
  async onInstalled(installationId: number, repos: readonly string[] | undefined): Promise<void> {
    const list = repos ?? (await this.options.installationRepos?.(installationId)) ?? [];
    for (const repo of list) {
      this.reader.seenThrough(repo, installationId);
      void this.rebuild(repo).catch(() => undefined);
    }
  }

  /** The app was removed from repositories: forget them (a new install rebuilds them). */
  async onUninstalled(repos: readonly string[]): Promise<void> {
    for (const repo of repos) {
      await this.store.forgetRepo(repo);
      this.reader.forget(repo);
    }
  }

  // ---- on demand ----

  /**
   * Reads the repository's facts back from GitHub and replaces the stored ones, then updates
   * its tracking issue. Rebuilds of one repository run one after another.
   */
  rebuild(repo: string): Promise<void> {
    const { run, settled } = this.rebuilds.schedule(repo, () => this.rebuildNow(repo));
    this.track(settled);
    return run;
  }

  /** Rebuilds every repository the app is installed on (a new database, or on demand). */
  rebuildAll(): Promise<void> {
    const run = (async () => {
      for (const { installationId, repos } of (await this.options.installedRepos?.()) ?? []) {
        for (const repo of repos) {
          this.reader.seenThrough(repo, installationId);
          await this.rebuild(repo).catch(() => undefined);
        }
      }
    })();
    this.track(
      run.catch((err: unknown) =>
        this.options.log.error({ err: errorForLog(err) }, 'installations could not be listed'),
      ),
    );
    return run;
  }

  /** Updates a repository's tracking issue after the debounce window (or at the next flush). */
  touch(repo: string): void {
    this.stats.touches++;
    this.updater.touch(repo);
  }

  /** Runs every pending rebuild and tracking update now, and waits until none is left. */
  async flush(): Promise<void> {
    do {
      await Promise.all([...this.background]);
      await this.updater.flush();
    } while (this.background.size > 0);
  }

  /** Flushes, then closes the store (its database too, unless shared with the job queue). */
  async close(): Promise<void> {
    this.rechecks.cancelAll();
    await this.flush();
    await this.updater.close();
    await this.store.close();
  }

  /** The supported branches found by the last update (for the dashboard). */
  supportedBranches(repo: string): Promise<readonly string[]> {
    return this.reader.supportedBranches(repo);
  }

  /** The repository's label rules (cached from its configuration). */
  rules(repo: string): Promise<LabelRules> {
    return this.reader.rules(repo);
  }

  // ---- internals ----

  /**
   * Records what the webhook says of the repository; true when the store holds a complete
   * read of it from GitHub (a rebuild that succeeded once).
   */
  private async note(ref: RepoRef): Promise<boolean> {
    const known = (await this.store.rebuiltAt(ref.repo)) !== null;
    if (ref.installationId !== undefined) this.reader.seenThrough(ref.repo, ref.installationId);
    await this.store.upsertRepo({
      repo: ref.repo,
      private: ref.private,
      htmlUrl: ref.htmlUrl,
      defaultBranch: ref.defaultBranch,
    });
    return known;
  }

  private async record(repo: string, facts: Fact[], known: boolean): Promise<void> {
    if (facts.length > 0) await this.store.applyFacts(facts);
    // A repository new to the store (a new database, or installed before the ledger
    // existed), or whose rebuild failed, is read from GitHub; the rebuild ends with a
    // tracking update. A failed one is not retried on every event: GitHub may be limiting us.
    if (!known) {
      if (this.rebuilds.mayStart(repo)) void this.rebuild(repo).catch(() => undefined);
    } else if (facts.length > 0) this.touch(repo);
  }

  private async rebuildNow(repo: string): Promise<void> {
    const facts = await this.reader.rebuild(repo);
    this.stats.rebuilds++;
    this.options.log.info({ repo, facts }, 'ledger rebuilt from GitHub');
    this.touch(repo);
  }

  private track(p: Promise<unknown>): void {
    this.background.add(p);
    void p.finally(() => this.background.delete(p));
  }
}
