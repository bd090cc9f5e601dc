// The app killed with SIGKILL at random points while it backports, and started again each
// time, on the embedded SQLite file and on PostgreSQL: every backport completes, with exactly
// one PR per (PR, target), one status comment per PR, and no row left "in progress".
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitHubSim, type GitHubSim } from '../../../tools/github-sim/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.js';
import { AppChild, freePort } from './app-child.js';
import { buildWorld, outcome, seeded, TARGETS, waitFor } from './durable-world.js';

const REPOS = 3;
const PER_REPO = 5;

describe.each(['sqlite', 'postgres'])('the app killed mid-work (%s)', (engine) => {
  let sim: GitHubSim | undefined;
  let child: AppChild | undefined;
  let db: TestDatabase | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    await child?.kill();
    child?.close();
    await sim?.stop();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    [sim, db, dir] = [undefined, undefined, undefined];
    child = undefined;
  });

  it('finishes every backport exactly once across kill -9 and restarts', async () => {
    sim = await startGitHubSim();
    dir = mkdtempSync(join(tmpdir(), 'bpa-crash-'));
    db = engine === 'postgres' ? await createTestDatabase() : undefined;
    const pulls = await buildWorld(sim, REPOS, PER_REPO);
    const logFile = join(dir, 'app.log');
    child = new AppChild(sim, {
      cacheDir: join(dir, 'cache'),
      databaseUrl: db?.url,
      port: await freePort(),
      logFile,
      env: { BPA_LEASE_MS: '1500', BPA_RECONCILE_MS: '2000' },
    });
    sim.webhookUrl = child.url;
    await child.start();

    // The schedule is seeded: the same merges are followed by a kill, after the same waits.
    const random = seeded(engine === 'sqlite' ? 10 : 20);
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
      () => outcome(sim!, pulls).problems.length === 0,
      150_000,
      () => `${outcome(sim!, pulls).problems.join('; ')}\n${readFileSync(logFile, 'utf8').slice(-3000)}`,
    );
    const result = outcome(sim, pulls);
    expect(result.duplicates).toEqual([]);
    expect(result.complete).toBe(pulls.length * TARGETS.length);
    expect(kills).toBe(5);
    expect(sim.violations).toEqual([]);
  }, 300_000);
});
