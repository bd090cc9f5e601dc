import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './app-harness.js';
import { gitShow } from './git-async.js';
import { backportPulls, lines, makeRepo, statusRow } from './world.js';

/**
 * A PR merged into a branch that is deleted before its backport job runs (a feature or
 * release branch retired right after the merge) is still backported: the merged commit is
 * GitHub's whatever refs point at it, and is fetched by id. So on an empty cache as on a warm
 * one, where the job fetches it by id anyway; before, an empty cache stopped with
 * `missing-branch` while a warm one went ahead.
 */
describe('the branch a PR was merged into is deleted before its backport runs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  /**
   * Merges a fix into `base` (made from main), deletes `base`, then labels the PR for v1.2.
   * The PR is opened unlabelled, so nothing (no preview) reads the repository before.
   */
  async function mergeIntoDeletedBase(repo: string, base: string, line: number): Promise<number> {
    await h.sim.createBranch(repo, base, 'main');
    await h.sim.commitFiles(repo, {
      branch: `fix-${base}`,
      from: base,
      files: { 'src/calc.c': lines(30, { [line]: `line ${line} fixed` }) },
      message: `Fix line ${line}`,
    });
    const number = await h.sim.createPull({
      repo,
      head: `fix-${base}`,
      base,
      title: `Fix line ${line}`,
      user: 'alice',
      labels: [],
    });
    await h.sim.mergePull({ repo, number, method: 'squash', mergedBy: 'maint' });
    await h.idle();
    await h.sim.store.deleteRef(repo, `refs/heads/${base}`);
    expect(await h.sim.resolve(repo, `refs/heads/${base}`)).toBeNull();
    await h.sim.addLabel(repo, number, 'backport-to: v1.2', 'maint');
    await h.idle();
    return number;
  }

  async function expectBackported(repo: string, number: number, line: number): Promise<void> {
    expect(statusRow(h.sim, repo, number, 'v1.2').state).toBe('opened');
    const [pull] = backportPulls(h.sim, repo, 'v1.2').filter((p) => p.pull!.headRef.includes(`${number}-`));
    const tip = (await h.sim.resolve(repo, `refs/heads/${pull!.pull!.headRef}`))!;
    expect(await gitShow(h.sim.repoPath(repo), `${tip}:src/calc.c`)).toContain(`line ${line} fixed`);
    expect(await gitShow(h.sim.repoPath(repo), `${tip}:NOTES.md`)).toBe('release notes\n');
  }

  it('is backported on an empty cache, then on a warm one', async () => {
    const repo = await makeRepo(h.sim, 'deleted-base', {
      files: { 'src/calc.c': lines(30) },
      branches: { 'v1.2': { 'NOTES.md': 'release notes\n' } },
    });
    const first = await mergeIntoDeletedBase(repo, 'feature-one', 3);
    await expectBackported(repo, first, 3);
    const second = await mergeIntoDeletedBase(repo, 'feature-two', 20);
    await expectBackported(repo, second, 20);
    expect(h.sim.violations).toEqual([]);
  });
});
