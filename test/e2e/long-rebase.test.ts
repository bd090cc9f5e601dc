import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './app-harness.js';
import { backportPulls, conflictIssues, lines, makeRepo, mergedPull, statusRow } from './world.js';

/**
 * Defect g: GitHub lists at most 250 commits of a pull request. A rebase merge of more was
 * taken for a squash (its commits did not match the list) and picked "cleanly" without
 * most of its commits. The app must refuse, never guess.
 */
describe('a rebase merge of more commits than GitHub lists', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  it('is refused with a row that says why, and nothing is pushed', async () => {
    const repo = await makeRepo(h.sim, 'long', {
      files: { 'src/calc.c': lines(20) },
      branches: { 'v1.2': null },
    });
    const commits = Array.from({ length: 252 }, (_, i) => ({ [`src/part-${i}.c`]: `part ${i}\n` }));
    const pushes = h.sim.pushLog.length;
    const { number } = await mergedPull(h.sim, repo, {
      branch: 'long',
      title: 'Many parts',
      labels: ['backport-to: v1.2'],
      commits,
      method: 'rebase',
    });
    await h.idle();
    expect(statusRow(h.sim, repo, number, 'v1.2')).toMatchObject({
      state: 'failed',
      error: { code: 'too-many-commits', message: expect.stringMatching(/252 commits.*250/) },
    });
    expect(backportPulls(h.sim, repo)).toEqual([]);
    expect(conflictIssues(h.sim, repo)).toEqual([]);
    expect(h.sim.pushLog.length).toBe(pushes);
    expect(h.sim.violations).toEqual([]);
  }, 180_000);
});
