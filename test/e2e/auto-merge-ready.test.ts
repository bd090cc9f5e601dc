import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './app-harness.js';
import { backportPulls, lines, mergedPull, statusComments, statusRow } from './world.js';

/** A repository like world.makeRepo's, with the "Allow auto-merge" setting chosen. */
async function repoWith(h: Harness, name: string, allowAutoMerge: boolean, config: string): Promise<string> {
  const repo = `acme/${name}`;
  await h.sim.createRepo({ owner: 'acme', name, allowAutoMerge });
  await h.sim.commitFiles(repo, {
    branch: 'main',
    files: { 'a.txt': lines(20), '.github/backport.yml': config },
    message: 'initial',
  });
  await h.sim.createBranch(repo, 'v1.2', 'main');
  await h.sim.createBranch(repo, 'v1.1', 'main');
  await h.sim.commitFiles(repo, {
    branch: 'v1.1',
    files: { 'a.txt': lines(20, { 5: 'five on 1.1' }) },
    message: 'd',
  });
  h.sim.addCollaborator(repo, 'maint', 'maintain');
  h.sim.addCollaborator(repo, 'alice', 'write');
  return repo;
}

describe('after the backport PR is opened', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  /** A clean backport to v1.2 in a repository `repoWith` made: the source PR's number and the backport PR. */
  async function cleanBackport(name: string, allowAutoMerge: boolean, config: string) {
    const repo = await repoWith(h, name, allowAutoMerge, config);
    const { number } = await mergedPull(h.sim, repo, {
      branch: 'fix',
      commits: [{ 'a.txt': lines(20, { 9: 'nine fixed' }) }],
      labels: ['backport-to: v1.2'],
    });
    await h.idle();
    const [pull] = backportPulls(h.sim, repo, 'v1.2');
    return { repo, number, pull };
  }

  it('turns on auto-merge with the configured method for a clean backport PR', async () => {
    const { repo, number, pull } = await cleanBackport('auto', true, 'autoMerge: squash\n');
    expect(pull!.pull!.autoMerge).toMatchObject({ method: 'squash', enabledBy: h.sim.botLogin });
    expect(statusRow(h.sim, repo, number, 'v1.2')).toMatchObject({
      state: 'opened',
      autoMerge: { state: 'enabled', method: 'squash' },
    });
    expect(statusComments(h.sim, repo, number)[0]!.body).toContain('auto-merge (squash) is on');
    expect(
      h.sim.requestLog.filter((r) => r.operationId === 'graphql/enablePullRequestAutoMerge'),
    ).toHaveLength(1);
    expect(h.sim.violations).toEqual([]);
  });

  it('says in the status comment when the repository does not allow auto-merge', async () => {
    const { repo, number, pull } = await cleanBackport('manual', false, 'autoMerge: rebase\n');
    expect(pull!.pull!.autoMerge).toBeUndefined();
    expect(statusRow(h.sim, repo, number, 'v1.2')).toMatchObject({
      state: 'opened',
      link: { number: pull!.number },
      autoMerge: { state: 'not-allowed', method: 'rebase' },
    });
    expect(statusComments(h.sim, repo, number)[0]!.body).toContain(
      'auto-merge is not allowed in this repository',
    );
  });

  it('marks a draft with conflict markers ready for review once a push leaves none', async () => {
    const repo = await repoWith(h, 'drafts', false, 'conflict: draft-pr\n');
    const { number } = await mergedPull(h.sim, repo, {
      branch: 'fix',
      commits: [{ 'a.txt': lines(20, { 5: 'five fixed' }) }],
      labels: ['backport-to: v1.1'],
    });
    await h.idle();
    const [draft] = backportPulls(h.sim, repo, 'v1.1');
    expect(draft!.pull!.draft).toBe(true);
    const branch = `backport/${number}-to-v1.1`;

    // A push that still holds a marker keeps it a draft.
    await h.sim.commitFiles(repo, {
      branch,
      files: { 'a.txt': lines(20, { 5: '<<<<<<< HEAD' }) },
      message: 'wip',
      author: 'alice',
    });
    await h.sim.synchronizePull(repo, draft!.number, 'alice');
    await h.idle();
    expect(backportPulls(h.sim, repo, 'v1.1')[0]!.pull!.draft).toBe(true);

    await h.sim.commitFiles(repo, {
      branch,
      files: { 'a.txt': lines(20, { 5: 'five fixed (1.1)' }) },
      message: 'resolve',
      author: 'alice',
    });
    await h.sim.synchronizePull(repo, draft!.number, 'alice');
    await h.idle();
    expect(backportPulls(h.sim, repo, 'v1.1')[0]!.pull!.draft).toBe(false);
    expect(
      h.sim.requestLog.filter((r) => r.operationId === 'graphql/markPullRequestReadyForReview'),
    ).toHaveLength(1);
    expect(h.sim.violations).toEqual([]);
  });
});
