import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './app-harness.js';
import { theIssue } from './resolve-world.js';
import {
  backportPulls,
  botComments,
  commitsOnTop,
  gitCherryPick,
  lines,
  makeRepo,
  mergedPull,
  openPull,
  statusRow,
} from './world.js';

/** `/backport v1.1 with abc1234 #456`: a backport that takes its prerequisites along. */
describe('/backport <target> with <prerequisites>', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  /** #1 rewrote line 7 (not backported); #2 fixes the rewritten line and conflicts on v1.1. */
  async function world(name: string) {
    const repo = await makeRepo(h.sim, name, {
      files: { 'src/calc.c': lines(20), 'src/util.c': lines(5) },
      branches: { 'v1.1': { 'src/util.c': lines(5, { 2: 'util 1.1' }) } },
    });
    const first = await mergedPull(h.sim, repo, {
      branch: 'refactor',
      title: 'Refactor the sum',
      commits: [{ 'src/calc.c': lines(20, { 7: 'line 7 refactored' }) }],
    });
    const second = await mergedPull(h.sim, repo, {
      branch: 'fix',
      title: 'Fix the sum',
      labels: ['backport-to: v1.1'],
      commits: [{ 'src/calc.c': lines(20, { 7: 'line 7 refactored and fixed', 15: 'line 15 fixed' }) }],
    });
    await h.idle();
    expect(statusRow(h.sim, repo, second.number, 'v1.1').state).toBe('conflict');
    return { repo, first, second, issue: theIssue(h.sim, repo) };
  }

  for (const how of ['sha', 'pr'] as const) {
    it(`by ${how === 'sha' ? 'a sha prefix' : 'PR number'}: one PR whose tree and trailers are git's own cherry-picks; the conflict issue is closed`, async () => {
      const { repo, first, second, issue } = await world(`with-${how}`);
      const ref = how === 'sha' ? first.mergeSha.slice(0, 8) : `#${first.number}`;
      await h.sim.comment(repo, second.number, `/backport v1.1 with ${ref}`, 'alice');
      await h.idle();
      const pulls = backportPulls(h.sim, repo, 'v1.1');
      expect(pulls).toHaveLength(1);
      const branch = `refs/heads/backport/${second.number}-to-v1.1`;
      const onto = (await h.sim.resolve(repo, 'refs/heads/v1.1'))!;
      const expected = await gitCherryPick(h.sim, repo, onto, [first.mergeSha, second.mergeSha]);
      const made = await commitsOnTop(h.sim, repo, onto, branch);
      expect(made.tree).toBe(expected.tree);
      expect(made.messages).toHaveLength(2);
      expect(made.messages[0]).toContain(`(cherry picked from commit ${first.mergeSha})`);
      expect(made.messages[1]).toContain(`(cherry picked from commit ${second.mergeSha})`);
      expect(made.messages[0]).toMatch(/^Refactor the sum/);
      const body = pulls[0]!.body ?? '';
      expect(body).toContain('**Prerequisites taken along**');
      expect(body).toContain(`\`${first.mergeSha.slice(0, 7)}\``);
      expect(body).toContain(`(from #${first.number})`);
      expect(statusRow(h.sim, repo, second.number, 'v1.1')).toMatchObject({
        state: 'opened',
        link: { number: pulls[0]!.number },
      });
      const closed = h.sim.issues(repo).find((i) => i.number === issue.number)!;
      expect(closed.state).toBe('closed');
      expect(botComments(h.sim, repo, issue.number).at(-1)!.body).toContain(`#${pulls[0]!.number}`);
      // The same command again: still one PR, and a reply naming it.
      await h.sim.comment(repo, second.number, `/backport v1.1 with ${ref}`, 'alice');
      await h.idle();
      expect(backportPulls(h.sim, repo, 'v1.1')).toHaveLength(1);
      expect(h.sim.violations).toEqual([]);
    });
  }

  it('bad input gets one reply each, and nothing is pushed', async () => {
    const { repo, second } = await world('with-bad');
    h.sim.addCollaborator(repo, 'trish', 'triage');
    // #3 is open, not merged; #4 changed line 7 its own way, so it does not apply to v1.1.
    const open = await openPull(h.sim, repo, {
      branch: 'wip',
      title: 'Work',
      commits: [{ 'src/x.c': 'x\n' }],
    });
    const clash = await mergedPull(h.sim, repo, {
      branch: 'other',
      title: 'Other',
      commits: [{ 'src/calc.c': lines(20, { 6: 'line 6 other', 7: 'line 7 other' }) }],
    });
    await h.idle();
    const pushes = h.sim.pushLog.length;
    const cases: Array<[string, string, string]> = [
      ['trish', '/backport v1.1 with abc1234', 'only people with write access'],
      ['alice', '/backport v1.1 with 0000000', 'no commit `0000000` on `main`'],
      ['alice', `/backport v1.1 with #${open}`, `#${open} is not a merged pull request.`],
      [
        'alice',
        `/backport v1.1 with #${clash.number}`,
        `#${clash.number} (commit \`${clash.mergeSha.slice(0, 7)}\`) conflicts on \`v1.1\``,
      ],
      ['alice', '/backport v1.1 with nonsense', '`nonsense` is neither a commit'],
    ];
    for (const [who, text] of cases) {
      await h.sim.comment(repo, second.number, text, who);
      await h.idle();
    }
    const replies = botComments(h.sim, repo, second.number)
      .map((c) => c.body)
      .filter((b) => b.includes('was not run'));
    expect(replies).toHaveLength(cases.length);
    for (const [i, [, , sentence]] of cases.entries()) expect(replies[i]).toContain(sentence);
    expect(h.sim.pushLog.slice(pushes)).toEqual([]);
    expect(backportPulls(h.sim, repo, 'v1.1')).toEqual([]);
    expect(h.sim.violations).toEqual([]);
  });
});
