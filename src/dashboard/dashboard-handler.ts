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
import { renderNotFoundPage, renderRepoListPage, renderRepoPage } from './dashboard-pages.js';
import type { DashboardAuth } from './dashboard-auth.js';
import { createDashboardAuth } from './dashboard-auth.js';
import type { DashboardData, DashboardDataOptions } from './dashboard-data.js';
import { createDashboardData } from './dashboard-data.js';
import { send } from './http-response.js';
import type { OAuthConfig } from './github-oauth.js';
import type { Session } from './session-cookie.js';

export interface DashboardOptions extends DashboardDataOptions {
  /** Seals the session cookie; keep it stable across restarts. */
  sessionSecret: string;
  /** Sign-in with GitHub; without it only public repositories can be shown. */
  oauth?: OAuthConfig;
  prefix?: string;
  /** The app's external URL (`https://backport.example.com`), for the OAuth callback and cookies. */
  publicUrl?: string;
  now?: () => Date;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export function createDashboardHandler(options: DashboardOptions): RequestHandler {
  const prefix = (options.prefix ?? '/backport').replace(/\/+$/, '');
  const now = options.now ?? (() => new Date());
  const auth = createDashboardAuth({ ...options, prefix, now: () => now().getTime() });
  const data = createDashboardData(options, now);

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
      await route({ url, req, res, session, ctx }, prefix, auth, data);
    } catch (err) {
      options.onError?.(err);
      if (!res.headersSent) send(req, res, 500, 'text/plain; charset=utf-8', 'Something went wrong.\n');
    }
    return true;
  };
}

/** One request to the dashboard, with who is asking. */
interface DashboardRequest {
  url: URL;
  req: IncomingMessage;
  res: ServerResponse;
  session: Session | null;
  ctx: PageContext;
}

async function route(
  { url, req, res, session, ctx }: DashboardRequest,
  prefix: string,
  auth: DashboardAuth,
  data: DashboardData,
): Promise<void> {
  const rest = url.pathname.slice(prefix.length).replace(/^\/+/, '');
  if (rest === 'login') return auth.login(req, res, url, ctx);
  if (rest === 'callback') return auth.callback(req, res, url, ctx);
  if (rest === 'logout') return auth.logout(req, res);
  if (rest === '') return send(req, res, 200, HTML, renderRepoListPage(await data.repoList(session), ctx));
  const parts = rest.split('/').map(safeDecode);
  const [owner, name, extra] = parts;
  const known = owner && name && parts.length <= 3 && (extra === undefined || extra === 'latency.svg');
  const info = known ? await data.visibleRepo(`${owner}/${name}`, session) : undefined;
  if (!info) return send(req, res, 404, HTML, renderNotFoundPage(ctx));
  const { summary, chart } = await data.repoPage(info);
  if (extra === 'latency.svg') return send(req, res, 200, 'image/svg+xml; charset=utf-8', chart);
  return send(req, res, 200, HTML, renderRepoPage(summary, chart, ctx));
}

const HTML = 'text/html; charset=utf-8';

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return '';
  }
}
