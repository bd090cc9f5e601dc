// The dashboard handler mounted on a real node:http server, with access checked against the
// fake GitHub, as the app will mount it through Probot's addHandler.
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestHandler } from '../../src/dashboard/dashboard-handler.js';
import { createDashboardHandler } from '../../src/dashboard/dashboard-handler.js';
import { LedgerStore } from '../../src/ledger/ledger-store.js';
import { githubAccess } from '../../src/dashboard/repo-access.js';
import { FakeGitHub } from './fake-github.js';
import { NOW, PRIVATE_REPO, seedStore } from '../ledger/seed.js';

export interface RunningDashboard {
  url: string;
  errors: unknown[];
  stop(): Promise<void>;
}

export async function startDashboard(store: LedgerStore, github: FakeGitHub): Promise<RunningDashboard> {
  // The handler needs the server's URL (for the OAuth callback), so it is made after listen.
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (await handler(req, res)) return;
      res.writeHead(418, { 'content-type': 'text/plain' });
      res.end('not the dashboard\n');
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const errors: unknown[] = [];
  const api = `${github.url}/api/v3`;
  const handler: RequestHandler = createDashboardHandler({
    store,
    access: githubAccess({
      apiUrl: api,
      isPublic: async (repo) => (await store.repo(repo))?.private === false,
    }),
    sessionSecret: 'test secret',
    oauth: { clientId: 'cid', clientSecret: 'shh', webUrl: github.url, apiUrl: api },
    publicUrl: url,
    branches: async () => ['v1.2', 'v1.3'],
    now: () => NOW,
    onError: (err) => errors.push(err),
  });
  return {
    url,
    errors,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * What the dashboard suites look at: the dashboard over an in-memory ledger seeded by
 * `seedStore`, and a fake GitHub on which amy may read the private repository. `stop` closes
 * all three, the dashboard first.
 */
export async function startSeededDashboard(): Promise<{
  dash: RunningDashboard;
  github: FakeGitHub;
  stop(): Promise<void>;
}> {
  const store = await LedgerStore.openFile(':memory:');
  await seedStore(store);
  const github = await new FakeGitHub().start();
  github.readers.set(PRIVATE_REPO, new Set(['amy']));
  const dash = await startDashboard(store, github);
  return {
    dash,
    github,
    stop: async () => {
      await dash.stop();
      await github.stop();
      await store.close();
    },
  };
}
