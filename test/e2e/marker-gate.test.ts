import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './app-harness.js';
import { backportPulls, expectNoTokenLeak, lines, makeRepo, mergedPull } from './world.js';

const CHECK = 'Backport conflict markers';

/**
 * The safety gate: the app's own backport PRs and drafts carry a check run that fails while
 * a file the backport changed still holds a conflict marker, and passes once none is left.
 */
describe('the conflict-marker check on the app’s own PRs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  const runsOf = async (repo: string, ref: string) =>
    (await h.sim.checkRuns(repo, ref)).filter((r) => r.name === CHECK);

  it('fails on a draft with markers, and passes after a person pushes the resolution', async () => {
    const repo = await makeRepo(h.sim, 'gate', {
      files: { 'src/calc.c': lines(20), 'docs/guide.md': 'Guide\n=======\n\ntext\n' },
      branches: { 'v1.1': { 'src/calc.c': lines(20, { 7: 'line 7 (1.1 hotfix)' }) } },
      config: 'conflict: draft-pr\n',
    });
    const { number } = await mergedPull(h.sim, repo, {
      branch: 'fix',
      labels: ['backport-to: v1.1'],
      commits: [
        { 'src/calc.c': lines(20, { 7: 'line 7 fixed' }), 'docs/guide.md': 'Guide\n=======\n\nmore\n' },
      ],
    });
    await h.idle();
    const [draft] = backportPulls(h.sim, repo, 'v1.1');
    const branch = `backport/${number}-to-v1.1`;
    const failing = await runsOf(repo, `refs/heads/${branch}`);
    expect(failing).toHaveLength(1);
    expect(failing[0]).toMatchObject({ byApp: true, status: 'completed', conclusion: 'failure' });
    expect(failing[0]!.output?.title).toBe('Conflict markers remain in 1 file');
    // The setext heading the branch already had is not a marker the backport left.
    expect(failing[0]!.output?.summary).toContain('- `src/calc.c`: line 7 (`<<<<<<<`), 9 (`|||||||`)');
    expect(failing[0]!.output?.summary).not.toContain('guide.md');

    await h.sim.commitFiles(repo, {
      branch,
      files: { 'src/calc.c': lines(20, { 7: 'line 7 fixed (1.1)' }) },
      message: 'Resolve the conflict',
      author: 'alice',
    });
    await h.sim.synchronizePull(repo, draft!.number, 'alice');
    await h.idle();
    const passing = await runsOf(repo, `refs/heads/${branch}`);
    expect(passing.map((r) => [r.conclusion, r.output?.title])).toEqual([['success', 'No conflict markers']]);

    // A marker pushed back in fails the check again.
    await h.sim.commitFiles(repo, {
      branch,
      files: { 'src/calc.c': lines(20, { 7: '<<<<<<< HEAD' }) },
      message: 'Oops',
      author: 'alice',
    });
    await h.sim.synchronizePull(repo, draft!.number, 'alice');
    await h.idle();
    expect((await runsOf(repo, `refs/heads/${branch}`)).map((r) => r.conclusion)).toEqual(['failure']);
    expect(h.sim.violations).toEqual([]);
    expectNoTokenLeak(h.sim, h.logs);
  });

  it('passes on a clean backport PR, and leaves other people’s PRs alone', async () => {
    const repo = await makeRepo(h.sim, 'gate-clean', {
      files: { 'a.txt': lines(5) },
      branches: { 'v1.1': null },
    });
    const { number } = await mergedPull(h.sim, repo, {
      branch: 'fix',
      labels: ['backport-to: v1.1'],
      commits: [{ 'a.txt': lines(5, { 2: 'two' }) }],
    });
    await h.idle();
    const runs = await runsOf(repo, `refs/heads/backport/${number}-to-v1.1`);
    expect(runs.map((r) => r.conclusion)).toEqual(['success']);

    await h.sim.commitFiles(repo, { branch: 'feature', files: { 'b.txt': '<<<<<<< x\n' }, message: 'wip' });
    const other = await h.sim.createPull({
      repo,
      head: 'feature',
      base: 'main',
      title: 'WIP',
      user: 'alice',
    });
    await h.sim.synchronizePull(repo, other, 'alice');
    await h.idle();
    expect(await runsOf(repo, 'refs/heads/feature')).toEqual([]);
    expect(h.sim.violations).toEqual([]);
  });
});
