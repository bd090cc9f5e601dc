import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import { startGitHubSim, type GitHubSim } from '../../tools/github-sim/index.js';
import { installationClient, raw, tempDir } from './helpers.js';
import { testAppKey } from '../support/app-key.js';

describe('github-sim faults and latency', () => {
  let sim: GitHubSim;
  let token: string;
  const tmp = tempDir('sim-faults-');

  beforeAll(async () => {
    sim = await startGitHubSim({ appPrivateKey: testAppKey() });
    await sim.createRepo({ owner: 'acme', name: 'widgets' });
    await sim.commitFiles('acme/widgets', { branch: 'main', files: { 'a.txt': 'a\n' }, message: 'init' });
    token = sim.createInstallationToken('acme');
  });
  afterAll(async () => {
    await sim.stop();
    tmp.remove();
  });

  it('fails an operation exactly the configured number of times', async () => {
    const fault = sim.faults.add({ operationId: 'repos/get', status: 502, times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await raw(sim, 'GET', '/repos/acme/widgets', { token })).status);
    expect(statuses).toEqual([502, 502, 200]);
    expect(fault.fired).toBe(2);
  });

  it('lets a retrying client (plugin-retry) get through a transient 502', async () => {
    sim.faults.add({ operationId: 'repos/get', status: 502, times: 1 });
    const before = sim.requestLog.length;
    const { status } = await installationClient(sim, 'acme', true).rest.repos.get({
      owner: 'acme',
      repo: 'widgets',
    });
    expect(status).toBe(200);
    expect(sim.requestLog.slice(before).map((r) => r.status)).toEqual([502, 200]);
  });

  it('answers rate limits with the headers a test gives (403 + x-ratelimit-*, 429 + retry-after)', async () => {
    const reset = String(Math.floor(Date.now() / 1000) + 60);
    sim.faults.add({
      method: 'GET',
      pathRegex: /\/pulls$/,
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
      body: { message: 'API rate limit exceeded for installation ID 100.' },
    });
    const limited = await raw(sim, 'GET', '/repos/acme/widgets/pulls', { token });
    expect(limited.status).toBe(403);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-ratelimit-reset')).toBe(reset);
    expect(limited.json()).toEqual({ message: 'API rate limit exceeded for installation ID 100.' });
    sim.faults.add({ operationId: 'issues/create', status: 429, headers: { 'retry-after': '1' } });
    const busy = await raw(sim, 'POST', '/repos/acme/widgets/issues', { token, body: { title: 't' } });
    expect(busy.status).toBe(429);
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(sim.issues('acme/widgets')).toEqual([]);
    expect((await raw(sim, 'GET', '/repos/acme/widgets/pulls', { token })).status).toBe(200);
  });

  it('injects faults into git requests too', async () => {
    const fault = sim.faults.add({ operationId: 'git/upload-pack', status: 500 });
    const dir = join(tmp.path, 'clone');
    const first = await git
      .clone({ fs, http, dir, url: sim.cloneUrl('acme/widgets') })
      .catch((e: { code?: string }) => e);
    expect(first).toMatchObject({ code: 'HttpError' });
    expect(fault.fired).toBe(1);
    fs.rmSync(dir, { recursive: true, force: true });
    await git.clone({ fs, http, dir, url: sim.cloneUrl('acme/widgets') });
    expect(fs.readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('a\n');
  });

  it('delays REST and git requests by the configured latency', async () => {
    sim.setLatency(60);
    const before = sim.requestLog.length;
    await raw(sim, 'GET', '/repos/acme/widgets', { token });
    await git.getRemoteInfo({ http, url: sim.cloneUrl('acme/widgets') });
    sim.setLatency(0);
    const logged = sim.requestLog.slice(before);
    expect(logged.map((r) => r.operationId)).toEqual(['repos/get', 'git/info-refs']);
    for (const r of logged) expect(r.ms).toBeGreaterThanOrEqual(55);
  });
});
