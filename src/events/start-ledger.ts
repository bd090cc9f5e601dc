import { webUrlFor } from '../common/github-urls.js';
import { randomBytes } from 'node:crypto';
import type { ApplicationFunctionOptions, Probot } from 'probot';
import type { LedgerSettings } from '../app-settings.js';
import type { Database } from '../database/database.js';
import type { BackportService } from '../jobs/backport-service.js';
import { createDashboardHandler } from '../dashboard/dashboard-handler.js';
import { repoPath } from '../dashboard/dashboard-pages.js';
import { LedgerService } from '../ledger/ledger-service.js';
import { LedgerStore } from '../ledger/ledger-store.js';
import { githubAccess } from '../dashboard/repo-access.js';
import { RepoMissingFixes } from '../missing-fixes/repo-missing-fixes.js';
import { ledgerAccess } from './ledger-access.js';
import { onLedgerEvents } from './ledger-events.js';
import { onLedgerInstallationEvents } from './ledger-installation-events.js';

/** Where the dashboard is mounted on the app's server. */
export const DASHBOARD_PREFIX = '/backport';

/**
 * The release managers' view, wired into the running app: the store, the service fed by
 * webhooks, and the dashboard mounted on Probot's server
 * through `addHandler`. Git work for missing fixes shares the backport jobs' per-repository
 * queue, so it never touches a repository cache while a backport is using it.
 */
export async function startLedger(
  app: Probot,
  options: ApplicationFunctionOptions | undefined,
  settings: LedgerSettings & { cacheDir: string; now?: () => Date },
  backports: BackportService,
  /** The job queue's database: the ledger shares it when it is PostgreSQL. */
  database: Database,
): Promise<LedgerService> {
  // With DATABASE_URL every instance reads and writes one ledger in the shared PostgreSQL
  // database. The embedded default keeps the ledger in its own SQLite file, as it always was,
  // so a file from an earlier version opens with its facts.
  const store =
    database.dialect === 'postgres'
      ? await LedgerStore.open(database)
      : await LedgerStore.openFile(settings.dbPath);
  app.log.info({ database: store.description }, 'ledger');
  const access = ledgerAccess(app);
  const dash = settings.dashboard ?? {};
  const publicUrl = dash.publicUrl?.replace(/\/+$/, '');
  const ledger = new LedgerService({
    store,
    connect: access.connect,
    appLogin: access.appLogin,
    installedRepos: access.installedRepos,
    installationRepos: access.installationRepos,
    missingFixes: new RepoMissingFixes(backports.repos),
    exclusive: (repo, work) => backports.exclusive(repo, work),
    dashboardUrl: publicUrl ? (repo) => `${publicUrl}${repoPath(DASHBOARD_PREFIX, repo)}` : undefined,
    waitMs: settings.trackingDebounceMs,
    maxWaitMs: settings.trackingMaxWaitMs ?? settings.trackingDebounceMs * 5,
    now: settings.now,
    log: app.log,
  });
  onLedgerEvents(app, ledger);
  onLedgerInstallationEvents(app, ledger);

  const apiUrl = await access.apiUrl();
  const webUrl = dash.githubWebUrl ?? webUrlFor(apiUrl);
  const handler = createDashboardHandler({
    store,
    access: githubAccess({ apiUrl, isPublic: async (repo) => (await store.repo(repo))?.private === false }),
    // Without a configured secret nobody can sign in, so a throwaway one seals nothing of value.
    sessionSecret: dash.sessionSecret ?? randomBytes(32).toString('hex'),
    oauth: dash.oauth && dash.sessionSecret ? { ...dash.oauth, webUrl, apiUrl } : undefined,
    prefix: DASHBOARD_PREFIX,
    publicUrl,
    branches: (repo) => ledger.supportedBranches(repo),
    rules: (repo) => ledger.rules(repo),
    now: settings.now,
    onError: (err) => app.log.error({ message: (err as Error)?.message }, 'dashboard request failed'),
  });
  try {
    options?.addHandler(handler);
  } catch {
    // Probot loaded without a server (e.g. a serverless adapter): webhooks only, no pages.
    app.log.warn('no HTTP server to mount the dashboard on');
  }
  if (settings.rebuildWhenEmpty && (await store.repos()).length === 0)
    void ledger.rebuildAll().catch(() => undefined);
  return ledger;
}
