/**
 * The app-level endpoints: who the app is, where it is installed, installation tokens, and the
 * repositories an installation token can see.
 */
import { APP_PERMISSIONS, appJson, installationJson, repoJson } from './serialize-core.js';
import { HttpError, errorBody, notFound, paginate, type Handler, type RestRequest } from './rest-types.js';

function requireApp(req: RestRequest): void {
  if (req.auth.kind !== 'app') {
    throw new HttpError(401, errorBody(401, 'A JSON web token could not be decoded'));
  }
}

export const appHandlers: Record<string, Handler> = {
  'apps/get-authenticated': async (req, sim) => {
    requireApp(req);
    return { status: 200, body: appJson(sim.app, sim.state, sim.urls) };
  },

  'apps/list-installations': async (req, sim) => {
    requireApp(req);
    const all = [...sim.state.installations.values()].sort((a, b) => a.id - b.id);
    const { page, headers } = paginate(req, all);
    return { status: 200, headers, body: page.map((i) => installationJson(i, sim.app, sim.state, sim.urls)) };
  },

  'apps/create-installation-access-token': async (req, sim) => {
    requireApp(req);
    const id = Number(req.params.installation_id);
    const inst = [...sim.state.installations.values()].find((i) => i.id === id);
    if (!inst) throw notFound();
    const t = sim.issueTokenFor(inst.id);
    return {
      status: 201,
      body: {
        token: t.token,
        expires_at: new Date(t.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        permissions: APP_PERMISSIONS,
        repository_selection: 'all',
      },
    };
  },

  'apps/get-repo-installation': async (req, sim) => {
    requireApp(req);
    const repo = sim.state.repo(`${req.params.owner}/${req.params.repo}`);
    const inst = repo && sim.state.installations.get(repo.owner.toLowerCase());
    if (!inst) throw notFound();
    return { status: 200, body: installationJson(inst, sim.app, sim.state, sim.urls) };
  },

  'apps/list-repos-accessible-to-installation': async (req, sim) => {
    const auth = req.auth;
    if (auth.kind !== 'installation')
      throw new HttpError(403, errorBody(403, 'Resource not accessible by integration'));
    const repos = [...sim.state.repos.values()]
      .filter((r) => r.owner.toLowerCase() === auth.account.toLowerCase())
      .sort((a, b) => a.id - b.id);
    const { page, headers } = paginate(req, repos);
    return {
      status: 200,
      headers,
      body: {
        total_count: repos.length,
        repository_selection: 'all',
        repositories: page.map((r) => repoJson(r, sim.state, sim.urls)),
      },
    };
  },
};
