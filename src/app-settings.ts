import os from 'node:os';
import path from 'node:path';
import { BackportError } from './errors.js';
import type { Logger } from './jobs/backport-request.js';
import type { RetryPolicy } from './publish/github-client.js';
import { LABEL_PERMISSIONS, type LabelPermission } from './jobs/label-permission.js';
import type { DatabaseSettings } from './database/open-database.js';
import type { JobSettings } from './jobs/job-worker.js';
import type { ReconcileSettings } from './jobs/reconcile.js';

/*
 * Environment variables of the app (besides Probot's own: APP_ID, PRIVATE_KEY, WEBHOOK_SECRET,
 * GHE_HOST, PORT, LOG_LEVEL, ...).
 *
 * Security
 *   BACKPORT_DEVELOPMENT         `true` lets the app start without WEBHOOK_SECRET (Probot then
 *                                accepts its development secret). Never in production.
 *
 * Backports
 *   BACKPORT_CACHE_DIR           Where the per-repository git caches live.
 *                                Default: <system temp dir>/backport-assistant-cache.
 *   BACKPORT_CACHE_MAX_BYTES     Disk budget of the git cache; beyond it the least recently
 *                                used repositories are deleted (re-fetched when needed).
 *                                Default 10737418240 (10 GiB).
 *   BACKPORT_CONCURRENCY         Repositories worked on at once. Default 4.
 *   BACKPORT_LABEL_PERMISSION    Who may start a backport by adding a label (checked on the
 *                                labeled event's sender): `write` (admin, maintain, write:
 *                                as for /backport), `triage` (also the triage role) or `any`.
 *                                Default write. Labels present when a PR is merged count
 *                                as the merge's, whoever added them.
 *   BACKPORT_COMMITTER           "Name <email>" recorded as committer of backport commits.
 *                                Default: backport-assistant[bot] <…@users.noreply.github.com>.
 *
 * Durable jobs (see README, "Deploying")
 *   DATABASE_URL                 postgres://… to keep the job queue and the ledger in
 *                                PostgreSQL, shared by several instances. Default: the
 *                                embedded SQLite files (BACKPORT_JOBS_DB, BACKPORT_LEDGER_DB).
 *   DATABASE_POOL_MAX            PostgreSQL connections per instance. Default 5.
 *   BACKPORT_JOBS_DB             The job queue's SQLite file (when there is no DATABASE_URL).
 *                                Put it on a disk that survives restarts.
 *                                Default: <BACKPORT_CACHE_DIR>/jobs.sqlite.
 *   BACKPORT_JOB_LEASE_MS        How long a job is an instance's without renewal; an instance
 *                                that dies loses its jobs to others after this. Default 60000.
 *   BACKPORT_JOB_POLL_MS         How often the queue is looked at. Default 2000.
 *   BACKPORT_JOB_ATTEMPTS        Tries per job on transient failures. Default 5.
 *   BACKPORT_JOB_BACKOFF_MS      Wait before the first retry, doubling per try. Default 30000.
 *   BACKPORT_SHUTDOWN_MS         On SIGTERM/SIGINT, how long running jobs may finish. Default 30000.
 *   BACKPORT_RECONCILE_INTERVAL_MS  How often reconciliation runs (and once at start); 0 turns
 *                                it off. Default 3600000 (hourly).
 *   BACKPORT_RECONCILE_DAYS      Merged PRs of this many days are reconciled. Default 14.
 *   BACKPORT_RECONCILE_STALE_MS  An "in progress" row older than this is queued again.
 *                                Default 3600000.
 *
 * Release managers' view (ledger, "Backport status" tracking issue, dashboard)
 *   BACKPORT_LEDGER              `off` switches the whole view off (no database, no tracking
 *                                issue, no dashboard). Default on.
 *   BACKPORT_LEDGER_DB           The ledger's SQLite file (when there is no DATABASE_URL;
 *                                with it, the ledger is in PostgreSQL). Put it on a disk that
 *                                survives restarts; if it is lost, the app rebuilds it from
 *                                GitHub. Default: <BACKPORT_CACHE_DIR>/ledger.sqlite.
 *   BACKPORT_TRACKING_DEBOUNCE_MS  Quiet time after the last event before a repository's
 *                                tracking issue is rewritten (and its missing fixes and checks
 *                                refreshed). A steady stream of events still gets an update
 *                                at least every 5× this. Default 60000 (one minute).
 *   BACKPORT_DASHBOARD_URL       The app's public base URL, e.g. https://backport.example.com.
 *                                The dashboard lives under <url>/backport/; the tracking issue
 *                                links to it, and sign-in sends people back to
 *                                <url>/backport/callback (register that as the GitHub App's
 *                                callback URL). Without it the callback URL is taken from the
 *                                request's Host header and the tracking issue has no link.
 *   BACKPORT_SESSION_SECRET      Seals sign-in cookies (any long random string; keep it stable
 *                                so people stay signed in across restarts). Without it, nobody
 *                                can sign in and only public repositories are shown.
 *   GITHUB_CLIENT_ID             The GitHub App's OAuth client id and secret (Probot's names,
 *   GITHUB_CLIENT_SECRET         as on the app's settings page), for signing people in to see
 *                                private repositories. Without them, only public ones are shown.
 *   BACKPORT_GITHUB_WEB_URL      Where people sign in. Default: https://github.com, or
 *                                https://<GHE_HOST> when Probot's GHE_HOST is set.
 */

