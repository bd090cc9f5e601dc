import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './app-harness.js';
import { backportPulls, lines, makeRepo, mergedPull, statusComments, statusRow } from './world.js';

describe('the status row follows the backport PR', () => {
  let h: Harness;
  let repo: string;

  beforeAll(async () => {
    h = await startHarness();
    repo = await makeRepo(h.sim, 'follows', {
      files: { 'a.txt': lines(20) },
      branches: { 'v1.2': null, 'v1.1': null, 'v1.0': { 'a.txt': lines(20, { 5: 'five on 1.0' }) } },
      config: 'conflict: draft-pr\n',
    });
  });
  afterAll(() => h.stop());

  it('from "opened" to "merged" when it merges, to "closed" when closed unmerged, back when reopened', async () => {
    const { sim } = h;
    const { number } = await mergedPull(sim, repo, {
      branch: 'fix',
      commits: [{ 'a.txt': lines(20, { 5: 'five fixed' }) }],
      labels: ['backport-to: v1.2', 'backport-to: v1.1', 'backport-to: v1.0'],
    });
    await h.idle();
    const [v12] = backportPulls(sim, repo, 'v1.2');
    const [v11] = backportPulls(sim, repo, 'v1.1');
    expect(statusRow(sim, repo, number, 'v1.2')).toMatchObject({
      state: 'opened',
      link: { number: v12!.number },
    });

    await sim.mergePull({ repo, number: v12!.number, method: 'squash', mergedBy: 'maint' });
    await sim.closePull(repo, v11!.number, 'maint');
    await h.idle();
    expect(statusRow(sim, repo, number, 'v1.2')).toMatchObject({
      state: 'merged',
      link: { number: v12!.number },
    });
    expect(statusRow(sim, repo, number, 'v1.1')).toMatchObject({
      state: 'closed',
      link: { number: v11!.number },
    });
    const body = statusComments(sim, repo, number)[0]!.body;
    expect(body).toContain(`✅ merged in [#${v12!.number}]`);
    expect(body).toContain(`❌ [#${v11!.number}]`);
    expect(body).toContain('was closed without merging');

    await sim.reopenPull(repo, v11!.number, 'maint');
    await h.idle();
    expect(statusRow(sim, repo, number, 'v1.1')).toMatchObject({
      state: 'opened',
      link: { number: v11!.number },
    });
    expect(statusComments(sim, repo, number)).toHaveLength(1);
    expect(sim.violations).toEqual([]);
  });

  it('marks a conflict "merged" once its draft with conflict markers is merged, and leaves it when the draft is closed', async () => {
    const { sim } = h;
    const { number } = await mergedPull(sim, repo, {
      branch: 'fix-again',
      commits: [{ 'a.txt': lines(20, { 5: 'five fixed again' }) }],
      labels: ['backport-to: v1.0'],
    });
    await h.idle();
    const conflict = statusRow(sim, repo, number, 'v1.0');
    expect(conflict.state).toBe('conflict');
    const draft = conflict.draft!.number;

    await sim.closePull(repo, draft, 'maint');
    await h.idle();
    expect(statusRow(sim, repo, number, 'v1.0')).toEqual(conflict);

    await sim.reopenPull(repo, draft, 'maint');
    await sim.mergePull({ repo, number: draft, method: 'merge', mergedBy: 'maint' });
    await h.idle();
    expect(statusRow(sim, repo, number, 'v1.0')).toMatchObject({ state: 'merged', link: { number: draft } });
    expect(statusRow(sim, repo, number, 'v1.0').draft).toBeUndefined();
    expect(sim.violations).toEqual([]);
  });
});
