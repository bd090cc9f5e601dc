import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './app-harness.js';
import { backportPulls, lines, makeRepo, mergedPull, statusRow } from './world.js';

/**
 * Defect l: anyone who can label (the triage role too) could trigger a backport, while
 * `/backport` requires write access. Who may is a setting, checked on the labeled event's
 * sender; by default it is write access, as for the command.
 */
async function labelledBy(h: Harness, name: string, sender: string) {
  const repo = await makeRepo(h.sim, name, {
    files: { 'src/calc.c': lines(20) },
    branches: { 'v1.2': null },
  });
  h.sim.addCollaborator(repo, 'tracy', 'triage');
  const { number } = await mergedPull(h.sim, repo, {
    branch: 'fix',
    title: 'Fix overflow',
    labels: [],
    commits: [{ 'src/calc.c': lines(20, { 7: 'line 7 fixed' }) }],
  });
  await h.idle();
  await h.sim.addLabel(repo, number, 'backport-to: v1.2', sender);
  await h.idle();
  return { repo, number };
}

describe('who may trigger a backport by labelling', () => {
  describe('by default, people with write access', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness();
    });
    afterAll(() => h.stop());

    it('a triager’s label starts nothing, and the row says why', async () => {
      const { repo, number } = await labelledBy(h, 'triager', 'tracy');
      expect(backportPulls(h.sim, repo)).toEqual([]);
      expect(statusRow(h.sim, repo, number, 'v1.2')).toMatchObject({
        state: 'failed',
        error: { code: 'not-allowed', message: expect.stringMatching(/tracy.*triage.*write/) },
      });
      expect(h.sim.pushLog.filter((p) => p.repo === repo)).toEqual([]);
    });

    it('a maintainer’s label starts the backport', async () => {
      const { repo } = await labelledBy(h, 'maintainer', 'maint');
      expect(backportPulls(h.sim, repo, 'v1.2')).toHaveLength(1);
    });
  });

  describe('with BACKPORT_LABEL_PERMISSION=triage', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ settings: { labelPermission: 'triage' } });
    });
    afterAll(() => h.stop());

    it('a triager’s label starts the backport', async () => {
      const { repo } = await labelledBy(h, 'triage-allowed', 'tracy');
      expect(backportPulls(h.sim, repo, 'v1.2')).toHaveLength(1);
    });
  });
});
