import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGitHubSim, type GitHubSim } from '../../tools/github-sim/index.js';
import { OpenApiValidator, defaultFixturePath } from '../../tools/github-sim/openapi-validator.js';
import { raw } from './helpers.js';
import { testAppKey } from '../support/app-key.js';

describe('github-sim OpenAPI conformance', () => {
  let sim: GitHubSim;
  let token: string;

  beforeAll(async () => {
    sim = await startGitHubSim({ appPrivateKey: testAppKey() });
    await sim.createRepo({ owner: 'acme', name: 'widgets' });
    await sim.commitFiles('acme/widgets', { branch: 'main', files: { 'a.txt': 'a\n' }, message: 'init' });
    await sim.commitFiles('acme/widgets', {
      branch: 'feature',
      files: { 'a.txt': 'b\n' },
      message: 'change',
    });
    token = sim.createInstallationToken('acme');
  });
  afterAll(() => sim.stop());

  it('is a small, self-contained fixture that names its source package version', () => {
    const v = new OpenApiValidator();
    expect(v.source).toBe('@octokit/openapi@23.0.2 generated/api.github.com.json');
    expect(statSync(defaultFixturePath()).size).toBeLessThan(1024 * 1024);
    expect(v.operations.map((o) => o.operationId)).toEqual(
      expect.arrayContaining(['pulls/create', 'repos/get-content', 'apps/create-installation-access-token']),
    );
  });

  it('answers an off-spec request (POST /pulls without head) with 422 and records a violation', async () => {
    const res = await raw(sim, 'POST', '/repos/acme/widgets/pulls', {
      token,
      body: { base: 'main', title: 'x' },
    });
    expect(res.status).toBe(422);
    expect(sim.violations).toEqual([
      expect.objectContaining({
        kind: 'request',
        operationId: 'pulls/create',
        message: expect.stringContaining('head'),
      }),
    ]);
    expect(sim.pulls('acme/widgets')).toEqual([]);
  });

  it('checks query and path parameter types', async () => {
    sim.violations.length = 0;
    const bad = await raw(sim, 'GET', '/repos/acme/widgets/pulls?state=merged', { token });
    expect(bad.status).toBe(422);
    const badPath = await raw(sim, 'GET', '/repos/acme/widgets/issues/abc', { token });
    expect(badPath.status).toBe(422);
    expect(sim.violations.map((v) => v.operationId)).toEqual(['pulls/list', 'issues/get']);
    sim.violations.length = 0;
  });

  it('passes a good request and its response without a violation', async () => {
    const res = await raw(sim, 'POST', '/repos/acme/widgets/pulls', {
      token,
      body: { head: 'feature', base: 'main', title: 'Feature', draft: true },
    });
    expect(res.status).toBe(201);
    expect(res.json()).toMatchObject({ draft: true, head: { ref: 'feature' } });
    expect((await raw(sim, 'GET', '/repos/acme/widgets/pulls?state=all&per_page=5', { token })).status).toBe(
      200,
    );
    expect(sim.violations).toEqual([]);
  });

  it('flags a response that is off spec, and understands OpenAPI nullable', () => {
    const v = new OpenApiValidator();
    const labels = v.find('issues/add-labels')!;
    const label = { id: 1, node_id: 'x', url: 'u', name: 'bug', color: 'fff', default: false };
    expect(v.validateResponse(labels, 200, [{ ...label, description: null }])).toBeNull();
    expect(v.validateResponse(labels, 200, [{ ...label, description: 5 }])).toMatch(/description/);
    expect(v.validateResponse(labels, 200, [{ name: 'bug' }])).toMatch(/must have required property/);
    expect(v.validateResponse(v.find('pulls/get')!, 201, {})).toMatch(/not documented/);
  });
});
