import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './app-harness.js';
import { gitShow } from './git-async.js';
import {
  backportPulls,
  beforeSimRequest,
  lines,
  makeRepo,
  mergedPull,
  openPull,
  statusComments,
  statusRow,
  statusRows,
} from './world.js';

/** How long the held status write waits for the pick before it is let go anyway. */
const HOLD_LIMIT_MS = 10_000;

/**
 * The job's first status write ("in progress") is not waited for before the pick: the
 * target's fetch and the pick go on while it is made. The test holds that write until the
 * pick's commit is in the app's cache (were the job still waiting for the write, the hold
 * would time out). Nothing is published before it has landed, though: the push finds the
 * "in progress" row written, and the final row lands after it.
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
      // No preview: its pick would be in the cache before the job's.
      config: 'preview: off\n',
      branches: { 'v1.2': { 'src/calc.c': lines(30, { 10: 'line 10 on v1.2' }) } },
    });
    if (temperature === 'warm') {
      await mergedPull(h.sim, repo, {
        branch: 'fix-one',
        commits: [{ 'src/calc.c': lines(30, { 1: 'line 1 fixed' }) }],
        labels: ['backport-to: v1.2'],
      });
      await h.idle();
      // The target moves on: the next job fetches it once the source is prepared.
      await h.sim.commitFiles(repo, { branch: 'v1.2', files: { 'NOTES.md': 'notes\n' }, message: 'notes' });
    }
    const number = await openPull(h.sim, repo, {
      branch: 'fix-two',
      commits: [{ 'src/calc.c': lines(30, { 1: 'line 1 fixed', 20: 'line 20 fixed' }) }],
      labels: ['backport-to: v1.2'],
    });
    await h.idle();

    // The status write is held until the pick's commit is in the cache (written, as loose
    // objects, once it is made): a job that waited for the write before picking never gets
    // there, and the hold times out.
    const objectsDir = join(h.cacheDir, 'acme', `${repo.split('/')[1]}.git`, 'objects');
    const order: string[] = [];
    const restore = beforeSimRequest(h.sim, async (method, url) => {
      if (method !== 'POST' || url.pathname !== `/repos/${repo}/issues/${number}/comments`) return;
      order.push('held');
      const before = looseObjects(objectsDir);
      for (let waited = 0; ; waited += 20) {
        if ([...looseObjects(objectsDir)].some((o) => !before.has(o))) {
          order.push('picked');
          break;
        }
        if (waited >= HOLD_LIMIT_MS) {
          order.push('timed out');
          break;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      order.push('released');
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
    expect(order).toEqual(['held', 'picked', 'released']);
    expect(atPush).toEqual([['v1.2 in-progress']]);
    expect(statusComments(h.sim, repo, number)).toHaveLength(1);
    expect(statusRow(h.sim, repo, number, 'v1.2').state).toBe('opened');
    const [pull] = backportPulls(h.sim, repo, 'v1.2').filter((p) => p.pull!.headRef.includes(`${number}-`));
    const tip = (await h.sim.resolve(repo, `refs/heads/${pull!.pull!.headRef}`))!;
    const calc = await gitShow(h.sim.repoPath(repo), `${tip}:src/calc.c`);
    expect(calc).toContain('line 10 on v1.2');
    expect(calc).toContain('line 20 fixed');
    expect(h.sim.violations).toEqual([]);
  });
});

/** The loose objects under `objects` (what the app writes itself: fetches come as packs). */
function looseObjects(objects: string): Set<string> {
  const found = new Set<string>();
  let dirs: string[];
  try {
    dirs = readdirSync(objects).filter((d) => /^[0-9a-f]{2}$/.test(d));
  } catch {
    return found;
  }
  for (const d of dirs) for (const f of readdirSync(join(objects, d))) found.add(d + f);
  return found;
}
