import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { gitShow } from './git-async.js';
import { startHarness, type Harness } from './app-harness.js';
import {
  backportPulls,
  conflictIssues,
  expectNoTokenLeak,
  lines,
  makeRepo,
  mergedPull,
  statusRow,
} from './world.js';

/**
 * What a conflicting backport leaves behind, as the configuration asks: a conflict issue, a
 * draft PR holding conflict markers, or both; with the labels and assignees it names.
 */
describe('.github/backport.yml shapes what a conflict leaves', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  const conflicting = (config: string) =>
    makeRepo(h.sim, 'conflict', {
      files: { 'src/calc.c': lines(20), 'src/ok.c': lines(5) },
      branches: { 'v1.1': { 'src/calc.c': lines(20, { 7: 'line 7 (1.1 hotfix)' }) } },
      config,
    });
  const conflictingFix = {
    branch: 'fix',
    title: 'Fix overflow',
    labels: ['backport-to: v1.1'],
    commits: [{ 'src/calc.c': lines(20, { 7: 'line 7 fixed' }), 'src/ok.c': lines(5, { 1: 'ok fixed' }) }],
  };

  /** The draft's tip holds diff3 markers around the conflicting lines, and the clean file merged. */
  async function expectMarkerDraft(repo: string, number: number) {
    const drafts = backportPulls(h.sim, repo, 'v1.1');
    expect(drafts).toHaveLength(1);
    const draft = drafts[0]!;
    expect(draft.pull!.draft).toBe(true);
    expect(draft.title).toContain('DRAFT with conflicts');
    expect(draft.body).toMatch(/^> \[!CAUTION\]\n> \*\*Do not merge this pull request as it is\.\*\*/);
    expect(draft.body).toContain('- `src/calc.c` (content)');
    expect(draft.labels).toEqual(['backport-conflict']);
    const tip = (await h.sim.resolve(repo, `refs/heads/backport/${number}-to-v1.1`))!;
    const text = await gitShow(h.sim.repoPath(repo), `${tip}:src/calc.c`);
    expect(text).toMatch(
      /^<<<<<<< v1\.1\nline 7 \(1\.1 hotfix\)\n\|\|\|\|\|\|\| parent of [0-9a-f]{7} .*\nline 7\n=======\nline 7 fixed\n>>>>>>> [0-9a-f]{7} .*$/m,
    );
    expect(await gitShow(h.sim.repoPath(repo), `${tip}:src/ok.c`)).toBe(lines(5, { 1: 'ok fixed' }));
    const parent = (await h.sim.resolve(repo, `${tip}~1`))!;
    expect(parent).toBe(await h.sim.resolve(repo, 'refs/heads/v1.1'));
    return draft;
  }

  it('conflict: draft-pr opens a draft holding diff3 markers, clearly marked, and files no issue', async () => {
    const repo = await conflicting('conflict: draft-pr\n');
    const { number } = await mergedPull(h.sim, repo, conflictingFix);
    await h.idle();
    const draft = await expectMarkerDraft(repo, number);
    expect(conflictIssues(h.sim, repo)).toEqual([]);
    expect(statusRow(h.sim, repo, number, 'v1.1')).toMatchObject({
      state: 'conflict',
      draft: { number: draft.number },
    });
    expect(h.sim.violations).toEqual([]);
  });

  it('conflict: both files the issue and the draft, each pointing at the other', async () => {
    const repo = await conflicting('conflict: both\n');
    const { number } = await mergedPull(h.sim, repo, conflictingFix);
    await h.idle();
    const draft = await expectMarkerDraft(repo, number);
    const [issue] = conflictIssues(h.sim, repo, 'v1.1');
    expect(issue!.body).toContain(`A draft with conflict markers is on`);
    expect(issue!.body).toContain(`#${draft.number}`);
    expect(issue!.body).toContain('Do not merge it before every marker is resolved.');
    expect(statusRow(h.sim, repo, number, 'v1.1')).toMatchObject({
      state: 'conflict',
      link: { number: issue!.number },
      draft: { number: draft.number },
    });
    expect(h.sim.violations).toEqual([]);
  });

  it('conflictLabels and assignOnConflict go onto the conflict issue', async () => {
    const repo = await conflicting(
      "conflictLabels: [needs-hand, 'backport: manual']\nassignOnConflict: ['{merger}', alice, nobody-here]\n",
    );
    const { number } = await mergedPull(h.sim, repo, { ...conflictingFix, author: 'alice' });
    await h.idle();
    const [issue] = conflictIssues(h.sim, repo, 'v1.1');
    expect(issue!.labels).toEqual(['needs-hand', 'backport: manual']);
    // GitHub silently drops people who cannot be assigned; the others are.
    expect([...issue!.assignees].sort()).toEqual(['alice', 'maint']);
    expect(statusRow(h.sim, repo, number, 'v1.1').state).toBe('conflict');
    expect(h.sim.violations).toEqual([]);
  });

  it('leaks no token into any log line or body the app wrote', () => {
    expectNoTokenLeak(h.sim, h.logs);
  });
});
