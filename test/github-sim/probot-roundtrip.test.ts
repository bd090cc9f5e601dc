import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Probot, createNodeMiddleware } from 'probot';
import { startGitHubSim, type GitHubSim } from '../../tools/github-sim/index.js';
import { testAppKey } from '../support/app-key.js';

describe('github-sim with a real Probot app in the loop', () => {
  let sim: GitHubSim;
  let server: Server;
  const seen: string[] = [];

  beforeAll(async () => {
    sim = await startGitHubSim({ appPrivateKey: testAppKey(), webhookSecret: 'roundtrip' });
    const probot = new Probot({
      appId: sim.appId,
      privateKey: sim.privateKey,
      secret: sim.webhookSecret,
      baseUrl: sim.apiUrl,
      logLevel: 'fatal',
      logFormat: 'json',
    });
    const middleware = await createNodeMiddleware(
      (app) => {
        app.on('pull_request.labeled', async (context) => {
          seen.push(`${context.name}.${context.payload.action}`);
          const config = (await context.config('backport.yml', { prefix: 'none' })) as { prefix: string };
          await context.octokit.rest.issues.createComment(
            context.issue({ body: `label ${context.payload.label?.name} with prefix ${config.prefix}` }),
          );
        });
      },
      { probot },
    );
    server = createServer((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    sim.webhookUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/github/webhooks`;
    await sim.createRepo({ owner: 'acme', name: 'widgets' });
    await sim.commitFiles('acme/widgets', {
      branch: 'main',
      files: { '.github/backport.yml': 'prefix: "backport-to: "\n' },
      message: 'config',
    });
    await sim.commitFiles('acme/widgets', { branch: 'fix', files: { 'a.txt': 'a\n' }, message: 'fix' });
  });
  afterAll(async () => {
    await sim.stop();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('Probot verifies the signature, authenticates as the app, reads config and comments', async () => {
    const number = await sim.createPull({
      repo: 'acme/widgets',
      head: 'fix',
      base: 'main',
      title: 'Fix',
      user: 'alice',
    });
    const delivery = await sim.addLabel('acme/widgets', number, 'backport-to: v1.2', 'alice');
    expect(delivery?.status).toBe(200);
    expect(seen).toEqual(['pull_request.labeled']);
    expect(sim.comments('acme/widgets', number).map((c) => [c.user, c.body])).toEqual([
      ['backport-assistant[bot]', 'label backport-to: v1.2 with prefix backport-to: '],
    ]);
    expect(sim.violations).toEqual([]);
  });

  it('Probot refuses a delivery whose signature does not match', async () => {
    const other = await startGitHubSim({
      appPrivateKey: testAppKey(),
      webhookUrl: sim.webhookUrl,
      webhookSecret: 'wrong-secret',
    });
    try {
      expect(await other.deliver('ping', { zen: 'x' })).toBe(400);
    } finally {
      await other.stop();
    }
  });
});
