import type { Context } from 'probot';
import type { InstallationAccess } from '../jobs/backport-request.js';

/**
 * GitHub access for the pipeline, from a webhook's context. Octokit's own retry plugin is
 * switched off per request because the pipeline decides what is safe to retry (a blind retry
 * of "create issue" can make two issues).
 */
export function installationAccess(context: Context): InstallationAccess {
  const octokit = context.octokit;
  return {
    request: (route, params) => octokit.request(route, { ...params, request: { retries: 0 } }),
    token: async () => {
      const auth = (await octokit.auth({ type: 'installation' })) as { token: string };
      return auth.token;
    },
  };
}
