import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './app-harness.js';
import { backportPulls, fix, lines, makeRepo, mergedPull, openPull, statusRow } from './world.js';

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
  const { number } = await mergedPull(h.sim, repo, fix([]));
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

  describe('when the merge’s job reads the labels itself', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness();
    });
    afterAll(() => h.stop());

    const repoWithTriager = async (name: string) => {
      const repo = await makeRepo(h.sim, name, {
        files: { 'src/calc.c': lines(20) },
        branches: { 'v1.2': null },
      });
      h.sim.addCollaborator(repo, 'tracy', 'triage');
      return repo;
    };
    const fix = {
      branch: 'fix',
      title: 'Fix overflow',
      commits: [{ 'src/calc.c': lines(20, { 7: 'line 7 fixed' }) }],
    };
    const eventReads = (repo: string, from: number) =>
      h.sim.requestLog
        .slice(from)
        .filter((r) => r.operationId === 'issues/list-events' && r.path.startsWith(`/repos/${repo}/`)).length;

    it('does not act on a triager’s label added right after the merge', async () => {
      const repo = await repoWithTriager('after-merge');
      const number = await openPull(h.sim, repo, { ...fix, labels: [] });
      // The label lands after the merge and before the merge's job reads the pull request.
      let added = false;
      h.onRequest(async (req) => {
        if (!added && req.method === 'GET' && req.url.pathname === `/repos/${repo}/pulls/${number}`) {
          added = true;
          await h.sim.addLabel(repo, number, 'backport-to: v1.2', 'tracy');
        }
        return undefined;
      });
      await h.sim.mergePull({ repo, number, method: 'squash', mergedBy: 'maint' });
      await h.idle();
      expect(added).toBe(true);
      expect(backportPulls(h.sim, repo)).toEqual([]);
      expect(h.sim.pushLog.filter((p) => p.repo === repo)).toEqual([]);
      expect(statusRow(h.sim, repo, number, 'v1.2')).toMatchObject({
        state: 'failed',
        error: { code: 'not-allowed', message: expect.stringMatching(/tracy.*triage.*write/) },
      });
    });

    it('does not act on a triager’s label added before the merge, and acts on a writer’s', async () => {
      const repo = await repoWithTriager('before-merge');
      const number = await openPull(h.sim, repo, { ...fix, labels: [] });
      await h.sim.addLabel(repo, number, 'backport-to: v1.2', 'tracy');
      await h.idle();
      await h.sim.mergePull({ repo, number, method: 'squash', mergedBy: 'maint' });
      await h.idle();
      expect(backportPulls(h.sim, repo)).toEqual([]);
      expect(statusRow(h.sim, repo, number, 'v1.2').error?.code).toBe('not-allowed');

      const other = await repoWithTriager('before-merge-writer');
      const { number: merged } = await mergedPull(h.sim, other, {
        ...fix,
        labels: ['backport-to: v1.2'],
        author: 'alice',
      });
      await h.idle();
      expect(backportPulls(h.sim, other, 'v1.2')).toHaveLength(1);
      expect(statusRow(h.sim, other, merged, 'v1.2').state).toBe('opened');
    });

    it('finds who added a label behind a long history with a bounded number of calls, and refuses what it cannot tell', async () => {
      const noise = async (repo: string, number: number) => {
        for (let i = 0; i < 250; i++) {
          await h.sim.addLabel(repo, number, 'needs-review', 'alice');
          await h.sim.removeLabel(repo, number, 'needs-review', 'alice');
        }
      };
      const url = h.sim.webhookUrl;
      const recent = await repoWithTriager('long-history-recent');
      const early = await repoWithTriager('long-history-early');
      const recentPull = await openPull(h.sim, recent, { ...fix, labels: [] });
      const earlyPull = await openPull(h.sim, early, { ...fix, labels: [] });
      // Quietly, as if long ago: 500 label events on each pull request.
      h.sim.webhookUrl = undefined;
      try {
        await noise(recent, recentPull);
        await h.sim.addLabel(recent, recentPull, 'backport-to: v1.2', 'maint');
        await h.sim.addLabel(early, earlyPull, 'backport-to: v1.2', 'maint');
        await noise(early, earlyPull);
      } finally {
        h.sim.webhookUrl = url;
      }
      const from = h.sim.requestLog.length;
      await h.sim.mergePull({ repo: recent, number: recentPull, method: 'squash', mergedBy: 'maint' });
      await h.sim.mergePull({ repo: early, number: earlyPull, method: 'squash', mergedBy: 'maint' });
      await h.idle();

      expect(backportPulls(h.sim, recent, 'v1.2')).toHaveLength(1);
      expect(backportPulls(h.sim, early)).toEqual([]);
      expect(statusRow(h.sim, early, earlyPull, 'v1.2')).toMatchObject({
        state: 'failed',
        error: { code: 'not-allowed', message: expect.stringMatching(/not among the last 300 events/) },
      });
      // The first page, then at most three from the end.
      expect(eventReads(recent, from)).toBeLessThanOrEqual(4);
      expect(eventReads(early, from)).toBeLessThanOrEqual(4);
      expect(h.sim.violations).toEqual([]);
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
