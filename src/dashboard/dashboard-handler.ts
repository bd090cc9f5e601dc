/**
 * The dashboard as a plain Node request handler, the shape Probot v14's `addHandler` takes:
 * it answers requests under its prefix and returns false for anything else.
 *
 *   {prefix}/                      repositories the visitor may see
 *   {prefix}/{owner}/{repo}        one repository: branches, chart, oldest open
 *   {prefix}/{owner}/{repo}/latency.svg
 *   {prefix}/login, /callback, /logout   sign-in with GitHub (OAuth web flow)
 *
 * A private repository the visitor cannot read gets the same 404 as one that does not
 * exist, so the dashboard never reveals which private repositories use the app.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PageContext } from './dashboard-layout.js';
import type { RepoListEntry } from './dashboard-pages.js';
import { renderNotFoundPage, renderRepoListPage, renderRepoPage } from './dashboard-pages.js';
import type { DashboardAuth } from './dashboard-auth.js';
import { createDashboardAuth } from './dashboard-auth.js';
import { send } from './http-response.js';
import { DAY_MS, latencyPoints } from '../ledger/latency.js';
import { renderLatencyChart } from './latency-chart.js';
import type { LabelRules } from '../config/label-rules.js';
import type { LedgerItem } from '../ledger/ledger-item.js';
import type { LedgerStore, RepoInfo } from '../ledger/ledger-store.js';
import type { OAuthConfig } from './github-oauth.js';
import type { RepoAccess } from './repo-access.js';
import type { Session } from './session-cookie.js';
import { summarizeRepo } from '../ledger/repo-summary.js';

export interface DashboardOptions {
  store: LedgerStore;
  access: RepoAccess;
  /** Seals the session cookie; keep it stable across restarts. */
  sessionSecret: string;
  /** Sign-in with GitHub; without it only public repositories can be shown. */
  oauth?: OAuthConfig;
  prefix?: string;
  /** The app's external URL (`https://backport.example.com`), for the OAuth callback and cookies. */
  publicUrl?: string;
  branches?: (repo: string) => Promise<readonly string[]>;
  rules?: (repo: string) => Promise<LabelRules>;
  /** Days of history in the latency chart (default 180). */
  chartDays?: number;
  now?: () => Date;
  onError?: (err: unknown) => void;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export function createDashboardHandler(options: DashboardOptions): RequestHandler {
  const prefix = (options.prefix ?? '/backport').replace(/\/+$/, '');
  const now = options.now ?? (() => new Date());
  const auth = createDashboardAuth({ ...options, prefix, now: () => now().getTime() });

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    if (url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(req, res, 405, 'text/plain; charset=utf-8', 'Method not allowed\n', { allow: 'GET, HEAD' });
      return true;
    }
    const session = auth.session(req);
    const ctx: PageContext = {
      prefix,
      user: session?.login ?? null,
      here: url.pathname,
      canSignIn: options.oauth !== undefined,
    };
    try {
      await route(url, req, res, session, ctx, auth);
    } catch (err) {
      options.onError?.(err);
      if (!res.headersSent) send(req, res, 500, 'text/plain; charset=utf-8', 'Something went wrong.\n');
    }
    return true;
  };

  async function route(
    url: URL,
    req: IncomingMessage,
    res: ServerResponse,
    session: Session | null,
    ctx: PageContext,
    auth: DashboardAuth,
  ): Promise<void> {
    const rest = url.pathname.slice(prefix.length).replace(/^\/+/, '');
    if (rest === 'login') return auth.login(req, res, url, ctx);
    if (rest === 'callback') return auth.callback(req, res, url, ctx);
    if (rest === 'logout') return auth.logout(req, res);
    if (rest === '') return listPage(req, res, session, ctx);
    const parts = rest.split('/').map(safeDecode);
    const [owner, name, extra] = parts;
    const info = owner && name && parts.length <= 3 ? findRepo(`${owner}/${name}`) : undefined;
    const visible =
      info && (extra === undefined || extra === 'latency.svg') && (await canView(info, session));
    if (!info || !visible) return send(req, res, 404, HTML, renderNotFoundPage(ctx));
    const items = options.store.ledger(info.repo, await options.rules?.(info.repo));
    const summary = summarizeRepo({
      repo: info,
      items,
      missing: options.store.missingFixes(info.repo),
      now: now(),
      branches: (await options.branches?.(info.repo)) ?? [],
    });
    const chart = chartFor(
      summary.branches.map((b) => b.branch),
      items,
    );
    if (extra === 'latency.svg') return send(req, res, 200, 'image/svg+xml; charset=utf-8', chart);
    return send(req, res, 200, HTML, renderRepoPage(summary, chart, ctx));
  }

  async function listPage(
    req: IncomingMessage,
    res: ServerResponse,
    session: Session | null,
    ctx: PageContext,
  ) {
    const entries: RepoListEntry[] = [];
    for (const info of options.store.repos()) {
      if (!(await canView(info, session))) continue;
      const items = options.store.ledger(info.repo, await options.rules?.(info.repo));
      const reports = options.store.missingFixes(info.repo);
      entries.push({
        repo: info,
        openPrs: items.filter((i) => i.state === 'pr-open').length,
        conflicts: items.filter((i) => i.state === 'conflict').length,
        missing: reports.length ? reports.reduce((n, r) => n + r.report.missing.length, 0) : null,
      });
    }
    send(req, res, 200, HTML, renderRepoListPage(entries, ctx));
  }

  function chartFor(branches: string[], items: readonly LedgerItem[]): string {
    const to = now();
    const days = options.chartDays ?? 180;
    const series = branches.map((branch) => ({ branch, points: latencyPoints(items, branch, to, days) }));
    return renderLatencyChart(series, { from: new Date(to.getTime() - days * DAY_MS), to });
  }

  function findRepo(fullName: string): RepoInfo | undefined {
    const wanted = fullName.toLowerCase();
    return options.store.repos().find((r) => r.repo.toLowerCase() === wanted);
  }

  async function canView(info: RepoInfo, session: Session | null): Promise<boolean> {
    try {
      if (await options.access.isPublic(info.repo)) return true;
      return session !== null && (await options.access.canRead(session.token, info.repo));
    } catch (err) {
      // Fail closed: when GitHub cannot confirm access, the repository is not shown.
      options.onError?.(err);
      return false;
    }
  }
}

const HTML = 'text/html; charset=utf-8';

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return '';
  }
}
