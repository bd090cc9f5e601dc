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

/** `slug[bot]`, from `GET /app` with the app's own JWT (the installation token cannot ask). */
function appLoginOf(octokit: Octokit): Promise<string> {
  const host = String(octokit.request.endpoint.DEFAULTS.baseUrl);
  const known = logins.get(host);
  if (known) return known;
  const login = (async () => {
    const { token } = (await octokit.auth({ type: 'app' })) as { token: string };
    const { data } = await octokit.request('GET /app', {
      headers: { authorization: `bearer ${token}` },
      request: { retries: 0 },
    });
    return `${(data as { slug: string }).slug}[bot]`;
  })().catch((err: unknown) => {
    logins.delete(host);
    throw err;
  });
  logins.set(host, login);
  return login;
}