/**
 * Without WEBHOOK_SECRET, Probot accepts webhooks signed with its well-known development
 * secret, so anyone could send the app a webhook. Outside the explicit development mode
 * (BACKPORT_DEVELOPMENT=true) the app refuses to start instead. Only the server checks it:
 * the GitHub Action hands its one event to Probot directly, with no webhook to verify.
 */
export function checkWebhookSecret(env: NodeJS.ProcessEnv): void {
  const dev = env.BACKPORT_DEVELOPMENT?.trim().toLowerCase();
  if (dev === 'true') return;
  const secret = env.WEBHOOK_SECRET;
  const why =
    dev !== undefined && dev !== '' && dev !== 'false'
      ? `BACKPORT_DEVELOPMENT must be true or false, got ${JSON.stringify(env.BACKPORT_DEVELOPMENT)}`
      : !secret
        ? 'WEBHOOK_SECRET is not set, so anyone could send the app webhooks'
        : secret === 'development'
          ? "WEBHOOK_SECRET is Probot's well-known development secret"
          : undefined;
  if (why) {
    throw new BackportError(
      'bad-argument',
      `The app will not start: ${why}. Set WEBHOOK_SECRET to the GitHub App's webhook secret (or BACKPORT_DEVELOPMENT=true on a development machine).`,
      { setting: 'WEBHOOK_SECRET' },
    );
  }
}

/** Settings of the running app, from environment variables (documented above). */
export interface AppSettings {
  /** BACKPORT_CACHE_DIR: where the per-repository git caches live. */
  cacheDir: string;
  /** BACKPORT_CONCURRENCY: repositories worked on at once. */
  concurrency: number;
  /** BACKPORT_CACHE_MAX_BYTES: disk budget of the git cache (default 10 GiB). */
  cacheMaxBytes?: number;
  /** BACKPORT_LABEL_PERMISSION: who may start a backport by labelling. Default `write`. */
  labelPermission?: LabelPermission;
  /** BACKPORT_COMMITTER: "Name <email>" recorded as committer of backport commits. */
  committer: { name: string; email: string };
  /**
   * The release managers' view. Absent: switched off (readSettings always fills it in unless
   * BACKPORT_LEDGER=off; callers that build settings by hand opt in by giving it).
   */
  ledger?: LedgerSettings;
  /**
   * The clock backports and the ledger read (status rows, ages, latency windows). Not from
   * the environment: the demo and the tests set it to the simulated GitHub's clock.
   */
  now?: () => Date;
  /** GitHub retry policy and its sleep (not from the environment: tests shorten the waits). */
  retry?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  /** The clock rate-limit resets are measured against, in ms (tests freeze it). */
  clock?: () => number;
  /** Where the pipeline logs, instead of Probot's logger (the Action annotates failures). */
  log?: Logger;
  /**
   * Where the job queue lives; absent: `<cacheDir>/jobs.sqlite`. A PostgreSQL database holds
   * the ledger too (else the ledger has its own SQLite file, `ledger.dbPath`).
   */
  database?: DatabaseSettings;
  /** The job queue's timings; absent ones take their defaults. */
  jobs?: Partial<JobSettings> & { shutdownMs?: number };
  /** Reconciliation; `false` switches it off. */
  reconcile?: Partial<ReconcileSettings> | false;
  /** Stop gracefully on SIGTERM and SIGINT (the real app; not tests running several apps). */
  handleSignals?: boolean;
}

export interface LedgerSettings {
  /** BACKPORT_LEDGER_DB: the ledger's SQLite file, used when the database is not PostgreSQL. */
  dbPath: string;
  /** BACKPORT_TRACKING_DEBOUNCE_MS. */
  trackingDebounceMs: number;
  /** The longest a burst of events delays an update (5× the debounce window from env). */
  trackingMaxWaitMs?: number;
  /** Rebuild every installed repository from GitHub when the database starts empty. */
  rebuildWhenEmpty?: boolean;
  dashboard?: DashboardSettings;
}

export interface DashboardSettings {
  /** BACKPORT_DASHBOARD_URL. */
  publicUrl?: string;
  /** BACKPORT_SESSION_SECRET. */
  sessionSecret?: string;
  /** GITHUB_CLIENT_ID / GITHUB_CLIENT_SECRET. */
  oauth?: { clientId: string; clientSecret: string };
  /** BACKPORT_GITHUB_WEB_URL; derived from the API URL when absent. */
  githubWebUrl?: string;
}

