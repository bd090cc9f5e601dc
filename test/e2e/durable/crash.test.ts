// The app killed with SIGKILL at random points while it backports, and started again each
// time, on the embedded SQLite file and on PostgreSQL: every backport completes, with exactly
// one PR per (PR, target), one status comment per PR, and no row left "in progress".
import { afterEach, describe, expect, it } from '@jest/globals';
import { freePort } from './app-child.js';
import { Random } from '../../support/random.js';
import { buildWorld, DurableRig, outcome, TARGETS, waitFor } from './durable-world.js';

const REPOS = 3;
const PER_REPO = 5;

describe.each(['sqlite', 'postgres'])('the app killed mid-work (%s)', (engine) => {
  let rig: DurableRig | undefined;

  afterEach(async () => {
    await rig?.cleanUp();
    rig = undefined;
  });

  it('finishes every backport exactly once across kill -9 and restarts', async () => {
    rig = await DurableRig.start('bpa-crash-', { postgres: engine === 'postgres' });
    const { sim } = rig;
    const pulls = await buildWorld(sim, REPOS, PER_REPO);
    const child = rig.child('app', await freePort(), { BPA_LEASE_MS: '1500', BPA_RECONCILE_MS: '2000' });
    sim.webhookUrl = child.url;
    await child.start();

    // The schedule is seeded: the same merges are followed by a kill, after the same waits.
    const random = new Random(engine === 'sqlite' ? 10 : 20).next;
    let kills = 0;
    for (const [i, pull] of pulls.entries()) {
      await sim.mergePull({ repo: pull.repo, number: pull.number, method: 'squash', mergedBy: 'maint' });
      // After every third merge, a kill at a random moment of the work that follows.
      if (i % 3 === 2) {
        await new Promise((r) => setTimeout(r, random() * 1500));
        await child.kill();
        kills++;
        await child.start();
      }
    }
    await waitFor(
      () => outcome(sim, pulls).problems.length === 0,
      150_000,
      () => `${outcome(sim, pulls).problems.join('; ')}\n${rig!.logOf('app')()}`,
    );
    const result = outcome(sim, pulls);
    expect(result.duplicates).toEqual([]);
    expect(result.complete).toBe(pulls.length * TARGETS.length);
    expect(kills).toBe(5);
    expect(sim.violations).toEqual([]);
  }, 300_000);
});
