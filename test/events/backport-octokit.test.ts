import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Probot } from 'probot';
import { startGitHubSim, type GitHubSim } from '../../tools/github-sim/index.js';
import { BackportOctokit } from '../../src/events/backport-octokit.js';
import { lines, makeRepo, openPull } from '../e2e/world.js';
import { testAppKey } from '../support/app-key.js';

/**
 * Defect k: in production Probot's throttling plugin retried rate-limited requests by itself
 * (the tests switched it off), on top of the GitHub client's own retries; and a write that
 * Octokit retries blindly can post twice. The app's Octokit, used by production and tests
 * alike, leaves every retry to the GitHub client: with throttling on, as in production.
 */
function silentLog(): unknown {
  const quiet = () => undefined;
  const log: Record<string, unknown> = {
    level: 'silent',
    trace: quiet,
    debug: quiet,
    info: quiet,
    warn: quiet,
    error: quiet,
    fatal: quiet,
  };
  log.child = () => log;
  return log;
}

describe("the app's Octokit", () => {
  let sim: GitHubSim;
  beforeAll(async () => {
    sim = await startGitHubSim({ appPrivateKey: testAppKey() });
  });
  afterAll(() => sim.stop());

  it('does not retry a rate-limited or failed write by itself, throttling on', async () => {
    const repo = await makeRepo(sim, 'octokit', { files: { 'a.txt': lines(3) } });
    const number = await openPull(sim, repo, { branch: 'fix', commits: [{ 'a.txt': lines(3, { 1: 'x' }) }] });
    const probot = new Probot({
      appId: sim.appId,
      privateKey: sim.privateKey,
      secret: sim.webhookSecret,
      baseUrl: sim.apiUrl,
      Octokit: BackportOctokit,
      log: silentLog() as never,
    });
    const [owner, name] = repo.split('/') as [string, string];
    const octokit = await probot.auth(sim.installationId(owner));
    const reset = String(Math.floor(Date.now() / 1000) + 1);
    const limited = sim.faults.add({
      operationId: 'issues/create-comment',
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
      body: { message: 'API rate limit exceeded' },
    });
    const post = () =>
      octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        owner,
        repo: name,
        issue_number: number,
        body: 'hello',
      });
    await expect(post()).rejects.toMatchObject({ status: 403 });
    expect(limited.fired).toBe(1);
    const failed = sim.faults.add({ operationId: 'issues/create-comment', status: 502 });
    await expect(post()).rejects.toMatchObject({ status: 502 });
    expect(failed.fired).toBe(1);
    expect(sim.comments(repo, number).filter((c) => c.body === 'hello')).toEqual([]);
  });
});