export function readSettings(env: NodeJS.ProcessEnv): AppSettings {
  const committer = /^\s*([^<>]+?)\s*<([^<>]+)>\s*$/.exec(env.BACKPORT_COMMITTER ?? '');
  const concurrency = Number(env.BACKPORT_CONCURRENCY ?? 4);
  const cacheDir = env.BACKPORT_CACHE_DIR || path.join(os.tmpdir(), 'backport-assistant-cache');
  const labelPermission = LABEL_PERMISSIONS.find(
    (p) => p === env.BACKPORT_LABEL_PERMISSION?.trim().toLowerCase(),
  );
  if (env.BACKPORT_LABEL_PERMISSION?.trim() && !labelPermission) {
    throw new BackportError(
      'bad-argument',
      `BACKPORT_LABEL_PERMISSION must be one of ${LABEL_PERMISSIONS.join(', ')}, got ${JSON.stringify(env.BACKPORT_LABEL_PERMISSION)}.`,
      { setting: 'BACKPORT_LABEL_PERMISSION' },
    );
  }
  const maxBytes = Number(env.BACKPORT_CACHE_MAX_BYTES);
  return {
    ...(Number.isFinite(maxBytes) && maxBytes > 0 ? { cacheMaxBytes: maxBytes } : {}),
    labelPermission: labelPermission ?? 'write',
    cacheDir,
    concurrency: Number.isInteger(concurrency) && concurrency > 0 ? concurrency : 4,
    committer: committer
      ? { name: committer[1]!, email: committer[2]! }
      : { name: 'backport-assistant[bot]', email: 'backport-assistant[bot]@users.noreply.github.com' },
    ...(env.BACKPORT_LEDGER?.toLowerCase() === 'off' ? {} : { ledger: readLedgerSettings(env, cacheDir) }),
    ...readJobSettings(env, cacheDir),
    handleSignals: true,
  };
}

function readJobSettings(
  env: NodeJS.ProcessEnv,
  cacheDir: string,
): Pick<AppSettings, 'database' | 'jobs' | 'reconcile'> {
  const ms = (name: string, fallback: number, min = 0) => {
    const value = Number(env[name] ?? fallback);
    return Number.isFinite(value) && value >= min ? value : fallback;
  };
  const interval = ms('BACKPORT_RECONCILE_INTERVAL_MS', 3_600_000);
  return {
    database: {
      url: env.DATABASE_URL,
      sqlitePath: env.BACKPORT_JOBS_DB || path.join(cacheDir, 'jobs.sqlite'),
      maxConnections: ms('DATABASE_POOL_MAX', 5, 1),
    },
    jobs: {
      leaseMs: ms('BACKPORT_JOB_LEASE_MS', 60_000, 1_000),
      pollMs: ms('BACKPORT_JOB_POLL_MS', 2_000, 10),
      maxAttempts: Math.floor(ms('BACKPORT_JOB_ATTEMPTS', 5, 1)),
      backoffMs: ms('BACKPORT_JOB_BACKOFF_MS', 30_000),
      shutdownMs: ms('BACKPORT_SHUTDOWN_MS', 30_000),
    },
    reconcile:
      interval === 0
        ? false
        : {
            intervalMs: interval,
            days: ms('BACKPORT_RECONCILE_DAYS', 14, 1),
            staleMs: ms('BACKPORT_RECONCILE_STALE_MS', 3_600_000, 1_000),
          },
  };
}

function readLedgerSettings(env: NodeJS.ProcessEnv, cacheDir: string): LedgerSettings {
  const debounce = Number(env.BACKPORT_TRACKING_DEBOUNCE_MS ?? 60_000);
  const trackingDebounceMs = Number.isFinite(debounce) && debounce >= 0 ? debounce : 60_000;
  const clientId = env.GITHUB_CLIENT_ID?.trim();
  const clientSecret = env.GITHUB_CLIENT_SECRET?.trim();
  const webUrl =
    env.BACKPORT_GITHUB_WEB_URL?.trim() ||
    (env.GHE_HOST ? `${env.GHE_PROTOCOL || 'https'}://${env.GHE_HOST}` : undefined);
  return {
    dbPath: env.BACKPORT_LEDGER_DB || path.join(cacheDir, 'ledger.sqlite'),
    trackingDebounceMs,
    trackingMaxWaitMs: trackingDebounceMs * 5,
    rebuildWhenEmpty: true,
    dashboard: {
      publicUrl: env.BACKPORT_DASHBOARD_URL?.trim() || undefined,
      sessionSecret: env.BACKPORT_SESSION_SECRET || undefined,
      oauth: clientId && clientSecret ? { clientId, clientSecret } : undefined,
      githubWebUrl: webUrl,
    },
  };
}
