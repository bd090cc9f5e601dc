import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './app-harness.js';
import { gitShow } from './git-async.js';
import { repeatWorld, type RepeatWorld } from './repeat-world.js';
import {
  backportPulls,
  conflictIssues,
  expectNoTokenLeak,
  fix,
  lines,
  makeRepo,
  mergedPull,
  statusRow,
  statusRows,
} from './world.js';

/**
 * A backport asked for again, or retried after a run died between two writes, finds what the
 * earlier run made (the PR by its branch, the issue by its marker, the status comment) and
 * updates or reuses it: each (PR, target) still ends with one backport PR or one conflict issue.
 */
describe('a run after an earlier one, finished or died midway', () => {
  let h: Harness;
  let w: RepeatWorld;
  beforeAll(async () => {
    h = await startHarness({ apiWebhooks: true, fastRetry: {} });
    w = repeatWorld(h);
  });
  afterAll(() => h.stop());

  it('a run that died after opening the PR: the next run finds the PR by its branch and links it', async () => {
    const repo = await w.world('died');
    // The status comment cannot be updated: the job opens the PR, then fails to record it.
    const fault = h.sim.faults.add({ operationId: 'issues/update-comment', status: 500, times: 1000 });
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.2']));
    await w.quiet();
    expect(fault.fired).toBeGreaterThan(0);
    h.sim.faults.clear();
    expect(backportPulls(h.sim, repo)).toHaveLength(1);
    expect(statusRow(h.sim, repo, number, 'v1.2').state).toBe('in-progress');

    await h.sim.removeLabel(repo, number, 'backport-to: v1.2', 'maint');
    await h.sim.addLabel(repo, number, 'backport-to: v1.2', 'maint');
    await w.quiet();
    w.expectOneEach(repo, number, ['v1.2']);
    expect(h.sim.violations).toEqual([]);
  });

  it('a run that died after filing the conflict issue: the next run finds the issue by its marker', async () => {
    const repo = await w.world('died-issue');
    const fault = h.sim.faults.add({ operationId: 'issues/update-comment', status: 500, times: 1000 });
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.1']));
    await w.quiet();
    expect(fault.fired).toBeGreaterThan(0);
    h.sim.faults.clear();
    const [issue] = conflictIssues(h.sim, repo, 'v1.1');
    expect(statusRow(h.sim, repo, number, 'v1.1')).toMatchObject({ state: 'in-progress' });

    await h.sim.removeLabel(repo, number, 'backport-to: v1.1', 'maint');
    await h.sim.addLabel(repo, number, 'backport-to: v1.1', 'maint');
    await w.quiet();
    w.expectOneEach(repo, number, [], ['v1.1']);
    expect(statusRow(h.sim, repo, number, 'v1.1')).toMatchObject({
      state: 'conflict',
      link: { number: issue!.number },
    });
    expect(h.sim.violations).toEqual([]);
  });

  it('the status comment created although GitHub answered 502: found again, the job goes on', async () => {
    const repo = await w.world('lost-status');
    const lost = h.loseAnswer({
      method: 'POST',
      pathRegex: new RegExp(`^/repos/${repo}/issues/1/comments$`),
    });
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.2']));
    expect(number).toBe(1);
    await w.quiet();
    expect(lost.fired).toBe(1);
    w.expectOneEach(repo, number, ['v1.2']);
    expect(h.sim.violations).toEqual([]);
  });

  it('a branch pushed by a run whose PR creation failed is reused by the next run', async () => {
    const repo = await w.world('branch');
    h.sim.faults.add({ operationId: 'pulls/create', status: 500, times: 1000 });
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.2']));
    await w.quiet();
    h.sim.faults.clear();
    expect(backportPulls(h.sim, repo)).toEqual([]);
    expect(await h.sim.resolve(repo, `refs/heads/backport/${number}-to-v1.2`)).not.toBeNull();
    expect(statusRow(h.sim, repo, number, 'v1.2')).toMatchObject({
      state: 'failed',
      error: { code: 'github-error' },
    });

    await h.sim.removeLabel(repo, number, 'backport-to: v1.2', 'maint');
    await h.sim.addLabel(repo, number, 'backport-to: v1.2', 'maint');
    await w.quiet();
    w.expectOneEach(repo, number, ['v1.2']);
    expect(h.sim.violations).toEqual([]);
  });

  it('a second run after a conflict issue exists updates that issue instead of filing another', async () => {
    const repo = await w.world('reissue');
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.1']));
    await w.quiet();
    const [issue] = conflictIssues(h.sim, repo, 'v1.1');
    expect(issue!.body).toContain('line 7 (1.1 hotfix)');

    // v1.1 moves on and still conflicts, differently; then the backport is asked for again.
    await h.sim.commitFiles(repo, {
      branch: 'v1.1',
      files: { 'src/calc.c': lines(20, { 7: 'line 7 (1.1 second hotfix)' }) },
      message: 'another hotfix',
    });
    await h.sim.removeLabel(repo, number, 'backport-to: v1.1', 'maint');
    await h.sim.addLabel(repo, number, 'backport-to: v1.1', 'maint');
    await w.quiet();

    const issues = conflictIssues(h.sim, repo, 'v1.1');
    expect(issues.map((i) => i.number)).toEqual([issue!.number]);
    expect(issues[0]!.body).toContain('line 7 (1.1 second hotfix)');
    expect(issues[0]!.body).not.toContain('line 7 (1.1 hotfix)');
    expect(statusRows(h.sim, repo, number)).toEqual([
      expect.objectContaining({
        target: 'v1.1',
        state: 'conflict',
        link: expect.objectContaining({ number: issue!.number }),
      }),
    ]);
    expect(h.sim.violations).toEqual([]);
  });

  it('a conflict that later applies cleanly: the draft becomes the backport, the issue is closed', async () => {
    const repo = await makeRepo(h.sim, 'settled', {
      files: { 'src/calc.c': lines(20) },
      branches: { 'v1.1': { 'src/calc.c': lines(20, { 7: 'line 7 (1.1 hotfix)' }) } },
      config: 'conflict: both\n',
    });
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.1']));
    await w.quiet();
    const [draft] = backportPulls(h.sim, repo, 'v1.1');
    const [issue] = conflictIssues(h.sim, repo, 'v1.1');
    expect(draft!.pull!.draft).toBe(true);

    // v1.1 drops its hotfix; asked again, the fix now applies cleanly.
    await h.sim.commitFiles(repo, {
      branch: 'v1.1',
      files: { 'src/calc.c': lines(20) },
      message: 'revert hotfix',
    });
    await h.sim.removeLabel(repo, number, 'backport-to: v1.1', 'maint');
    await h.sim.addLabel(repo, number, 'backport-to: v1.1', 'maint');
    await w.quiet();

    const pulls = backportPulls(h.sim, repo, 'v1.1');
    expect(pulls.map((p) => p.number)).toEqual([draft!.number]);
    expect(pulls[0]!.title).toBe('[v1.1] Fix overflow');
    expect(pulls[0]!.body).not.toContain('Do not merge');
    const tip = (await h.sim.resolve(repo, `refs/heads/backport/${number}-to-v1.1`))!;
    expect(await gitShow(h.sim.repoPath(repo), `${tip}:src/calc.c`)).toBe(lines(20, { 7: 'line 7 fixed' }));
    const closed = h.sim.issues(repo).find((i) => i.number === issue!.number)!;
    expect(closed.state).toBe('closed');
    expect(h.sim.comments(repo, issue!.number).map((c) => c.body)).toEqual([
      `The change now applies cleanly: see #${draft!.number}.`,
    ]);
    expect(statusRow(h.sim, repo, number, 'v1.1')).toMatchObject({
      state: 'opened',
      link: { number: draft!.number },
    });
    expect(h.sim.violations).toEqual([]);
  });

  it('leaks no token into any log line or body the app wrote', () => {
    expectNoTokenLeak(h.sim, h.logs);
  });
});
