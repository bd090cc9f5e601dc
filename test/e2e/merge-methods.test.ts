import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './app-harness.js';
import {
  backportPulls,
  commitsOnTop,
  expectNoTokenLeak,
  gitCherryPick,
  lines,
  makeRepo,
  mergedPull,
  statusRow,
  type PullSpec,
} from './world.js';

/**
 * Each of GitHub's merge methods leaves a different graph on the base branch; the backport
 * must carry the same change real `git cherry-pick` of the right commits would.
 */
describe('the commits picked follow how the PR was merged', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  // v1.2 diverged in an unrelated file, so the pick is a real three-way merge, not a copy.
  const world = () =>
    makeRepo(h.sim, 'methods', {
      files: { 'src/a.c': lines(30), 'src/b.c': lines(30), NEWS: 'news\n' },
      branches: { 'v1.2': { NEWS: 'news for 1.2\n', 'src/b.c': lines(30, { 1: 'b 1.2' }) } },
    });
  const threeCommits = (branch: string): PullSpec => ({
    branch,
    title: 'Three-part fix',
    labels: ['backport-to: v1.2'],
    commits: [
      { 'src/a.c': lines(30, { 5: 'a fixed' }) },
      { 'src/b.c': lines(30, { 20: 'b fixed' }) },
      { 'src/a.c': lines(30, { 5: 'a fixed', 25: 'a fixed again' }), 'src/new.c': 'new\n' },
    ],
  });

  /** The backport's commits are what git makes of `expected` on v1.2, one for one. */
  async function expectSameAsGit(repo: string, number: number, expected: string[], mainline?: number) {
    await h.idle();
    const pulls = backportPulls(h.sim, repo, 'v1.2');
    expect(pulls).toHaveLength(1);
    expect(statusRow(h.sim, repo, number, 'v1.2')).toMatchObject({
      state: 'opened',
      link: { number: pulls[0]!.number },
    });
    const target = (await h.sim.resolve(repo, 'refs/heads/v1.2'))!;
    const tip = (await h.sim.resolve(repo, `refs/heads/${pulls[0]!.pull!.headRef}`))!;
    const ours = await commitsOnTop(h.sim, repo, target, tip);
    const git = await gitCherryPick(h.sim, repo, target, expected, mainline);
    expect(ours.tree).toBe(git.tree);
    expect(ours.messages).toHaveLength(expected.length);
    expected.forEach((sha, i) => {
      expect(ours.messages[i]).toContain(`(cherry picked from commit ${sha})`);
      // Same message as git's, apart from nothing: subject, body and trailer.
      expect(ours.messages[i]).toBe(git.messages[i]);
    });
    expect(h.sim.violations).toEqual([]);
  }

  it('squash: picks the one squash commit', async () => {
    const repo = await world();
    const { number, mergeSha } = await mergedPull(h.sim, repo, {
      ...threeCommits('fix-squash'),
      method: 'squash',
    });
    await expectSameAsGit(repo, number, [mergeSha]);
  });

  it('merge commit: picks the merge against its first parent (-m 1)', async () => {
    const repo = await world();
    const { number, mergeSha } = await mergedPull(h.sim, repo, {
      ...threeCommits('fix-merge'),
      method: 'merge',
    });
    await expectSameAsGit(repo, number, [mergeSha], 1);
    const pull = backportPulls(h.sim, repo, 'v1.2')[0]!;
    expect(pull.body).toContain('relative to its parent 1');
  });

  it('rebase of a 3-commit PR: picks the three replayed commits in order', async () => {
    const repo = await world();
    const { number, mergeSha } = await mergedPull(h.sim, repo, {
      ...threeCommits('fix-rebase'),
      method: 'rebase',
    });
    const landed = (await h.sim.resolve(repo, `${mergeSha}~2`))!;
    const middle = (await h.sim.resolve(repo, `${mergeSha}~1`))!;
    await expectSameAsGit(repo, number, [landed, middle, mergeSha]);
  });

  it('a PR from a fork: picks what landed on main, never pushing to the fork', async () => {
    const repo = await world();
    const name = repo.split('/')[1]!;
    await h.sim.createRepo({ owner: 'bob', name, forkOf: repo });
    h.sim.addCollaborator(repo, 'bob', 'read');
    const { number, mergeSha } = await mergedPull(h.sim, repo, {
      ...threeCommits('fork-fix'),
      headRepo: `bob/${name}`,
      author: 'bob',
      // bob can only read: the maintainer labels his PR (the app acts on writers' labels).
      labeledBy: 'maint',
      method: 'merge',
    });
    await expectSameAsGit(repo, number, [mergeSha], 1);
    expect(h.sim.pushLog.filter((p) => p.repo === `bob/${name}`)).toEqual([]);
    expect(h.sim.pushLog.filter((p) => p.repo === repo).map((p) => p.ref)).toEqual([
      `refs/heads/backport/${number}-to-v1.2`,
    ]);
  });

  it('leaks no token into any log line or body the app wrote', () => {
    expectNoTokenLeak(h.sim, h.logs);
  });
});
