import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './app-harness.js';
import { gitShow } from './git-async.js';
import type { Delivery } from '../../tools/github-sim/index.js';
import {
  backportPulls,
  conflictIssues,
  expectNoTokenLeak,
  lines,
  makeRepo,
  mergedPull,
  statusComments,
  statusRow,
  statusRows,
} from './world.js';

/**
 * GitHub redelivers, duplicates and reorders webhooks, and (with apiWebhooks) the app's own
 * writes send more of them. Whatever arrives, each (PR, target) ends with exactly one backport
 * PR or one conflict issue, found again rather than made twice.
 */
describe('repeated, duplicated and reordered events', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ apiWebhooks: true, fastRetry: {} });
  });
  afterAll(() => h.stop());

  /** Until no webhook is in flight and no job is queued (jobs cause webhooks and vice versa). */
  async function quiet() {
    for (let i = 0; i < 3; i++) {
      await h.sim.settle();
      await h.idle();
    }
  }

  const world = (name: string) =>
    makeRepo(h.sim, name, {
      files: { 'src/calc.c': lines(20) },
      branches: {
        'v1.2': null,
        'v1.3': null,
        'v1.1': { 'src/calc.c': lines(20, { 7: 'line 7 (1.1 hotfix)' }) },
      },
    });
  const fix = (labels: string[]) => ({
    branch: 'fix',
    title: 'Fix overflow',
    labels,
    commits: [{ 'src/calc.c': lines(20, { 7: 'line 7 fixed' }) }],
  });

  /** One PR per target and one conflict issue per conflicting target, in the repository. */
  function expectOneEach(repo: string, number: number, clean: string[], conflicting: string[] = []) {
    const pulls = backportPulls(h.sim, repo);
    expect(pulls.map((p) => p.pull!.baseRef).sort()).toEqual([...clean].sort());
    expect(conflictIssues(h.sim, repo).map((i) => i.title)).toEqual(
      conflicting.map((t) => `Backport #${number} to ${t} needs manual adaptation`),
    );
    expect(statusComments(h.sim, repo, number)).toHaveLength(1);
    for (const t of clean) {
      const pull = pulls.find((p) => p.pull!.baseRef === t)!;
      expect(statusRow(h.sim, repo, number, t)).toMatchObject({
        state: 'opened',
        link: { number: pull.number },
      });
    }
  }

  it('a redelivered closed event (same id, same bytes) finds and links what the first made', async () => {
    const repo = await world('redeliver');
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.2', 'backport-to: v1.1']));
    await quiet();
    const closed = h.sim.deliveries.find(
      (d) => d.event === 'pull_request' && d.action === 'closed' && d.body.includes(`"full_name":"${repo}"`),
    )!;
    expect(await h.sim.redeliver(closed.id)).toBe(200);
    expect(await h.sim.redeliver(closed.id)).toBe(200);
    await quiet();
    expectOneEach(repo, number, ['v1.2'], ['v1.1']);
    expect(statusRow(h.sim, repo, number, 'v1.1')).toMatchObject({
      state: 'conflict',
      link: { number: conflictIssues(h.sim, repo, 'v1.1')[0]!.number },
    });
    expect(h.sim.violations).toEqual([]);
  });

  it('the same event delivered three times at once still makes one PR per target', async () => {
    const repo = await world('burst');
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.2', 'backport-to: v1.3']));
    const closed = h.sim.deliveries.filter(
      (d) => d.action === 'closed' && d.body.includes(`"full_name":"${repo}"`),
    );
    await Promise.all([0, 1, 2].map(() => h.sim.redeliver(closed[0]!.id)));
    await quiet();
    expectOneEach(repo, number, ['v1.2', 'v1.3']);
    expect(h.sim.violations).toEqual([]);
  });

  it('a label removed and added again links the existing PR instead of opening another', async () => {
    const repo = await world('relabel');
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.2']));
    await quiet();
    const first = statusRow(h.sim, repo, number, 'v1.2');
    await h.sim.removeLabel(repo, number, 'backport-to: v1.2', 'maint');
    await h.sim.addLabel(repo, number, 'backport-to: v1.2', 'maint');
    await quiet();
    expectOneEach(repo, number, ['v1.2']);
    expect(statusRow(h.sim, repo, number, 'v1.2').link).toEqual(first.link);
    expect(h.sim.violations).toEqual([]);
  });

  /** Runs `act` with webhooks going nowhere and returns what would have been delivered. */
  async function captured(act: () => Promise<unknown>): Promise<Delivery[]> {
    const url = h.sim.webhookUrl;
    const from = h.sim.deliveries.length;
    h.sim.webhookUrl = 'http://127.0.0.1:9/unreachable';
    try {
      await act();
    } finally {
      h.sim.webhookUrl = url;
    }
    return h.sim.deliveries.slice(from);
  }
  const send = (d: Delivery) => h.sim.deliver(d.event, JSON.parse(d.body) as Record<string, unknown>);

  it.each([
    ['labeled first, then closed', (l: Delivery, c: Delivery) => [l, c]],
    ['closed first, then labeled', (l: Delivery, c: Delivery) => [c, l]],
  ])('closed and labeled both arriving, %s: one PR per target', async (_, order) => {
    const repo = await world('order');
    let number = 0;
    const events = await captured(async () => {
      ({ number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.2'])));
      await h.sim.addLabel(repo, number, 'backport-to: v1.3', 'maint');
    });
    const closed = events.find((d) => d.action === 'closed')!;
    const labeled = events.find((d) => d.action === 'labeled' && d.body.includes('backport-to: v1.3'))!;
    for (const d of order(labeled, closed)) expect(await send(d)).toBe(200);
    await quiet();
    expectOneEach(repo, number, ['v1.2', 'v1.3']);
    expect(h.sim.violations).toEqual([]);
  });

  it('closed and labeled arriving at the same moment: one PR per target', async () => {
    const repo = await world('together');
    let number = 0;
    const events = await captured(async () => {
      ({ number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.2', 'backport-to: v1.1'])));
      await h.sim.addLabel(repo, number, 'backport-to: v1.3', 'maint');
    });
    const wanted = events.filter((d) => d.action === 'closed' || d.action === 'labeled');
    await Promise.all([...wanted, ...wanted].map(send));
    await quiet();
    expectOneEach(repo, number, ['v1.2', 'v1.3'], ['v1.1']);
    expect(h.sim.violations).toEqual([]);
  });

  it('/backport adds labels whose own labeled webhooks come back: still one PR per target', async () => {
    const repo = await world('command');
    const { number } = await mergedPull(h.sim, repo, fix([]));
    await quiet();
    await h.sim.comment(repo, number, '/backport v1.2 v1.3', 'maint');
    await quiet();
    const labeledByApp = h.sim.deliveries.filter(
      (d) =>
        d.action === 'labeled' &&
        d.body.includes(`"full_name":"${repo}"`) &&
        d.body.includes(`"login":"${h.sim.botLogin}"`),
    );
    expect(labeledByApp.length).toBeGreaterThan(0);
    expectOneEach(repo, number, ['v1.2', 'v1.3']);
    expect(h.sim.violations).toEqual([]);
  });

  it('a run that died after opening the PR: the next run finds the PR by its branch and links it', async () => {
    const repo = await world('died');
    // The status comment cannot be updated: the job opens the PR, then fails to record it.
    const fault = h.sim.faults.add({ operationId: 'issues/update-comment', status: 500, times: 1000 });
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.2']));
    await quiet();
    expect(fault.fired).toBeGreaterThan(0);
    h.sim.faults.clear();
    expect(backportPulls(h.sim, repo)).toHaveLength(1);
    expect(statusRow(h.sim, repo, number, 'v1.2').state).toBe('in-progress');

    await h.sim.removeLabel(repo, number, 'backport-to: v1.2', 'maint');
    await h.sim.addLabel(repo, number, 'backport-to: v1.2', 'maint');
    await quiet();
    expectOneEach(repo, number, ['v1.2']);
    expect(h.sim.violations).toEqual([]);
  });

  it('a run that died after filing the conflict issue: the next run finds the issue by its marker', async () => {
    const repo = await world('died-issue');
    const fault = h.sim.faults.add({ operationId: 'issues/update-comment', status: 500, times: 1000 });
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.1']));
    await quiet();
    expect(fault.fired).toBeGreaterThan(0);
    h.sim.faults.clear();
    const [issue] = conflictIssues(h.sim, repo, 'v1.1');
    expect(statusRow(h.sim, repo, number, 'v1.1')).toMatchObject({ state: 'in-progress' });

    await h.sim.removeLabel(repo, number, 'backport-to: v1.1', 'maint');
    await h.sim.addLabel(repo, number, 'backport-to: v1.1', 'maint');
    await quiet();
    expectOneEach(repo, number, [], ['v1.1']);
    expect(statusRow(h.sim, repo, number, 'v1.1')).toMatchObject({
      state: 'conflict',
      link: { number: issue!.number },
    });
    expect(h.sim.violations).toEqual([]);
  });

  it('the status comment created although GitHub answered 502: found again, the job goes on', async () => {
    const repo = await world('lost-status');
    const lost = h.loseAnswer({
      method: 'POST',
      pathRegex: new RegExp(`^/repos/${repo}/issues/1/comments$`),
    });
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.2']));
    expect(number).toBe(1);
    await quiet();
    expect(lost.fired).toBe(1);
    expectOneEach(repo, number, ['v1.2']);
    expect(h.sim.violations).toEqual([]);
  });

  it('a branch pushed by a run whose PR creation failed is reused by the next run', async () => {
    const repo = await world('branch');
    h.sim.faults.add({ operationId: 'pulls/create', status: 500, times: 1000 });
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.2']));
    await quiet();
    h.sim.faults.clear();
    expect(backportPulls(h.sim, repo)).toEqual([]);
    expect(await h.sim.resolve(repo, `refs/heads/backport/${number}-to-v1.2`)).not.toBeNull();
    expect(statusRow(h.sim, repo, number, 'v1.2')).toMatchObject({
      state: 'failed',
      error: { code: 'github-error' },
    });

    await h.sim.removeLabel(repo, number, 'backport-to: v1.2', 'maint');
    await h.sim.addLabel(repo, number, 'backport-to: v1.2', 'maint');
    await quiet();
    expectOneEach(repo, number, ['v1.2']);
    expect(h.sim.violations).toEqual([]);
  });

  it('a second run after a conflict issue exists updates that issue instead of filing another', async () => {
    const repo = await world('reissue');
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.1']));
    await quiet();
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
    await quiet();

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
    await quiet();
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
    await quiet();

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
