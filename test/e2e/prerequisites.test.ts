import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { findMarker } from '../../src/render/marker.js';
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
  statusRow,
} from './world.js';

/** The conflict issue names the upstream commits a conflicted backport is missing. */
describe('prerequisites in the conflict issue', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  /**
   * #1 rewrote line 7 upstream and was itself asked for on v1.1 (its backport, `firstBackport`,
   * is open, not merged); then #2 fixes the rewritten line: on v1.1, which still has the old
   * line, it conflicts.
   */
  async function fixOfARefactor(name: string) {
    const repo = await makeRepo(h.sim, name, {
      files: { 'src/calc.c': lines(20) },
      branches: { 'v1.1': { 'src/other.c': 'v1.1 only\n' } },
    });
    const first = await mergedPull(h.sim, repo, {
      branch: 'refactor',
      title: 'Refactor the sum',
      labels: ['backport-to: v1.1'],
      commits: [{ 'src/calc.c': lines(20, { 7: 'line 7 refactored' }) }],
    });
    await h.idle();
    const [firstBackport] = backportPulls(h.sim, repo, 'v1.1');
    const second = await mergedPull(h.sim, repo, {
      branch: 'fix',
      title: 'Fix the sum',
      labels: ['backport-to: v1.1'],
      commits: [{ 'src/calc.c': lines(20, { 7: 'line 7 refactored and fixed' }) }],
    });
    await h.idle();
    return { repo, first, firstBackport, second };
  }

  it('names the commit that last changed the lines, its PR, its own backport, and that it makes the pick apply', async () => {
    const { repo, first, firstBackport, second } = await fixOfARefactor('prereq');
    expect(firstBackport).toBeDefined();
    expect(statusRow(h.sim, repo, second.number, 'v1.1').state).toBe('conflict');
    const body = theIssue(h.sim, repo).body ?? '';
    const short = first.mergeSha.slice(0, 7);
    expect(body).toContain('## Why it conflicts: missing prerequisites');
    expect(body).toContain(`Picking \`${short}\` first makes this backport apply cleanly to \`v1.1\``);
    expect(body).toContain(`comment \`/backport v1.1 with ${short}\` on the original pull request`);
    const row = body.split('\n').find((l) => l.includes(`[\`${short}\`]`) && l.startsWith('| ✓'));
    expect(row).toBeDefined();
    expect(row).toContain('Refactor the sum');
    expect(row).toContain(`[#${first.number}]`);
    expect(row).toContain('1 file, +1 −1');
    expect(row).toContain('all replaced by the fix');
    expect(row).toContain(`labelled, backport open [#${firstBackport!.number}]`);
    // The prerequisites come after the choices and before how to answer.
    expect(body.indexOf('## Choices')).toBeLessThan(body.indexOf('## Why it conflicts'));
    expect(body.indexOf('## Why it conflicts')).toBeLessThan(body.indexOf('## How to answer'));
    expect(h.sim.violations).toEqual([]);
  });

  it('retries the conflicted backport once the prerequisite’s own backport merges: a PR, and the issue closed with a link', async () => {
    const { repo, first, firstBackport, second } = await fixOfARefactor('prereq-retry');
    const issue = theIssue(h.sim, repo);
    expect(backportPulls(h.sim, repo, 'v1.1')).toHaveLength(1);

    expect(findMarker(issue.body ?? '', 'conflict-issue')?.needs).toEqual([first.number]);
    await h.sim.mergePull({ repo, number: firstBackport!.number, method: 'squash', mergedBy: 'maint' });
    await h.idle();
    const pulls = backportPulls(h.sim, repo, 'v1.1');
    expect(pulls).toHaveLength(2);
    const retried = pulls.find((p) => p.number !== firstBackport!.number)!;
    expect(retried.pull!.headRef).toBe(`backport/${second.number}-to-v1.1`);
    const onto = (await h.sim.resolve(repo, 'refs/heads/v1.1'))!;
    const expected = await gitCherryPick(h.sim, repo, onto, [second.mergeSha]);
    const made = await commitsOnTop(h.sim, repo, onto, `refs/heads/backport/${second.number}-to-v1.1`);
    expect(made.tree).toBe(expected.tree);
    expect(statusRow(h.sim, repo, second.number, 'v1.1')).toMatchObject({
      state: 'opened',
      link: { number: retried.number },
    });
    const closed = h.sim.issues(repo).find((i) => i.number === issue.number)!;
    expect(closed.state).toBe('closed');
    expect(botComments(h.sim, repo, issue.number).at(-1)!.body).toContain(`#${retried.number}`);
    expect(h.sim.violations).toEqual([]);
  });

  it('says when the prerequisite was not asked for and does not make the pick apply', async () => {
    const repo = await makeRepo(h.sim, 'prereq-blocked', {
      files: { 'src/calc.c': lines(20) },
      branches: { 'v1.1': { 'src/calc.c': lines(20, { 6: 'line 6 (1.1)' }) } },
    });
    // #1 rewrote lines 6 and 7 upstream; v1.1 changed line 6 its own way, so #1 conflicts there too.
    const first = await mergedPull(h.sim, repo, {
      branch: 'refactor',
      title: 'Refactor the sum',
      commits: [{ 'src/calc.c': lines(20, { 6: 'line 6 refactored', 7: 'line 7 refactored' }) }],
    });
    await mergedPull(h.sim, repo, {
      branch: 'fix',
      title: 'Fix the sum',
      labels: ['backport-to: v1.1'],
      commits: [{ 'src/calc.c': lines(20, { 6: 'line 6 refactored', 7: 'line 7 refactored and fixed' }) }],
    });
    await h.idle();
    const body = theIssue(h.sim, repo).body ?? '';
    const short = first.mergeSha.slice(0, 7);
    expect(body).toContain(
      `Picking them first does not help: \`${short}\` does not apply to \`v1.1\` itself.`,
    );
    const row = body.split('\n').find((l) => l.includes(`[\`${short}\`]`));
    expect(row).toContain(`[#${first.number}]`);
    expect(row).toContain('| not labelled |');
    expect(row!.startsWith('| ✓')).toBe(false);
    expect(h.sim.violations).toEqual([]);
  });
});
