/**
 * Sign-in with GitHub for the dashboard (OAuth web flow) and the session it leaves behind.
 *
 * 1. `/login` remembers where to come back to and a random `state` in a sealed cookie, then
 *    sends the browser to GitHub's authorize page.
 * 2. `/callback` checks `state`, exchanges the code for the person's token, asks GitHub
 *    whose it is, and stores both in a sealed session cookie.
 * 3. `/logout` drops the cookie.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isBackportError } from '../errors.js';
import type { PageContext } from './dashboard-layout.js';
import { renderErrorPage } from './dashboard-pages.js';
import type { OAuthConfig } from './github-oauth.js';
import { authorizeUrl, exchangeCode, fetchLogin } from './github-oauth.js';
import { redirect, send } from './http-response.js';
import type { Session } from './session-cookie.js';
import { cookie, openSession, parseCookies, seal, unseal } from './session-cookie.js';

const SESSION_COOKIE = 'backport_session';
const STATE_COOKIE = 'backport_oauth';
const SESSION_SECONDS = 8 * 3600;
const STATE_SECONDS = 600;

export interface DashboardAuthOptions {
  sessionSecret: string;
  oauth?: OAuthConfig;
  prefix: string;
  publicUrl?: string;
  now: () => number;
}

export interface DashboardAuth {
  session(req: IncomingMessage): Session | null;
  login(req: IncomingMessage, res: ServerResponse, url: URL, ctx: PageContext): void;
  callback(req: IncomingMessage, res: ServerResponse, url: URL, ctx: PageContext): Promise<void>;
  logout(req: IncomingMessage, res: ServerResponse): void;
}

export function createDashboardAuth(o: DashboardAuthOptions): DashboardAuth {
  const secure = o.publicUrl?.startsWith('https:') ?? false;
  const jar = (name: string, value: string, maxAge: number) =>
    cookie(name, value, { path: o.prefix, secure, maxAge });
  const callbackUrl = (req: IncomingMessage) =>
    `${o.publicUrl?.replace(/\/+$/, '') ?? `http://${req.headers.host ?? 'localhost'}`}${o.prefix}/callback`;
  const safeReturn = (path: string | null | undefined) =>
    path && (path === o.prefix || path.startsWith(`${o.prefix}/`)) && !/\/\/|\\|[\s:]/.test(path)
      ? path
      : `${o.prefix}/`;
  const fail = (
    req: IncomingMessage,
    res: ServerResponse,
    ctx: PageContext,
    status: number,
    message: string,
  ) => send(req, res, status, 'text/html; charset=utf-8', renderErrorPage('Sign-in failed', message, ctx));

  return {
    session: (req) => openSession(parseCookies(req.headers.cookie)[SESSION_COOKIE], o.sessionSecret, o.now()),

    login(req, res, url, ctx) {
      if (!o.oauth)
        return fail(req, res, ctx, 404, 'Sign-in with GitHub is not configured for this dashboard.');
      const state = randomBytes(16).toString('base64url');
      const sealed = seal(
        { state, back: safeReturn(url.searchParams.get('return')), exp: o.now() + STATE_SECONDS * 1000 },
        o.sessionSecret,
        'oauth-state',
      );
      redirect(res, authorizeUrl(o.oauth, state, callbackUrl(req)), [
        jar(STATE_COOKIE, sealed, STATE_SECONDS),
      ]);
    },

    async callback(req, res, url, ctx) {
      if (!o.oauth)
        return fail(req, res, ctx, 404, 'Sign-in with GitHub is not configured for this dashboard.');
      const pending = unseal(
        parseCookies(req.headers.cookie)[STATE_COOKIE] ?? '',
        o.sessionSecret,
        'oauth-state',
      ) as { state?: unknown; back?: unknown; exp?: unknown } | undefined;
      const code = url.searchParams.get('code');
      const valid =
        pending &&
        typeof pending.exp === 'number' &&
        pending.exp > o.now() &&
        typeof pending.state === 'string' &&
        pending.state === url.searchParams.get('state');
      if (!valid || !code) {
        return fail(req, res, ctx, 400, 'The sign-in expired or was not started here. Please sign in again.');
      }
      let token: string;
      let login: string;
      try {
        token = await exchangeCode(o.oauth, code, callbackUrl(req));
        login = await fetchLogin(o.oauth, token);
      } catch (err) {
        if (!isBackportError(err)) throw err;
        return fail(req, res, ctx, 502, err.message);
      }
      const session: Session = { token, login, expiresAt: o.now() + SESSION_SECONDS * 1000 };
      redirect(res, safeReturn(typeof pending.back === 'string' ? pending.back : null), [
        jar(SESSION_COOKIE, seal(session, o.sessionSecret, 'session'), SESSION_SECONDS),
        jar(STATE_COOKIE, '', 0),
      ]);
    },

    logout(_req, res) {
      redirect(res, `${o.prefix}/`, [jar(SESSION_COOKIE, '', 0)]);
    },
  };
}
