/**
 * The ledger's reads of a repository from GitHub, through the installation it was last seen
 * with: its configuration, a full rebuild of its facts, and what each debounced update
 * refreshes that webhooks do not carry (checks, supported branches, missing fixes).
 *
 * What it holds in memory (installation ids, configurations, the supported branches found by
 * the last update) is only what GitHub or the next webhook can tell again.
 */
import type { LabelRules } from '../config/label-rules.js';
import { errorForLog } from '../errors.js';
import type { RepoMissingFixes } from '../missing-fixes/repo-missing-fixes.js';
import type { LedgerLogger, RepoConnection } from './ledger-ports.js';
import { factsFromGitHub } from './ledger-rebuild.js';
import { refreshChecks, refreshMissingFixes } from './ledger-refresh.js';
import type { LedgerStore } from './ledger-store.js';
import { RepoConfigs } from './repo-configs.js';
import type { TrackingIssueApi } from './tracking/tracking-issue-sync.js';

export interface LedgerReaderOptions {
  store: LedgerStore;
  /** Access to a repository through its installation (found when not given). */
  connect(repo: string, installationId: number | undefined): Promise<RepoConnection>;
  /** The app's bot login (`slug[bot]`): the only author whose markers are trusted. */
  appLogin(): Promise<string>;
  /** Computes missing fixes in the git cache; without it the report is not made. */
  missingFixes?: RepoMissingFixes;
  /** Runs git work on a repository's cache exclusively (the backport jobs use it too). */
  exclusive?<T>(repo: string, work: () => Promise<T>): Promise<T>;
  log: LedgerLogger;
}

export class LedgerReader {
  private readonly configs: RepoConfigs;
  private readonly branches = new Map<string, string[]>();
  private readonly installs = new Map<string, number>();

  constructor(
    private readonly options: LedgerReaderOptions,
    private readonly now: () => Date,
    /** Called when some backport PR's checks are still running, to read them again later. */
    private readonly recheckLater: (repo: string) => void,
  ) {
    this.configs = new RepoConfigs((repo) => this.connection(repo), options.log);
  }

  /** The installation a webhook of the repository came through, for later reads. */
  seenThrough(repo: string, installationId: number): void {
    this.installs.set(repo, installationId);
  }

  /** Drops what is held of a repository the app was removed from. */
  forget(repo: string): void {
    this.installs.delete(repo);
    this.configs.forget(repo);
    this.branches.delete(repo);
  }

  /** The supported branches found by the last update, else those the configuration lists. */
  async supportedBranches(repo: string): Promise<readonly string[]> {
    const known = this.branches.get(repo);
    if (known) return known;
    const spec = (await this.configs.get(repo)).branches;
    return 'list' in spec ? spec.list : [];
  }

  /** The supported branches found by the last update (none before the first). */
  lastBranches(repo: string): readonly string[] {
    return this.branches.get(repo) ?? [];
  }

  /** The repository's label rules (cached from its configuration). */
  async rules(repo: string): Promise<LabelRules> {
    return (await this.configs.get(repo)).rules;
  }

  async trackingApi(repo: string): Promise<TrackingIssueApi> {
    return (await this.connection(repo)).github.tracking;
  }

  /**
   * Reads the repository's facts back from GitHub and replaces the stored ones. Returns how
   * many facts it read.
   */
  async rebuild(repo: string): Promise<number> {
    // Wall time, not `now`: it is compared with GitHub's timestamps of facts seen meanwhile.
    const startedAt = new Date().toISOString();
    const conn = await this.connection(repo);
    const snapshot = await conn.github.repository();
    await this.options.store.upsertRepo({ ...snapshot });
    const config = await this.configs.reload(repo, conn);
    const facts = await factsFromGitHub(conn.github, repo, await this.options.appLogin(), config.rules);
    await this.options.store.rebuildRepo(repo, facts, startedAt);
    await this.options.store.markRebuilt(repo, startedAt);
    return facts.length;
  }

  /**
   * The start of each debounced update: fresh repository data and configuration, the checks
   * of open backport PRs whose checks may still change, and the missing-fix report. A
   * failure of either refresh keeps the last known values; the issue still gets updated.
   * Answers whether the repository is worth a tracking issue: one with no supported branch
   * and no backport yet gets none, since installing the app must not file an issue in every
   * repository that merely has pull requests.
   */
  async refresh(repo: string): Promise<boolean> {
    const { store, log } = this.options;
    const conn = await this.connection(repo);
    const snapshot = await conn.github.repository();
    await store.upsertRepo({ ...snapshot });
    const config = await this.configs.reload(repo, conn);
    try {
      if (await refreshChecks(store, repo, conn.github, config.rules, this.now())) this.recheckLater(repo);
    } catch (err) {
      log.warn({ repo, err: errorForLog(err) }, 'checks of backport PRs could not be read');
    }
    try {
      const branches = await refreshMissingFixes({
        store,
        repo,
        snapshot,
        remote: { url: snapshot.cloneUrl, token: () => conn.token() },
        config,
        finder: this.options.missingFixes,
        exclusive: (work) => (this.options.exclusive ? this.options.exclusive(repo, work) : work()),
        now: this.now(),
      });
      this.branches.set(repo, branches);
    } catch (err) {
      log.warn({ repo, err: errorForLog(err) }, 'missing fixes could not be computed');
    }
    return (
      this.lastBranches(repo).length > 0 ||
      (await store.repo(repo))?.trackingIssue != null ||
      (await store.ledger(repo, config.rules)).some((i) => i.target !== '*')
    );
  }

  private connection(repo: string): Promise<RepoConnection> {
    return this.options.connect(repo, this.installs.get(repo));
  }
}
