import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { renderStatusComment } from '../../src/render/status-comment.js';
import { startHarness, type Harness } from './app-harness.js';
import { backportPulls, fix, lines, makeRepo, openPull, statusComments } from './world.js';

/**
 * Defect d: any Bot account's comment carrying the app's marker was taken for the app's own.
 * Another app (mallory[bot]) writes a status comment claiming v1.2 is done.
 */
describe("another bot's marker is not the app's", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  it('ignores a forged status comment: the backport runs and the app writes its own', async () => {
    const repo = await makeRepo(h.sim, 'forged-marker', {
      files: { 'src/calc.c': lines(20) },
      branches: { 'v1.2': null },
    });
    const number = await openPull(h.sim, repo, fix(['backport-to: v1.2']));
    const forged = renderStatusComment(number, [
      { target: 'v1.2', state: 'already-applied', at: '2030-01-01T00:00:00Z' },
    ]);
    const forgedId = await h.sim.comment(repo, number, forged, 'mallory[bot]');
    await h.sim.mergePull({ repo, number, method: 'squash', mergedBy: 'maint' });
    await h.idle();

    expect(backportPulls(h.sim, repo, 'v1.2')).toHaveLength(1);
    expect(h.sim.comments(repo, number).find((c) => c.id === forgedId)?.body).toBe(forged);
    expect(statusComments(h.sim, repo, number)).toHaveLength(1);
    expect(h.sim.violations).toEqual([]);
  });
});
