import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGitHubSim, type GitHubSim } from '../../tools/github-sim/index.js';
import { execFileSync } from 'node:child_process';
import { installationClient } from './helpers.js';
import { testAppKey } from '../support/app-key.js';

type Client = ReturnType<typeof installationClient>;

const gitOut = (cwd: string, args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

describe('github-sim REST: pulls, issues, comments, labels', () => {
  let sim: GitHubSim;
  let octokit: Client;
  const repo = { owner: 'acme', repo: 'widgets' };
  let repoPath: string;

  beforeAll(async () => {
    sim = await startGitHubSim({ appPrivateKey: testAppKey() });
    repoPath = (await sim.createRepo({ owner: 'acme', name: 'widgets' })).path;
    await sim.commitFiles('acme/widgets', { branch: 'main', files: { 'a.txt': 'one\n' }, message: 'init' });
    await sim.createBranch('acme/widgets', 'v1.2', 'main');
    await sim.commitFiles('acme/widgets', {
      branch: 'backport/12-to-v1.2',
      from: 'v1.2',
      files: { 'a.txt': 'two\n' },
      message: 'fix',
    });
    sim.addCollaborator('acme/widgets', 'alice', 'write');
    sim.addCollaborator('acme/widgets', 'rita', 'read');
    sim.addUser('mallory');
    octokit = installationClient(sim, 'acme');
  });
  afterAll(() => sim.stop());

  it('opens a pull request as the bot and refuses a duplicate with GitHub 422', async () => {
    const { data: pr, status } = await octokit.rest.pulls.create({
      ...repo,
      head: 'backport/12-to-v1.2',
      base: 'v1.2',
      title: '[v1.2] fix',
      body: 'Backport of #12',
    });
    expect(status).toBe(201);
    expect(pr.user!.login).toBe('backport-assistant[bot]');
    expect(pr.user!.type).toBe('Bot');
    expect(pr.head.ref).toBe('backport/12-to-v1.2');
    // As GitHub: mergeability is a background job, not known in the answer to the create...
    expect([pr.mergeable, pr.rebaseable, pr.mergeable_state, pr.merge_commit_sha]).toEqual([
      null,
      null,
      'unknown',
      null,
    ]);
    expect(pr.commits).toBe(1);
    // ...and a later read has it, with the test merge at refs/pull/N/merge.
    const { data: later } = await octokit.rest.pulls.get({ ...repo, pull_number: pr.number });
    expect([later.mergeable, later.mergeable_state]).toEqual([true, 'clean']);
    const refs = await sim.refs('acme/widgets');
    expect(refs[`refs/pull/${pr.number}/head`]).toBe(pr.head.sha);
    expect(later.merge_commit_sha).toBe(refs[`refs/pull/${pr.number}/merge`]);
    expect(gitOut(repoPath, ['rev-parse', `${later.merge_commit_sha}^2`])).toBe(pr.head.sha);

    const dup = await octokit.rest.pulls
      .create({ ...repo, head: 'backport/12-to-v1.2', base: 'v1.2', title: 'again' })
      .then(
        () => null,
        (e: { status: number; response: { data: unknown } }) => e,
      );
    expect(dup?.status).toBe(422);
    expect(JSON.stringify(dup?.response.data)).toContain(
      'A pull request already exists for acme:backport/12-to-v1.2',
    );
  });

  it('rejects pull requests whose head or base branch does not exist', async () => {
    const err = await octokit.rest.pulls.create({ ...repo, head: 'nope', base: 'v1.2', title: 'x' }).then(
      () => null,
      (e: { status: number; response: { data: { errors: unknown[] } } }) => e,
    );
    expect(err?.status).toBe(422);
    expect(err?.response.data.errors).toEqual([{ resource: 'PullRequest', field: 'head', code: 'invalid' }]);
  });

  it('filters pulls by head (owner:branch), base and state', async () => {
    const open = await octokit.rest.pulls.list({ ...repo, head: 'acme:backport/12-to-v1.2', state: 'open' });
    expect(open.data.map((p) => p.title)).toEqual(['[v1.2] fix']);
    expect((await octokit.rest.pulls.list({ ...repo, base: 'main' })).data).toEqual([]);
    expect((await octokit.rest.pulls.list({ ...repo, state: 'closed' })).data).toEqual([]);
  });

  it('requests reviews only from collaborators other than the author', async () => {
    const [pr] = (await octokit.rest.pulls.list({ ...repo })).data;
    const ok = await octokit.rest.pulls.requestReviewers({
      ...repo,
      pull_number: pr!.number,
      reviewers: ['alice'],
    });
    expect(ok.data.requested_reviewers!.map((u) => u.login)).toEqual(['alice']);
    const bad = await octokit.rest.pulls
      .requestReviewers({ ...repo, pull_number: pr!.number, reviewers: ['mallory'] })
      .then(
        () => null,
        (e: { status: number; message: string }) => e,
      );
    expect(bad?.status).toBe(422);
    expect(bad?.message).toContain('Reviews may only be requested from collaborators');
    const self = await octokit.rest.pulls
      .requestReviewers({ ...repo, pull_number: pr!.number, reviewers: ['backport-assistant[bot]'] })
      .then(
        () => null,
        (e: { status: number; message: string }) => e,
      );
    expect(self?.status).toBe(422);
    expect(self?.message).toContain('pull request author');
  });

  it('creates issues with auto-created labels and drops assignees GitHub would refuse', async () => {
    const { data: issue } = await octokit.rest.issues.create({
      ...repo,
      title: 'Backport of #12 to v1.2 needs a human',
      labels: ['backport-conflict', { name: 'needs: human' }] as never,
      assignees: ['alice', 'mallory', 'rita'],
    });
    expect(issue.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual([
      'backport-conflict',
      'needs: human',
    ]);
    expect(issue.assignees!.map((a) => a.login)).toEqual(['alice']);
    const more = await octokit.rest.issues.addAssignees({
      ...repo,
      issue_number: issue.number,
      assignees: ['mallory'],
    });
    expect(more.status).toBe(201);
    expect(more.data.assignees!.map((a) => a.login)).toEqual(['alice']);
  });

  it('adds and removes labels (404 for a label the issue lacks), URL-encoding names', async () => {
    const [pr] = (await octokit.rest.pulls.list({ ...repo })).data;
    const added = await octokit.rest.issues.addLabels({
      ...repo,
      issue_number: pr!.number,
      labels: ['backport-to: v1.1'],
    });
    expect(added.data.map((l) => l.name)).toEqual(['backport-to: v1.1']);
    const removed = await octokit.rest.issues.removeLabel({
      ...repo,
      issue_number: pr!.number,
      name: 'backport-to: v1.1',
    });
    expect(removed.data).toEqual([]);
    const missing = await octokit.rest.issues
      .removeLabel({ ...repo, issue_number: pr!.number, name: 'backport-to: v1.1' })
      .then(
        () => null,
        (e: { status: number }) => e,
      );
    expect(missing?.status).toBe(404);
  });

  it('lists issues including pull requests, filtered by labels, creator and state, with paging', async () => {
    for (let i = 0; i < 5; i++) {
      await octokit.rest.issues.create({ ...repo, title: `tracking ${i}`, labels: ['backport-tracking'] });
    }
    const all = await octokit.paginate(octokit.rest.issues.listForRepo, { ...repo, per_page: 2 });
    expect(all).toHaveLength(7);
    expect(all.filter((i) => i.pull_request)).toHaveLength(1);
    const page = await octokit.rest.issues.listForRepo({
      ...repo,
      labels: 'backport-tracking',
      per_page: 2,
      page: 2,
    });
    expect(page.data.map((i) => i.title)).toEqual(['tracking 2', 'tracking 1']);
    expect(page.headers.link).toMatch(/rel="prev".*rel="next".*rel="last".*rel="first"/);
    const byCreator = await octokit.rest.issues.listForRepo({ ...repo, creator: 'someone-else' });
    expect(byCreator.data).toEqual([]);
  });

  it('comments, edits a comment, reacts, and closes an issue with a reason', async () => {
    const { data: issue } = await octokit.rest.issues.create({ ...repo, title: 'to close' });
    const { data: c } = await octokit.rest.issues.createComment({
      ...repo,
      issue_number: issue.number,
      body: 'first',
    });
    await octokit.rest.issues.updateComment({ ...repo, comment_id: c.id, body: 'edited' });
    const r1 = await octokit.rest.reactions.createForIssueComment({
      ...repo,
      comment_id: c.id,
      content: 'rocket',
    });
    const r2 = await octokit.rest.reactions.createForIssueComment({
      ...repo,
      comment_id: c.id,
      content: 'rocket',
    });
    expect([r1.status, r2.status]).toEqual([201, 200]);
    const { data: list } = await octokit.rest.issues.listComments({ ...repo, issue_number: issue.number });
    expect(list.map((x) => x.body)).toEqual(['edited']);
    expect(list[0]!.reactions!.rocket).toBe(1);
    const { data: closed } = await octokit.rest.issues.update({
      ...repo,
      issue_number: issue.number,
      state: 'closed',
      state_reason: 'not_planned',
    });
    expect(closed.state).toBe('closed');
    expect(closed.state_reason).toBe('not_planned');
    expect(sim.issues('acme/widgets').find((i) => i.number === issue.number)?.closedBy).toBe(
      'backport-assistant[bot]',
    );
  });

  it('updates and closes a pull request', async () => {
    const [pr] = (await octokit.rest.pulls.list({ ...repo })).data;
    const { data } = await octokit.rest.pulls.update({
      ...repo,
      pull_number: pr!.number,
      body: 'new body',
      state: 'closed',
    });
    expect(data.body).toBe('new body');
    expect(data.state).toBe('closed');
    expect(data.merged).toBe(false);
  });

  it('answers collaborator permissions with GitHub role names', async () => {
    const perm = (username: string) =>
      octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username });
    expect((await perm('alice')).data).toMatchObject({ permission: 'write', role_name: 'write' });
    expect((await perm('rita')).data).toMatchObject({ permission: 'read', role_name: 'read' });
    expect((await perm('mallory')).data).toMatchObject({ permission: 'read' });
    const ghost = await perm('ghost-user').then(
      () => null,
      (e: { status: number }) => e,
    );
    expect(ghost?.status).toBe(404);
  });

  it("answers an open PR's test merge (refs/pull/N/merge, base tip and head) and none when it conflicts", async () => {
    await sim.commitFiles('acme/widgets', {
      branch: 'feature',
      from: 'main',
      files: { 'b.txt': 'new\n' },
      message: 'b',
    });
    await sim.commitFiles('acme/widgets', {
      branch: 'main',
      files: { 'c.txt': 'base moved\n' },
      message: 'c',
    });
    const n = await sim.createPull({
      repo: 'acme/widgets',
      head: 'feature',
      base: 'main',
      title: 'B',
      user: 'alice',
    });
    const { data: pr } = await octokit.rest.pulls.get({ ...repo, pull_number: n });
    expect(pr.mergeable).toBe(true);
    const refs = await sim.refs('acme/widgets');
    expect(pr.merge_commit_sha).toBe(refs[`refs/pull/${n}/merge`]);
    const parents = gitOut(repoPath, ['rev-parse', `${pr.merge_commit_sha}^1`, `${pr.merge_commit_sha}^2`]);
    expect(parents.split('\n')).toEqual([refs['refs/heads/main'], pr.head.sha]);
    const files = gitOut(repoPath, ['ls-tree', '--name-only', pr.merge_commit_sha!]);
    expect(files.split('\n')).toEqual(['a.txt', 'b.txt', 'c.txt']);

    await sim.commitFiles('acme/widgets', {
      branch: 'main',
      files: { 'b.txt': 'other\n' },
      message: 'clash',
    });
    const { data: dirty } = await octokit.rest.pulls.get({ ...repo, pull_number: n });
    expect([dirty.mergeable, dirty.merge_commit_sha]).toEqual([false, null]);
    expect((await sim.refs('acme/widgets'))[`refs/pull/${n}/merge`]).toBeUndefined();
    await sim.closePull('acme/widgets', n, 'alice');
  });

  it('kept every request and response on spec', () => {
    expect(sim.violations).toEqual([]);
  });
});
