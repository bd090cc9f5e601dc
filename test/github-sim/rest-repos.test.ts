import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGitHubSim, type GitHubSim } from '../../tools/github-sim/index.js';
import { installationClient, raw } from './helpers.js';
import { testAppKey } from '../support/app-key.js';

type Client = ReturnType<typeof installationClient>;

describe('github-sim REST: repository, contents, branches, commits', () => {
  let sim: GitHubSim;
  let octokit: Client;
  const repo = { owner: 'acme', repo: 'widgets' };
  let tip: string;

  beforeAll(async () => {
    sim = await startGitHubSim({ appPrivateKey: testAppKey() });
    await sim.createRepo({ owner: 'acme', name: 'widgets', defaultBranch: 'main' });
    await sim.createRepo({ owner: 'acme', name: 'bare' });
    tip = await sim.commitFiles('acme/widgets', {
      branch: 'main',
      files: { '.github/backport.yml': 'labelPrefix: "backport-to: "\n', 'src/a.txt': 'héllo\n' },
      message: 'init',
    });
    await sim.commitFiles('acme/widgets', {
      branch: 'release/v1.2',
      files: { 'src/a.txt': 'old\n' },
      message: 'old',
    });
    octokit = installationClient(sim, 'acme');
  });
  afterAll(() => sim.stop());

  it('serves a file as raw text and as base64 JSON, honouring ref', async () => {
    const rawRes = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
      ...repo,
      path: 'src/a.txt',
      mediaType: { format: 'raw' },
    });
    expect(rawRes.data).toBe('héllo\n');
    const json = await octokit.rest.repos.getContent({ ...repo, path: 'src/a.txt', ref: 'release/v1.2' });
    const file = json.data as { type: string; encoding: string; content: string };
    expect(file.type).toBe('file');
    expect(Buffer.from(file.content, 'base64').toString()).toBe('old\n');
  });

  it('lists a directory as JSON even when raw is asked for, and 404s a missing path or ref', async () => {
    const dir = await raw(sim, 'GET', '/repos/acme/widgets/contents/src', {
      token: sim.createInstallationToken('acme'),
      accept: 'application/vnd.github.v3.raw',
    });
    expect(dir.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(dir.json()).toEqual([expect.objectContaining({ type: 'file', path: 'src/a.txt', name: 'a.txt' })]);
    const missing = await octokit.rest.repos
      .getContent({ ...repo, path: 'nope.txt' })
      .catch((e: { status: number }) => e);
    expect(missing).toMatchObject({ status: 404 });
    const badRef = await octokit.rest.repos
      .getContent({ ...repo, path: 'src/a.txt', ref: 'no-such-branch' })
      .catch((e: { status: number }) => e);
    expect(badRef).toMatchObject({ status: 404 });
  });

  it("feeds Probot's config loader, and 404s the owner's missing .github repository cleanly", async () => {
    const found = await octokit.config.get({ ...repo, path: '.github/backport.yml' });
    expect(found.config).toEqual({ labelPrefix: 'backport-to: ' });
    const none = await octokit.config.get({ owner: 'acme', repo: 'bare', path: '.github/backport.yml' });
    expect(none.config).toEqual({});
    expect(none.files.map((f) => `${f.owner}/${f.repo}`)).toEqual(['acme/bare', 'acme/.github']);
  });

  it('answers branches (names with slashes) and git refs, 404 when missing', async () => {
    const { data: branch } = await octokit.rest.repos.getBranch({ ...repo, branch: 'release/v1.2' });
    expect(branch.name).toBe('release/v1.2');
    expect(branch.commit.commit.message).toBe('old');
    const { data: ref } = await octokit.rest.git.getRef({ ...repo, ref: 'heads/main' });
    expect(ref).toMatchObject({ ref: 'refs/heads/main', object: { sha: tip, type: 'commit' } });
    expect(
      await octokit.rest.repos
        .getBranch({ ...repo, branch: 'gone' })
        .catch((e: { status: number }) => e.status),
    ).toBe(404);
    expect(
      await octokit.rest.git
        .getRef({ ...repo, ref: 'heads/gone' })
        .catch((e: { status: number }) => e.status),
    ).toBe(404);
  });

  it('finds the pull requests of a commit: open ones while unmerged, the merged one after', async () => {
    const head = await sim.commitFiles('acme/widgets', {
      branch: 'fix',
      files: { 'src/a.txt': 'fixed\n' },
      message: 'fix',
    });
    const n = await sim.createPull({
      repo: 'acme/widgets',
      head: 'fix',
      base: 'main',
      title: 'Fix',
      user: 'alice',
    });
    const before = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      ...repo,
      commit_sha: head,
    });
    expect(before.data.map((p) => p.number)).toEqual([n]);
    const squash = await sim.mergePull({
      repo: 'acme/widgets',
      number: n,
      method: 'squash',
      mergedBy: 'alice',
    });
    const after = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      ...repo,
      commit_sha: squash,
    });
    expect(after.data.map((p) => [p.number, p.merged_at !== null])).toEqual([[n, true]]);
    const none = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: tip });
    expect(none.data).toEqual([]);
  });

  it('reports check runs and combined statuses that a test set for a commit', async () => {
    await sim.setCheckRuns('acme/widgets', 'main', [
      { name: 'build', status: 'completed', conclusion: 'success' },
      { name: 'lint', status: 'in_progress', conclusion: null },
    ]);
    await sim.setStatuses('acme/widgets', 'main', [{ context: 'ci/legacy', state: 'failure' }]);
    const runs = await octokit.rest.checks.listForRef({ ...repo, ref: 'main' });
    expect(runs.data.check_runs.map((r) => [r.name, r.status, r.conclusion])).toEqual([
      ['build', 'completed', 'success'],
      ['lint', 'in_progress', null],
    ]);
    const filtered = await octokit.rest.checks.listForRef({ ...repo, ref: 'main', check_name: 'lint' });
    expect(filtered.data.total_count).toBe(1);
    const status = await octokit.rest.repos.getCombinedStatusForRef({ ...repo, ref: 'main' });
    expect(status.data.state).toBe('failure');
    const other = await octokit.rest.repos.getCombinedStatusForRef({ ...repo, ref: 'release/v1.2' });
    expect(other.data).toMatchObject({ state: 'pending', total_count: 0 });
  });

  it('records an unimplemented route as a violation and answers 404', async () => {
    const before = sim.violations.length;
    const res = await raw(sim, 'GET', '/repos/acme/widgets/compare/main...fix', {
      token: sim.createInstallationToken('acme'),
    });
    expect(res.status).toBe(404);
    expect(sim.violations.slice(before)).toEqual([
      expect.objectContaining({ kind: 'unimplemented', path: '/repos/acme/widgets/compare/main...fix' }),
    ]);
    sim.violations.splice(before);
  });

  it('kept every request and response on spec', () => {
    expect(sim.violations).toEqual([]);
  });
});
