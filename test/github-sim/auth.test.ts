import { createSign, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGitHubSim, type GitHubSim } from '../../tools/github-sim/index.js';
import { installationClient, probotClient, raw } from './helpers.js';

function jwt(privateKey: string, claims: Record<string, unknown>): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const data = `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc(claims)}`;
  const signature = createSign('RSA-SHA256').update(data).sign(privateKey).toString('base64url');
  return `${data}.${signature}`;
}

describe('github-sim authentication', () => {
  let sim: GitHubSim;
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    sim = await startGitHubSim();
    await sim.createRepo({ owner: 'acme', name: 'widgets', private: true });
    await sim.createRepo({ owner: 'other', name: 'secret', private: true });
  });
  afterAll(() => sim.stop());

  it('exchanges an app JWT for an installation token that reads the installation repos (Probot path)', async () => {
    const octokit = await probotClient(sim, 'acme');
    const { data } = await octokit.rest.repos.get({ owner: 'acme', repo: 'widgets' });
    expect(data.full_name).toBe('acme/widgets');
    expect(data.private).toBe(true);
    expect(sim.requestLog.map((r) => r.operationId)).toContain('apps/create-installation-access-token');
  });

  it('accepts the token as `token` and as `Bearer`', async () => {
    const token = sim.createInstallationToken('acme');
    expect((await raw(sim, 'GET', '/repos/acme/widgets', { token })).status).toBe(200);
    const bearer = await fetch(`${sim.apiUrl}/repos/acme/widgets`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(bearer.status).toBe(200);
  });

  it('answers 401 Bad credentials for an unknown token', async () => {
    const res = await raw(sim, 'GET', '/repos/acme/widgets', { token: 'ghs_notarealtoken' });
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ message: 'Bad credentials' });
  });

  it('answers 401 for an expired token', async () => {
    const token = sim.createInstallationToken('acme');
    sim.expireTokens();
    const res = await raw(sim, 'GET', '/repos/acme/widgets', { token });
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ message: 'Bad credentials' });
  });

  it('hides repositories of other installations (404) and private repos from anonymous callers', async () => {
    const token = sim.createInstallationToken('acme');
    expect((await raw(sim, 'GET', '/repos/other/secret', { token })).status).toBe(404);
    expect((await raw(sim, 'GET', '/repos/acme/widgets')).status).toBe(404);
  });

  it('issues tokens only for JWTs signed with the app key, with the right iss and a live exp', async () => {
    const id = sim.installationId('acme');
    const path = `/app/installations/${id}/access_tokens`;
    const post = (token: string) => raw(sim, 'POST', path, { token });
    const good = await post(jwt(sim.privateKey, { iat: now() - 30, exp: now() + 540, iss: sim.appId }));
    expect(good.status).toBe(201);
    expect(good.json()).toMatchObject({ token: expect.stringMatching(/^ghs_/) });

    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs1',
      format: 'pem',
    }) as string;
    const forged = await post(jwt(otherKey, { iat: now() - 30, exp: now() + 540, iss: sim.appId }));
    expect(forged.status).toBe(401);
    const wrongIss = await post(
      jwt(sim.privateKey, { iat: now() - 30, exp: now() + 540, iss: sim.appId + 1 }),
    );
    expect(wrongIss.status).toBe(401);
    const expired = await post(jwt(sim.privateKey, { iat: now() - 700, exp: now() - 100, iss: sim.appId }));
    expect(expired.status).toBe(401);
    expect(expired.json()).toMatchObject({ message: expect.stringContaining("'exp'") });
    const tooLong = await post(jwt(sim.privateKey, { iat: now(), exp: now() + 3600, iss: sim.appId }));
    expect(tooLong.status).toBe(401);
    const unknown = await raw(sim, 'POST', '/app/installations/999999/access_tokens', {
      token: jwt(sim.privateKey, { iat: now() - 30, exp: now() + 540, iss: sim.appId }),
    });
    expect(unknown.status).toBe(404);
  });

  it('lists the installation repositories with pagination', async () => {
    for (let i = 0; i < 4; i++) await sim.createRepo({ owner: 'acme', name: `extra-${i}` });
    const octokit = installationClient(sim, 'acme');
    const first = await octokit.request('GET /installation/repositories', { per_page: 2 });
    expect(first.data.total_count).toBe(5);
    expect(first.data.repositories).toHaveLength(2);
    expect(first.headers.link).toContain('rel="next"');
    const all = await octokit.paginate('GET /installation/repositories', { per_page: 2 });
    expect(all.map((r) => r.full_name).sort()).toEqual(
      ['acme/extra-0', 'acme/extra-1', 'acme/extra-2', 'acme/extra-3', 'acme/widgets'].sort(),
    );
  });

  it('kept every request and response on spec', () => {
    expect(sim.violations).toEqual([]);
  });
});
