import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGitHubSim, type GitHubSim } from '../../tools/github-sim/index.js';
import { installationClient } from './helpers.js';
import { testAppKey } from '../support/app-key.js';

describe('github-sim REST: check runs an app writes', () => {
  let sim: GitHubSim;
  let octokit: ReturnType<typeof installationClient>;
  const repo = { owner: 'acme', repo: 'widgets' };
  let tip: string;

  beforeAll(async () => {
    sim = await startGitHubSim({ appPrivateKey: testAppKey() });
    await sim.createRepo({ owner: 'acme', name: 'widgets', defaultBranch: 'main' });
    tip = await sim.commitFiles('acme/widgets', {
      branch: 'main',
      files: { 'a.txt': 'a\n' },
      message: 'init',
    });
    octokit = installationClient(sim, 'acme');
  });
  afterAll(() => sim.stop());

  it('creates a run, completes it with PATCH, and lists the latest run of each name', async () => {
    const made = await octokit.rest.checks.create({
      ...repo,
      name: 'Backport conflict markers',
      head_sha: tip,
      status: 'in_progress',
    });
    expect(made.status).toBe(201);
    expect(made.data).toMatchObject({ status: 'in_progress', conclusion: null, head_sha: tip });
    expect(made.data.app?.slug).toBe('backport-assistant');
    const done = await octokit.rest.checks.update({
      ...repo,
      check_run_id: made.data.id,
      conclusion: 'failure',
      output: { title: 'Markers remain', summary: 'a.txt line 3' },
    });
    expect(done.data).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(done.data.completed_at).not.toBeNull();
    expect(done.data.output.title).toBe('Markers remain');

    await octokit.rest.checks.create({
      ...repo,
      name: 'Backport conflict markers',
      head_sha: tip,
      conclusion: 'success',
      output: { title: 'No markers', summary: 'none' },
    });
    const latest = await octokit.rest.checks.listForRef({ ...repo, ref: 'main' });
    expect(latest.data.check_runs.map((r) => [r.name, r.conclusion])).toEqual([
      ['Backport conflict markers', 'success'],
    ]);
    const all = await octokit.rest.checks.listForRef({ ...repo, ref: 'main', filter: 'all' });
    expect(all.data.total_count).toBe(2);
    expect((await sim.checkRuns('acme/widgets', 'main')).map((r) => r.conclusion)).toEqual([
      'failure',
      'success',
    ]);
    expect(sim.violations).toEqual([]);
  });

  it('answers 404 for an unknown run and 422 for a commit the repository lacks', async () => {
    const missing = await octokit.rest.checks
      .update({ ...repo, check_run_id: 999_999, conclusion: 'success', output: { summary: 'x' } })
      .catch((e: { status: number }) => e);
    expect(missing).toMatchObject({ status: 404 });
    const badSha = await octokit.rest.checks
      .create({ ...repo, name: 'x', head_sha: '0'.repeat(40) })
      .catch((e: { status: number }) => e);
    expect(badSha).toMatchObject({ status: 422 });
  });
});
