/**
 * GitHub's OAuth web flow, as far as an app signing people in needs it:
 *
 *   GET  /login/oauth/authorize?client_id&redirect_uri&state
 *        → 302 back to redirect_uri with `code` and `state`, for the person the test has
 *          "signed in to GitHub" (`sim.oauthLoginAs`); nobody signed in: a sign-in page (200).
 *   POST /login/oauth/access_token (form or JSON: client_id, client_secret, code, redirect_uri)
 *        → `{ access_token: 'ghu_…', token_type: 'bearer', scope: '' }` (JSON when asked for,
 *          else form-encoded). Failures are 200 with `{ error }`, as on GitHub.
 *
 * The token acts with the person's own access (see `repoFor`). These are web routes, not REST:
 * they are outside the OpenAPI description and are not checked against it.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mintUserToken } from './auth.js';
import { readBody } from './rest-dispatch.js';
import { workOfRequest, type SimInternals } from './sim-internals.js';
import type { SimState } from './state.js';

export const OAUTH_PATH = /^\/login\/oauth\/(authorize|access_token)\/?$/;

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

/** What the OAuth routes need of the simulator. */
export interface OAuthHost extends SimInternals {
  readonly oauth: OAuthClient;
  readonly oauthLoginAs: string | undefined;
}

const CODE_TTL_MS = 10 * 60 * 1000;

export async function handleOAuth(
  sim: OAuthHost,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  t0: number,
): Promise<void> {
  const which = OAUTH_PATH.exec(url.pathname)![1]!;
  const operationId = which === 'authorize' ? 'oauth/authorize' : 'oauth/access-token';
  const method = req.method ?? 'GET';
  const body = await readBody(req);
  const fault = sim.faults.take(method, url.pathname, operationId);
  let status: number;
  if (fault) {
    status = fault.status;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...fault.headers });
    res.end(JSON.stringify(fault.body ?? { message: 'Injected fault' }));
  } else if (which === 'authorize' && method === 'GET') {
    status = authorize(sim, url, res);
  } else if (which === 'access_token' && method === 'POST') {
    status = exchange(sim.state, sim.oauth, req, body, res);
  } else {
    status = 404;
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not Found\n');
  }
  sim.requestLog.push({
    method,
    path: url.pathname + url.search.replace(/([?&]code=)[^&]+/, '$1…'),
    operationId,
    status,
    ms: Math.round(performance.now() - t0),
    ...workOfRequest(),
  });
}

function page(res: ServerResponse, status: number, title: string): number {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><title>${title}</title><h1>${title}</h1>\n`);
  return status;
}

function authorize(sim: OAuthHost, url: URL, res: ServerResponse): number {
  const q = url.searchParams;
  // GitHub shows a 404 page for an unknown client id.
  if (q.get('client_id') !== sim.oauth.clientId) return page(res, 404, 'Not Found');
  const redirect = q.get('redirect_uri');
  let back: URL;
  try {
    back = new URL(redirect ?? '');
  } catch {
    return page(res, 400, 'The redirect_uri is not a URL');
  }
  if (!sim.oauthLoginAs) return page(res, 200, 'Sign in to GitHub');
  const login = sim.state.user(sim.oauthLoginAs).login;
  const code = randomBytes(10).toString('hex');
  sim.state.oauthCodes.set(code, {
    login,
    clientId: sim.oauth.clientId,
    redirectUri: redirect,
    expiresAt: Date.now() + CODE_TTL_MS,
  });
  back.searchParams.set('code', code);
  const state = q.get('state');
  if (state !== null) back.searchParams.set('state', state);
  res.writeHead(302, { location: back.toString() });
  res.end();
  return 302;
}

function exchange(
  state: SimState,
  client: OAuthClient,
  req: IncomingMessage,
  raw: Buffer,
  res: ServerResponse,
): number {
  const params = parseParams(String(req.headers['content-type'] ?? ''), raw.toString('utf8'));
  const answer = (fields: Record<string, string>) => {
    if (/application\/json/.test(String(req.headers.accept ?? ''))) {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(fields));
    } else {
      res.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' });
      res.end(new URLSearchParams(fields).toString());
    }
    return 200;
  };
  const fail = (error: string, description: string) =>
    answer({ error, error_description: description, error_uri: 'https://docs.github.com/apps' });
  if (params.client_id !== client.clientId || params.client_secret !== client.clientSecret) {
    return fail('incorrect_client_credentials', 'The client_id and/or client_secret passed are incorrect.');
  }
  const code = params.code ? state.oauthCodes.get(params.code) : undefined;
  // A code is good once, for the client it was issued to, for ten minutes.
  if (params.code) state.oauthCodes.delete(params.code);
  if (!code || code.clientId !== client.clientId || code.expiresAt <= Date.now()) {
    return fail('bad_verification_code', 'The code passed is incorrect or expired.');
  }
  if (
    params.redirect_uri !== undefined &&
    code.redirectUri !== null &&
    params.redirect_uri !== code.redirectUri
  ) {
    return fail(
      'redirect_uri_mismatch',
      'The redirect_uri MUST match the registered callback URL for this application.',
    );
  }
  const token = mintUserToken(state, code.login);
  return answer({ access_token: token.token, token_type: 'bearer', scope: '' });
}

function parseParams(contentType: string, text: string): Record<string, string | undefined> {
  if (/application\/json/.test(contentType)) {
    try {
      const json = JSON.parse(text) as Record<string, unknown>;
      return Object.fromEntries(
        Object.entries(json).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]),
      );
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}
