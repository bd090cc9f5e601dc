import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { findMarker } from '../../src/render/marker.js';
import { startHarness, type Harness } from './app-harness.js';
import { gitShow } from './git-async.js';
import { backportWhileMoving, expectOneCommitOn, expectPushedOver, theBackportPull } from './race-world.js';
import {
  backportPulls,
  beforeSimRequest,
  moveAfterFetch,
  conflictIssues,
  lines,
  makeRepo,
  statusRow,
  type Files,
} from './world.js';

/**
 * A target that moves while a conflicting pick is made and published. What a person expects:
 * the pick is made again on the new tip, and what is published is that pick's (a backport PR
 * when it now applies, an issue whose hunks and base are the new tip's when it still
 * conflicts), never an issue or a draft on the old tip, never two issues, never an issue and a
 * PR. The first push of a draft goes out on the job's early push discovery (see push-race),
 * so a draft may be pushed on the old tip first: it then gets no draft PR, and is replaced.
 */
describe('a target that moves under a conflicting pick', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  /**
   * Moves `branch` with `files` right after the app fetched it (its cache then holds
   * origin/<branch>) and the push's discovery was answered, before the simulator answers the
   * next git request for `repo` that `also` allows: the pick is made on the old tip, and no
   * discovery the job made before can see the move.
   */
  function moveAfterPushDiscovery(
    repo: string,
    branch: string,
    files: Files,
    also: () => boolean = () => true,
  ) {
    const from = h.sim.requestLog.length;
    const pushRefsAnswered = () =>
      h.sim.requestLog
        .slice(from)
        .some((e) => e.path.startsWith(`/${repo}.git/`) && e.path.includes('service=git-receive-pack'));
    return moveAfterFetch(h, repo, branch, files, () => pushRefsAnswered() && also());
  }

  /** The one conflict issue for `target`, checked to name `onto` as the tip it was picked on. */
  function theIssueOn(repo: string, target: string, onto: string | undefined) {
    const issues = conflictIssues(h.sim, repo, target);
    expect(issues).toHaveLength(1);
    expect(findMarker(issues[0]!.body, 'conflict-issue')?.onto).toBe(onto);
    return issues[0]!;
  }

  const withOwnV12 = { 'src/calc.c': lines(20, { 7: 'line 7 as v1.2 had it' }) };

  it('still conflicting on the new tip: one issue, whose hunks and base are the new tip', async () => {
    const repo = await makeRepo(h.sim, 'issue-moves', {
      files: { 'src/calc.c': lines(20) },
      branches: { 'v1.2': withOwnV12 },
    });
    const race = moveAfterPushDiscovery(repo, 'v1.2', {
      'src/calc.c': lines(20, { 7: 'line 7 as v1.2 has it now' }),
    });
    await backportWhileMoving(h, repo, ['backport-to: v1.2'], [race], ({ number }) => {
      const issue = theIssueOn(repo, 'v1.2', race.moved());
      expect(issue.body).toContain('line 7 as v1.2 has it now');
      expect(issue.body).not.toContain('line 7 as v1.2 had it');
      expect(statusRow(h.sim, repo, number, 'v1.2')).toMatchObject({
        state: 'conflict',
        link: { number: issue.number },
      });
      expect(backportPulls(h.sim, repo)).toEqual([]);
      expect(h.sim.pushLog.filter((p) => p.repo === repo)).toEqual([]);
    });
  });

  it('the move makes the change apply: a backport PR on the new tip, and no issue', async () => {
    const repo = await makeRepo(h.sim, 'issue-moves-clean', {
      files: { 'src/calc.c': lines(20), NEWS: 'news\n' },
      branches: { 'v1.2': withOwnV12 },
    });
    // v1.2 takes its line 7 back: the fix now applies there.
    const race = moveAfterPushDiscovery(repo, 'v1.2', { 'src/calc.c': lines(20), NEWS: 'news, meanwhile\n' });
    await backportWhileMoving(h, repo, ['backport-to: v1.2'], [race], async ({ number, mergeSha }) => {
      expect(conflictIssues(h.sim, repo)).toEqual([]);
      const { pull, tip } = await theBackportPull(h, repo, 'v1.2', false);
      await expectOneCommitOn(h, repo, race.moved()!, tip, mergeSha);
      expect(await gitShow(h.sim.repoPath(repo), `${tip}:src/calc.c`)).toContain('line 7 fixed');
      expect(statusRow(h.sim, repo, number, 'v1.2')).toMatchObject({
        state: 'opened',
        link: { number: pull.number },
      });
    });
  });

  it('a draft pushed on the old tip, and the move makes the change apply: a PR replaces it', async () => {
    const repo = await makeRepo(h.sim, 'draft-moves-clean', {
      files: { 'src/calc.c': lines(20), NEWS: 'news\n' },
      config: 'conflict: draft-pr\n',
      branches: { 'v1.2': withOwnV12 },
    });
    const oldTip = await h.sim.resolve(repo, 'refs/heads/v1.2');
    const race = moveAfterPushDiscovery(repo, 'v1.2', { 'src/calc.c': lines(20), NEWS: 'news, meanwhile\n' });
    await backportWhileMoving(h, repo, ['backport-to: v1.2'], [race], async ({ number }) => {
      const { ref, tip } = await theBackportPull(h, repo, 'v1.2', false);
      await expectOneCommitOn(h, repo, race.moved()!, tip);
      expect(await gitShow(h.sim.repoPath(repo), `${tip}:src/calc.c`)).not.toContain('<<<<<<<');
      // The draft with markers went out on the old tip, and the clean pick over exactly it.
      const draft = await expectPushedOver(h, repo, ref, oldTip!, tip);
      expect(await gitShow(h.sim.repoPath(repo), `${draft}:src/calc.c`)).toContain('<<<<<<<');
      expect(conflictIssues(h.sim, repo)).toEqual([]);
      expect(statusRow(h.sim, repo, number, 'v1.2').state).toBe('opened');
    });
  });

  it('draft and issue, still conflicting: one draft on the new tip and one issue that names it', async () => {
    const repo = await makeRepo(h.sim, 'both-moves', {
      files: { 'src/calc.c': lines(20), NEWS: 'news\n' },
      config: 'conflict: both\n',
      branches: { 'v1.2': withOwnV12 },
    });
    const race = moveAfterPushDiscovery(repo, 'v1.2', { NEWS: 'news, meanwhile\n' });
    await backportWhileMoving(h, repo, ['backport-to: v1.2'], [race], async ({ number }) => {
      const { pull: draft, tip } = await theBackportPull(h, repo, 'v1.2', true);
      await expectOneCommitOn(h, repo, race.moved()!, tip);
      const issue = theIssueOn(repo, 'v1.2', race.moved());
      expect(issue.body).toContain(`#${draft.number}`);
      expect(statusRow(h.sim, repo, number, 'v1.2')).toMatchObject({
        state: 'conflict',
        link: { number: issue.number },
        draft: { number: draft.number },
      });
    });
  });

  it('two targets move in one job, each at its own moment: each ends on its own new tip', async () => {
    const repo = await makeRepo(h.sim, 'two-move', {
      files: { 'src/calc.c': lines(20), NEWS: 'news\n' },
      branches: { 'v1.2': null, 'v1.3': withOwnV12 },
    });
    // v1.2 (clean) moves once the job fetched it: its branch goes out on the old tip, the
    // look beside the push sees the move. v1.3 (conflicting) moves only once v1.2's PR is
    // being opened, after every look the job made for v1.2: its own look sees it.
    const v12 = moveAfterPushDiscovery(repo, 'v1.2', { NEWS: 'news, meanwhile on v1.2\n' });
    let opening = false;
    const watch = beforeSimRequest(h.sim, (method, url) => {
      if (method === 'POST' && url.pathname === `/repos/${repo}/pulls`) opening = true;
    });
    const v13 = moveAfterPushDiscovery(
      repo,
      'v1.3',
      { 'src/calc.c': lines(20, { 7: 'line 7 as v1.3 has it now' }) },
      () => opening,
    );
    const labels = ['backport-to: v1.2', 'backport-to: v1.3'];
    await backportWhileMoving(
      h,
      repo,
      labels,
      [v12, { restore: watch }, v13],
      async ({ number, mergeSha }) => {
        // v1.2: one PR, on its new tip, pushed over the branch that went out on the old one.
        const pulls = backportPulls(h.sim, repo);
        expect(pulls.map((p) => p.pull!.baseRef)).toEqual(['v1.2']);
        const ref = `refs/heads/${pulls[0]!.pull!.headRef}`;
        const tip = (await h.sim.resolve(repo, ref))!;
        await expectOneCommitOn(h, repo, v12.moved()!, tip, mergeSha);
        const pushes = h.sim.pushLog.filter((p) => p.repo === repo);
        expect(pushes.map((p) => p.ref)).toEqual([ref, ref]);
        expect(statusRow(h.sim, repo, number, 'v1.2')).toMatchObject({
          state: 'opened',
          link: { number: pulls[0]!.number },
        });
        // v1.3: one issue, on its new tip, no issue for v1.2, no branch pushed for v1.3.
        expect(conflictIssues(h.sim, repo, 'v1.2')).toEqual([]);
        const issue = theIssueOn(repo, 'v1.3', v13.moved());
        expect(issue.body).toContain('line 7 as v1.3 has it now');
        expect(statusRow(h.sim, repo, number, 'v1.3')).toMatchObject({
          state: 'conflict',
          link: { number: issue.number },
        });
        expect(await h.sim.resolve(repo, `refs/heads/backport/${number}-to-v1.3`)).toBeNull();
      },
    );
  });
});
