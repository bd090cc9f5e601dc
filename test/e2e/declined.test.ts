import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './app-harness.js';
import { backportPulls, fix, lines, makeRepo, mergedPull, statusComments, statusRows } from './world.js';

/** Defect j: the pipeline itself honours `no-backport` and `no-backport-to: X`, as the README says. */
describe('declined backports', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  const releases = (name: string) =>
    makeRepo(h.sim, name, { files: { 'src/calc.c': lines(20) }, branches: { 'v1.2': null, 'v1.3': null } });

  it('no-backport-to: v1.3 skips that target, even when a label asks for it', async () => {
    const repo = await releases('declined-one');
    const { number } = await mergedPull(
      h.sim,
      repo,
      fix(['backport-to: v1.2', 'backport-to: v1.3', 'no-backport-to: v1.3']),
    );
    await h.idle();
    expect(backportPulls(h.sim, repo).map((p) => p.pull!.baseRef)).toEqual(['v1.2']);
    expect(statusRows(h.sim, repo, number).map((r) => r.target)).toEqual(['v1.2']);
  });

  it('no-backport declines every target, also when a request label is added later', async () => {
    const repo = await releases('declined-all');
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.2', 'no-backport']));
    await h.sim.addLabel(repo, number, 'backport-to: v1.3', 'maint');
    await h.idle();
    expect(backportPulls(h.sim, repo)).toEqual([]);
    expect(statusComments(h.sim, repo, number)).toEqual([]);
    expect(h.sim.pushLog.filter((p) => p.repo === repo)).toEqual([]);
  });
});
