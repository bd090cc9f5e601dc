// The app killed (kill -9) after it pushed a backport branch on a target that moved meanwhile,
// before it made the pick again on the new tip: the job's next try, in the restarted app,
// must end with exactly one backport PR, on the new tip, over the branch the first try left.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { parseStatusComment } from '../../../src/render/status-comment.js';
import { freePort } from './app-child.js';
import { DurableRig, waitFor } from './durable-world.js';
import {
  backportPulls,
  beforeSimRequest,
  commitsOnTop,
  conflictIssues,
  fix,
  lines,
  makeRepo,
  openPull,
  statusComments,
  statusRow,
} from '../world.js';

describe('the app killed between a push on a moved target and the pick made again', () => {
  let rig: DurableRig | undefined;

  afterEach(async () => {
    await rig?.cleanUp();
    rig = undefined;
  });

  it('the next try opens exactly one PR, on the new tip, over the branch left behind', async () => {
    rig = await DurableRig.start('bpa-moved-');
    const { sim } = rig;
    const repo = await makeRepo(sim, 'moved-crash', {
      files: { 'src/calc.c': lines(20), NEWS: 'news\n' },
      branches: { v1: null },
    });
    const number = await openPull(sim, repo, fix(['backport-to: v1']));
    const child = rig.child('app', await freePort(), { BPA_LEASE_MS: '1500' });
    sim.webhookUrl = child.url;
    await child.start();

    const oldTip = (await sim.resolve(repo, 'refs/heads/v1'))!;
    const branch = `backport/${number}-to-v1`;
    const tracking = join(
      rig.dir,
      'app',
      'cache',
      'acme',
      `${repo.split('/')[1]}.git`,
      'refs/remotes/origin/v1',
    );
    const from = sim.requestLog.length;
    const pushRefsAnswered = () =>
      sim.requestLog
        .slice(from)
        .some((e) => e.path.startsWith(`/${repo}.git/`) && e.path.includes('service=git-receive-pack'));
    const pushedOnce = () => sim.pushLog.some((p) => p.repo === repo && p.ref === `refs/heads/${branch}`);
    // 1. v1 moves once the app fetched it and its push's discovery was answered (showing the
    //    old tip): the branch goes out on the old tip, and the look beside the push sees v1
    //    elsewhere. 2. The first upload-pack request after that push is the pick made again
    //    (its fresh ref discovery): the app is killed before it is answered.
    let moved: string | undefined;
    let killed: Promise<void> | undefined;
    let pullsAtKill: unknown[] | undefined;
    const restore = beforeSimRequest(sim, async (method, url) => {
      if (!url.pathname.startsWith(`/${repo}.git/`)) return;
      if (!moved && existsSync(tracking) && pushRefsAnswered()) {
        moved = await sim.commitFiles(repo, {
          branch: 'v1',
          files: { NEWS: 'news, meanwhile\n' },
          message: 'meanwhile',
        });
      } else if (
        moved &&
        !killed &&
        pushedOnce() &&
        method === 'POST' &&
        url.pathname.endsWith('/git-upload-pack')
      ) {
        pullsAtKill = backportPulls(sim, repo);
        killed = child.kill();
      }
    });
    try {
      await sim.mergePull({ repo, number, method: 'squash', mergedBy: 'maint' });
      await waitFor(
        () => killed !== undefined,
        60_000,
        () => `no kill: moved ${moved}, pushed ${pushedOnce()}\n${rig!.logOf('app')()}`,
      );
      await killed;
      await child.start();
      // Polled: the status comment may not be there yet (statusRow expects it).
      const row = () => {
        const [comment] = statusComments(sim, repo, number);
        return comment ? parseStatusComment(comment.body).find((r) => r.target === 'v1') : undefined;
      };
      await waitFor(
        () => row()?.state === 'opened',
        90_000,
        () => `not done: ${JSON.stringify(row())}\n${rig!.logOf('app')()}`,
      );
    } finally {
      restore();
    }
    // Killed after the push on the old tip, before any PR.
    expect(pullsAtKill).toEqual([]);
    const first = sim.pushLog.find((p) => p.repo === repo)!;
    expect((await commitsOnTop(sim, repo, oldTip, first.new)).parents).toEqual([oldTip]);
    // Then one PR, on the new tip, whose branch went over exactly what the first try left.
    const pulls = backportPulls(sim, repo);
    expect(pulls).toHaveLength(1);
    const tip = (await sim.resolve(repo, `refs/heads/${branch}`))!;
    expect((await commitsOnTop(sim, repo, moved!, tip)).parents).toEqual([moved]);
    const pushes = sim.pushLog.filter((p) => p.repo === repo);
    expect(pushes.map((p) => [p.ref, p.accepted])).toEqual([
      [`refs/heads/${branch}`, true],
      [`refs/heads/${branch}`, true],
    ]);
    expect(pushes[1]).toMatchObject({ old: first.new, new: tip });
    expect(statusRow(sim, repo, number, 'v1')).toMatchObject({
      state: 'opened',
      link: { number: pulls[0]!.number },
    });
    expect(conflictIssues(sim, repo)).toEqual([]);
    expect(statusComments(sim, repo, number)).toHaveLength(1);
    expect(child.starts).toBe(2);
    expect(sim.violations).toEqual([]);
  }, 240_000);
});
