// Several instances and downtime: two app processes sharing one PostgreSQL with every webhook
// delivered to both, and an app that was down while PRs were merged (GitHub drops those
// deliveries; reconciliation at the next start finds them).
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitHubSim, type GitHubSim } from '../../../tools/github-sim/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.js';
import { AppChild, freePort } from './app-child.js';
import { buildWorld, outcome, TARGETS, waitFor, type PlannedPull } from './durable-world.js';
import { startFanOut } from './fan-out.js';

describe('the app on several instances and after downtime', () => {
  let sim: GitHubSim | undefined;
  let children: AppChild[] = [];
  let db: TestDatabase | undefined;
  let dir: string | undefined;
  let closeFanOut: (() => Promise<void>) | undefined;

  afterEach(async () => {
    for (const child of children) {
      await child.kill();
      child.close();
    }
    children = [];
    await closeFanOut?.();
    await sim?.stop();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    [sim, db, dir] = [undefined, undefined, undefined];
    closeFanOut = undefined;
  });

  async function child(name: string, env: Record<string, string> = {}): Promise<AppChild> {
    const app = new AppChild(sim!, {
      cacheDir: join(dir!, name, 'cache'),
      databaseUrl: db?.url,
      port: await freePort(),
      logFile: join(dir!, `${name}.log`),
      env,
    });
    children.push(app);
    return app;
  }

  const merge = (p: PlannedPull) =>
    sim!.mergePull({ repo: p.repo, number: p.number, method: 'squash', mergedBy: 'maint' });
  const done = (pulls: PlannedPull[]) =>
    waitFor(
      () => outcome(sim!, pulls).problems.length === 0,
      90_000,
      () => outcome(sim!, pulls).problems.join('; '),
    );

  it('makes exactly one PR per (PR, target) with two instances sharing PostgreSQL and every webhook', async () => {
    sim = await startGitHubSim();
    dir = mkdtempSync(join(tmpdir(), 'bpa-two-'));
    db = await createTestDatabase();
    const pulls = await buildWorld(sim, 3, 3);
    const [a, b] = [await child('a'), await child('b')];
    const fan = await startFanOut(() => [a.url, b.url]);
    closeFanOut = fan.close;
    sim.webhookUrl = fan.url;
    await Promise.all([a.start(), b.start()]);

    for (const p of pulls) await merge(p);
    await done(pulls);
    const result = outcome(sim, pulls);
    expect(result.duplicates).toEqual([]);
    expect(result.complete).toBe(pulls.length * TARGETS.length);
    expect(sim.violations).toEqual([]);
  });

  it('finds the merges GitHub could not deliver while the app was down (SQLite)', async () => {
    sim = await startGitHubSim();
    dir = mkdtempSync(join(tmpdir(), 'bpa-down-'));
    const pulls = await buildWorld(sim, 1, 3);
    const app = await child('solo');
    sim.webhookUrl = app.url;
    await app.start();
    await merge(pulls[0]!);
    await done(pulls.slice(0, 1));

    // A graceful stop (SIGTERM) exits 0; the next merges find nobody listening.
    expect(await app.terminate()).toBe(0);
    for (const p of pulls.slice(1)) await merge(p);
    const lost = sim.webhooks.deliveries.filter((d) => d.event === 'pull_request' && d.action === 'closed');
    expect(lost.map((d) => d.status)).toEqual([200, null, null]);

    await app.start();
    await done(pulls);
    const result = outcome(sim, pulls);
    expect(result.duplicates).toEqual([]);
    expect(result.complete).toBe(pulls.length * TARGETS.length);
  });
});
