import type { Probot } from 'probot';
import { GitHubClient } from '../publish/github-client.js';
import { createLedgerGitHub } from '../publish/ledger-github.js';
import type { RepoConnection } from '../ledger/ledger-ports.js';
import { installationIds } from './installation-ids.js';

type Octokit = Awaited<ReturnType<Probot['auth']>>;

export interface LedgerAccess {
  connect(repo: string, installationId: number | undefined): Promise<RepoConnection>;
  appLogin(): Promise<string>;
  installedRepos(): Promise<Array<{ installationId: number; repos: string[] }>>;
  installationRepos(installationId: number): Promise<string[]>;
  /** GitHub's REST base URL as Probot uses it (api.github.com, GHE, or the simulator). */
  apiUrl(): Promise<string>;
}

/**
 * How the ledger reaches GitHub outside a webhook (a debounced update, a rebuild): through
 * Probot's app and installation clients. Octokit's own retries are off per request because
 * the GitHub client decides what is safe to retry, as for the pipeline.
 */
export function ledgerAccess(app: Probot): LedgerAccess {
  let login: Promise<string> | undefined;
  const appLogin = () => {
    login ??= (async () => {
      const octokit = await app.auth();
      const { data } = await octokit.request('GET /app');
      return `${(data as { slug: string }).slug}[bot]`;
    })().catch((err: unknown) => {
      login = undefined; // try again on the next event
      throw err;
    });
    return login;
  };
  const reposOf = async (octokit: Octokit) =>
    (await octokit.paginate('GET /installation/repositories', { per_page: 100 })).map(
      (r) => (r as { full_name: string }).full_name,
    );

  return {
    appLogin,
    async connect(repo, installationId) {
      const [owner, name] = repo.split('/') as [string, string];
      const id = installationId ?? (await installationOf(app, owner, name));
      const octokit = await app.auth(id);
      const gh = new GitHubClient(
        (route, params) => octokit.request(route, { ...params, request: { retries: 0 } }),
        owner,
        name,
      );
      return {
        github: createLedgerGitHub(gh, await appLogin()),
        readConfig: () => readConfig(octokit, owner, name),
        token: async () => ((await octokit.auth({ type: 'installation' })) as { token: string }).token,
      };
    },
    async installedRepos() {
      const result = [];
      for (const id of await installationIds(app))
        result.push({ installationId: id, repos: await reposOf(await app.auth(id)) });
      return result;
    },
    installationRepos: async (id) => reposOf(await app.auth(id)),
    apiUrl: async () => String((await app.auth()).request.endpoint.DEFAULTS.baseUrl).replace(/\/+$/, ''),
  };
}

async function installationOf(app: Probot, owner: string, repo: string): Promise<number> {
  const octokit = await app.auth();
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/installation', { owner, repo });
  return (data as { id: number }).id;
}

/**
 * `.github/backport.yml` as Probot's config plugin reads it (with `_extends` and the owner's
 * `.github` repository), null when there is none. Settings are merged shallowly: the ledger
 * reads only top-level keys.
 */
async function readConfig(octokit: Octokit, owner: string, repo: string): Promise<unknown> {
  const { config, files } = await octokit.config.get({ owner, repo, path: '.github/backport.yml' });
  return files.some((f) => f.config !== null) ? config : null;
}
