import type { Context, Probot } from 'probot';
import type { InstallationAccess } from '../jobs/backport-request.js';

/**
 * GitHub access for the pipeline, from a webhook's context. Octokit's own retry plugin is
 * switched off per request because the pipeline decides what is safe to retry (a blind retry
 * of "create issue" can make two issues).
 */
export function installationAccess(context: Context): InstallationAccess {
  return octokitAccess(context.octokit as Awaited<ReturnType<Probot['auth']>>);
}

/** The same from an installation's client (outside a webhook: a resumed job, reconciliation). */
export function octokitAccess(octokit: Awaited<ReturnType<Probot['auth']>>): InstallationAccess {
  return {
    request: (route, params) => octokit.request(route, { ...params, request: { retries: 0 } }),
    token: async () => {
      const auth = (await octokit.auth({ type: 'installation' })) as { token: string };
      return auth.token;
    },
    appLogin: () => appLoginOf(octokit),
  };
}

type Octokit = Context['octokit'];

// One app per GitHub host: its login is asked for once (and again after a failure).
const logins = new Map<string, Promise<string>>();

/**
 * The login the app writes as. A GitHub App: `slug[bot]`, from `GET /app` with its JWT (the
 * installation token cannot ask). Run with a plain token (the GitHub Action): the token's
 * user from `GET /user`, or `github-actions[bot]` for a workflow's own token, which cannot
 * ask either. BACKPORT_APP_LOGIN overrides all of it (an Action run with an app's token).
 */
function appLoginOf(octokit: Octokit): Promise<string> {
  const configured = process.env.BACKPORT_APP_LOGIN?.trim();
  if (configured) return Promise.resolve(configured);
  const host = String(octokit.request.endpoint.DEFAULTS.baseUrl);
  const known = logins.get(host);
  if (known) return known;
  const login = askLogin(octokit).catch((err: unknown) => {
    logins.delete(host);
    throw err;
  });
  logins.set(host, login);
  return login;
}

async function askLogin(octokit: Octokit): Promise<string> {
  const auth = (await octokit.auth({ type: 'app' })) as { type?: string; token: string };
  if (auth.type === 'app') {
    const { data } = await octokit.request('GET /app', {
      headers: { authorization: `bearer ${auth.token}` },
      request: { retries: 0 },
    });
    return `${(data as { slug: string }).slug}[bot]`;
  }
  try {
    const { data } = await octokit.request('GET /user', { request: { retries: 0 } });
    return (data as { login: string }).login;
  } catch {
    return 'github-actions[bot]';
  }
}
