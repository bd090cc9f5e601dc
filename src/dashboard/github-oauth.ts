/**
 * GitHub's OAuth web flow, as far as the dashboard needs it: where to send the browser, how
 * to turn the returned code into a user token, and whose token it is.
 */
import { BackportError } from '../errors.js';

export interface OAuthConfig {
  clientId: string;
  clientSecret: string;
  /** `https://github.com`, or a GitHub Enterprise host. */
  webUrl?: string;
  /** `https://api.github.com`, or `https://HOST/api/v3`. */
  apiUrl?: string;
  fetch?: typeof fetch;
}

export function authorizeUrl(config: OAuthConfig, state: string, redirectUri: string): string {
  const url = new URL('/login/oauth/authorize', config.webUrl ?? 'https://github.com');
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('state', state);
  url.searchParams.set('allow_signup', 'false');
  return url.toString();
}

export async function exchangeCode(config: OAuthConfig, code: string, redirectUri: string): Promise<string> {
  const doFetch = config.fetch ?? fetch;
  const res = await doFetch(new URL('/login/oauth/access_token', config.webUrl ?? 'https://github.com'), {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify({
      client_id: config.clientId,
      client_secret: config.clientSecret,
      code,
      redirect_uri: redirectUri,
    }),
  });
  // GitHub answers 200 with `{ error }` for a bad or reused code.
  const json = (await res.json().catch(() => ({}))) as { access_token?: unknown; error?: unknown };
  if (!res.ok || typeof json.access_token !== 'string') {
    throw new BackportError('github-error', 'GitHub did not accept the sign-in; please try again.', {
      status: res.status,
      error: typeof json.error === 'string' ? json.error : undefined,
    });
  }
  return json.access_token;
}

export async function fetchLogin(config: OAuthConfig, token: string): Promise<string> {
  const doFetch = config.fetch ?? fetch;
  const res = await doFetch(`${config.apiUrl ?? 'https://api.github.com'}/user`, {
    headers: githubHeaders(token),
  });
  const json = (await res.json().catch(() => ({}))) as { login?: unknown };
  if (!res.ok || typeof json.login !== 'string') {
    throw new BackportError('github-error', 'GitHub did not say who signed in; please try again.', {
      status: res.status,
    });
  }
  return json.login;
}

export function githubHeaders(token: string): Record<string, string> {
  return {
    accept: 'application/vnd.github+json',
    authorization: `Bearer ${token}`,
    'user-agent': 'backport-assistant-dashboard',
    'x-github-api-version': '2022-11-28',
  };
}
