import { usableConfig } from './answer-backport-command.js';
import type { BackportConfig } from '../config/schema.js';
import type { GhPull } from '../common/github-types.js';
import { resolveTargets } from '../plan/targets.js';
import { GitHubClient, type RequestFn, type RetryPolicy } from '../publish/github-client.js';
import { readStatusRows } from '../publish/status-comment-store.js';
import type { StatusRow } from '../render/status-comment.js';
import type { BackportJobRequest } from './job-request.js';
import type { RepoConnection } from './job-ports.js';

export interface ReconcileSettings {
  /** BACKPORT_RECONCILE_INTERVAL_MS: how often a pass runs (also once at start). */
  intervalMs: number;
  /** BACKPORT_RECONCILE_DAYS: merged PRs of this many days are looked at. */
  days: number;
  /** BACKPORT_RECONCILE_STALE_MS: an "in progress" row older than this is queued again. */
  staleMs: number;
  /** PRs examined per repository and pass, at most. */
  maxPulls: number;
  /** Pages of 100 closed PRs listed per repository and pass, at most. */
  maxPages: number;
}

export const DEFAULT_RECONCILE: ReconcileSettings = {
  intervalMs: 3_600_000,
  days: 14,
  staleMs: 3_600_000,
  maxPulls: 50,
  maxPages: 3,
};

/**
 * Reconciliation tries each call once. It is itself the retry of last resort: a pass that
 * meets a failing GitHub ends for that repository (logged and counted), and the next pass
 * tries again. The client's usual retries would break the pass's bound on calls (up to four
 * requests for each), and its rate-limit waits (up to a minute a call) would hold the pass
 * while it spends the budget the backports themselves need.
 */
const ONE_TRY: RetryPolicy = { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 };

/** Pages of comments read per PR to find its status comment. */
const COMMENT_PAGES = 2;

export interface RepoReconciled {
  /** GitHub API calls this repository cost (at most 2 + maxPages + COMMENT_PAGES × maxPulls). */
  apiCalls: number;
  pullsExamined: number;
  targetsQueued: number;
}

interface ListedPull extends GhPull {
  updated_at: string;
}

/**
 * One repository's reconciliation: the merged PRs of the last `days` days that carry
 * backport labels, each checked against its status comment. A target with no final row (none
 * at all, "waiting" on a merged PR, or "in progress" for longer than `staleMs`) is queued
 * again: a delivery GitHub dropped while the app was down, or a job that died with its
 * process. Its cost is bounded: the configuration, at most `maxPages` pages of closed PRs
 * (newest updates first) and at most `maxPulls` PRs' comments.
 */
export async function reconcileRepo(
  repo: { fullName: string; cloneUrl: string },
  conn: RepoConnection,
  settings: ReconcileSettings,
  now: Date,
  enqueue: (request: BackportJobRequest) => Promise<unknown>,
): Promise<RepoReconciled> {
  const [owner, name] = repo.fullName.split('/') as [string, string];
  const result: RepoReconciled = { apiCalls: 1, pullsExamined: 0, targetsQueued: 0 };
  const config = usableConfig(await conn.readConfig());
  if (!config) return result;
  const counted: RequestFn = (route, params) => {
    result.apiCalls++;
    return conn.access.request(route, params);
  };
  const gh = new GitHubClient(counted, owner, name, ONE_TRY);
  const since = now.getTime() - settings.days * 86_400_000;
  const candidates = await mergedWithTargets(gh, config, since, settings);
  const appLogin = candidates.length > 0 ? await conn.access.appLogin() : '';
  for (const { pull, targets } of candidates) {
    result.pullsExamined++;
    const rows = await readStatusRows(gh, pull.number, appLogin, COMMENT_PAGES);
    const missing = targets.filter((t) =>
      unfinished(
        rows.find((r) => r.target === t),
        now,
        settings.staleMs,
      ),
    );
    if (missing.length === 0) continue;
    await enqueue({
      owner,
      repo: name,
      cloneUrl: repo.cloneUrl,
      pullNumber: pull.number,
      labels: 'all',
      targets: missing,
      origin: 'reconcile',
    });
    result.targetsQueued += missing.length;
  }
  return result;
}

async function mergedWithTargets(
  gh: GitHubClient,
  config: BackportConfig,
  since: number,
  settings: ReconcileSettings,
): Promise<Array<{ pull: ListedPull; targets: string[] }>> {
  const found: Array<{ pull: ListedPull; targets: string[] }> = [];
  for (let page = 1; page <= settings.maxPages; page++) {
    const pulls = await gh.get<ListedPull[]>('GET /repos/{owner}/{repo}/pulls', {
      state: 'closed',
      sort: 'updated',
      direction: 'desc',
      per_page: 100,
      page,
    });
    for (const pull of pulls) {
      if (!pull.merged_at || Date.parse(pull.merged_at) < since) continue;
      const { targets } = resolveTargets({
        labels: pull.labels,
        config,
        baseBranch: pull.base.ref,
        declines: pull.labels,
      });
      if (targets.length > 0) found.push({ pull, targets: targets.map((t) => t.target) });
      if (found.length >= settings.maxPulls) return found;
    }
    // Sorted by last update: once a page reaches past the window, older pages cannot hold a
    // PR merged inside it.
    const last = pulls[pulls.length - 1];
    if (pulls.length < 100 || (last && Date.parse(last.updated_at) < since)) break;
  }
  return found;
}

/** A target whose row is not final: absent, waiting on a merged PR, or in progress too long. */
function unfinished(row: StatusRow | undefined, now: Date, staleMs: number): boolean {
  if (!row || row.state === 'waiting') return true;
  if (row.state !== 'in-progress') return false;
  const at = Date.parse(row.at);
  return !Number.isFinite(at) || now.getTime() - at > staleMs;
}
