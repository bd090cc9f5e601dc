import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './app-harness.js';
import {
  backportPulls,
  beforeSimRequest,
  holdUntilArrives,
  lines,
  makeRepo,
  mergedPull,
  openPull,
  statusComments,
  statusRow,
  statusRows,
} from './world.js';

/** How long the held status write waits for the push's ref discovery before it is let go anyway. */
const HOLD_LIMIT_MS = 10_000;

/**
 * The job's first status write ("in progress") is not waited for before the pick: the
 * target's fetch, the pick and the push's ref discovery go on while it is made. The test
 * holds that write until the push's discovery arrives (were the job still waiting for the
 * write, the hold would time out). Nothing is published before it has landed, though: the
 * push finds the "in progress" row written, and the final row lands after it.
 */
describe("a backport does not wait for its 'in progress' row before picking", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  it.each(['cold', 'warm'])('%s cache', async (temperature) => {
    const repo = await makeRepo(h.sim, `status-ahead-${temperature}`, {
      files: { 'src/calc.c': lines(30), 'README.md': 'calc\n' },
      branches: { 'v1.2': { 'NOTES.md': 'release notes\n' } },
    });
    if (temperature === 'warm') {
      await mergedPull(h.sim, repo, {
        branch: 'fix-one',
        commits: [{ 'src/calc.c': lines(30, { 1: 'line 1 fixed' }) }],
        labels: ['backport-to: v1.2'],
      });
    }
    const number = await openPull(h.sim, repo, {
      branch: 'fix-two',
      commits: [{ 'src/calc.c': lines(30, { 20: 'line 20 fixed' }) }],
      labels: ['backport-to: v1.2'],
    });
    // The open PR's preview runs unheld: only the backport job's write is held.
    await h.idle();

    const statusWrite = (method: string, url: URL) =>
      method === 'POST' && url.pathname === `/repos/${repo}/issues/${number}/comments`;
    const { order, restore } = holdUntilArrives(h.sim, {
      held: statusWrite,
      awaited: (method, url) =>
        method === 'GET' &&
        url.pathname === `/${repo}.git/info/refs` &&
        url.searchParams.get('service') === 'git-receive-pack',
      limitMs: HOLD_LIMIT_MS,
    });
    // What the status comment said when the push arrived.
    const atPush: string[][] = [];
    const restorePush = beforeSimRequest(h.sim, (method, url) => {
      if (method === 'POST' && url.pathname === `/${repo}.git/git-receive-pack`)
        atPush.push(statusRows(h.sim, repo, number).map((r) => `${r.target} ${r.state}`));
    });
    try {
      await h.sim.mergePull({ repo, number, method: 'squash', mergedBy: 'maint' });
      await h.idle();
    } finally {
      restorePush();
      restore();
    }
    expect(order).toEqual(['held', 'awaited', 'released']);
    expect(atPush).toEqual([['v1.2 in-progress']]);
    expect(statusComments(h.sim, repo, number)).toHaveLength(1);
    expect(statusRow(h.sim, repo, number, 'v1.2').state).toBe('opened');
    expect(
      backportPulls(h.sim, repo, 'v1.2').filter((p) => p.pull!.headRef.includes(`${number}-`)),
    ).toHaveLength(1);
    expect(h.sim.violations).toEqual([]);
  });
});
