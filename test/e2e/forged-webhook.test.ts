import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './app-harness.js';
import { backportPulls, expectNoTokenLeak, fix, lines, makeRepo, mergedPull } from './world.js';

/** A server that answers 404 to everything and remembers what it was sent. */
async function listener(): Promise<{ url: string; seen: string[]; server: Server }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
    req.resume();
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, seen, server };
}

describe('a webhook cannot send the token elsewhere (defect h)', () => {
  let h: Harness;
  let attacker: Awaited<ReturnType<typeof listener>>;
  beforeAll(async () => {
    h = await startHarness();
    attacker = await listener();
  });
  afterAll(async () => {
    attacker.server.close();
    await h.stop();
  });

  it("fetches from the configured GitHub host, whatever the payload's clone_url says", async () => {
    const repo = await makeRepo(h.sim, 'forged', {
      files: { 'src/calc.c': lines(20) },
      branches: { 'v1.2': null },
    });
    const { number } = await mergedPull(h.sim, repo, fix([]));
    await h.idle();
    // The label is added with webhooks going nowhere, then its event is sent with a forged URL.
    const appUrl = h.sim.webhookUrl;
    h.sim.webhookUrl = attacker.url;
    const genuine = await h.sim.addLabel(repo, number, 'backport-to: v1.2', 'maint');
    h.sim.webhookUrl = appUrl;
    attacker.seen.length = 0;
    const payload = JSON.parse(genuine!.body) as { repository: Record<string, unknown> };
    payload.repository.clone_url = `${attacker.url}/${repo}.git`;
    payload.repository.html_url = `${attacker.url}/${repo}`;
    await h.sim.webhooks.deliver('pull_request', payload);
    await h.idle();

    expect(attacker.seen).toEqual([]);
    expect(backportPulls(h.sim, repo, 'v1.2')).toHaveLength(1);
    expectNoTokenLeak(h.sim, h.logs);
  });
});
