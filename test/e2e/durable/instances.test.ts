// Several instances and downtime: two app processes sharing one PostgreSQL with every webhook
// delivered to both, and an app that was down while PRs were merged (GitHub drops those
// deliveries; reconciliation at the next start finds them).
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type { GitHubSim } from '../../../tools/github-sim/index.js';
import { freePort } from './app-child.js';
import { buildWorld, DurableRig, outcome, TARGETS, waitFor, type PlannedPull } from './durable-world.js';

// The bound commands.test.ts gives each of its tests: app starts and up to 90 s of work waited
// for (`done`) overran the e2e project's 120 s on a loaded machine, where the work was slow,
// not stuck.
jest.setTimeout(240_000);

describe('the app on several instances and after downtime', () => {
  let rig: DurableRig | undefined;

  afterEach(async () => {
    await rig?.cleanUp();
    rig = undefined;
  });

  const child = async (name: string) => rig!.child(name, await freePort());

  const merge = (sim: GitHubSim, p: PlannedPull) =>
    sim.mergePull({ repo: p.repo, number: p.number, method: 'squash', mergedBy: 'maint' });
  const done = (sim: GitHubSim, pulls: PlannedPull[]) =>
    waitFor(
      () => outcome(sim, pulls).problems.length === 0,
      90_000,
      () => outcome(sim, pulls).problems.join('; '),
    );

  it('makes exactly one PR per (PR, target) with two instances sharing PostgreSQL and every webhook', async () => {
    rig = await DurableRig.start('bpa-two-', { postgres: true });
    const { sim } = rig;
    const pulls = await buildWorld(sim, 3, 3);
    const [a, b] = [await child('a'), await child('b')];
    await rig.fanOut([a, b]);
    await Promise.all([a.start(), b.start()]);

    for (const p of pulls) await merge(sim, p);
    await done(sim, pulls);
    const result = outcome(sim, pulls);
    expect(result.duplicates).toEqual([]);
    expect(result.complete).toBe(pulls.length * TARGETS.length);
    expect(sim.violations).toEqual([]);
  });

  it('finds the merges GitHub could not deliver while the app was down (SQLite)', async () => {
    rig = await DurableRig.start('bpa-down-');
    const { sim } = rig;
    const pulls = await buildWorld(sim, 1, 3);
    const app = await child('solo');
    sim.webhookUrl = app.url;
    await app.start();
    await merge(sim, pulls[0]!);
    await done(sim, pulls.slice(0, 1));

    // A graceful stop (SIGTERM) exits 0; the next merges find nobody listening.
    expect(await app.terminate()).toBe(0);
    for (const p of pulls.slice(1)) await merge(sim, p);
    const lost = sim.webhooks.deliveries.filter((d) => d.event === 'pull_request' && d.action === 'closed');
    expect(lost.map((d) => d.status)).toEqual([200, null, null]);

    await app.start();
    await done(sim, pulls);
    const result = outcome(sim, pulls);
    expect(result.duplicates).toEqual([]);
    expect(result.complete).toBe(pulls.length * TARGETS.length);
  });
});
