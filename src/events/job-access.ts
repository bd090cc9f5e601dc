import type { Probot } from 'probot';
import type { JobPorts } from '../jobs/job-ports.js';
import { cloneUrlFor } from '../common/github-urls.js';
import { octokitAccess } from './installation-access.js';
import { installationIds } from './installation-ids.js';
import { readConfigWith } from './read-config.js';

/**
 * How jobs reach GitHub without a webhook at hand (a job resumed after a restart or taken
 * over from another instance, reconciliation): Probot's installation client for the job's
 * installation id, and the list of installed repositories.
 */
export function jobPorts(app: Probot): JobPorts {
  return {
    async connect(installationId, owner, repo) {
      const octokit = await app.auth(installationId);
      return { access: octokitAccess(octokit), readConfig: () => readConfigWith(octokit, owner, repo) };
    },
    async installedRepos() {
      const result = [];
      for (const id of await installationIds(app)) {
        const installation = await app.auth(id);
        const apiUrl = String(installation.request.endpoint.DEFAULTS.baseUrl);
        const repos = (await installation.paginate('GET /installation/repositories', {
          per_page: 100,
        })) as Array<{ name: string; owner: { login: string } }>;
        result.push({
          installationId: id,
          // Git URLs come from the configured GitHub host, as for webhooks (github-urls.ts).
          repos: repos.map((r) => ({
            fullName: `${r.owner.login}/${r.name}`,
            cloneUrl: cloneUrlFor(apiUrl, r.owner.login, r.name),
          })),
        });
      }
      return result;
    },
  };
}
