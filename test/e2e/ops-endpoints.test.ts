import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './app-harness.js';
import { backportPulls, fix, lines, makeRepo, mergedPull } from './world.js';

/** The value of one sample line of the Prometheus text, or undefined. */
function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe('the running app serves /healthz and /metrics', () => {
  let h: Harness;
  let base: string;
  beforeAll(async () => {
    h = await startHarness();
    base = new URL(h.sim.webhookUrl!).origin;
  });
  afterAll(() => h.stop());

  it('counts what a backport did', async () => {
    const before = await (await fetch(`${base}/metrics`)).text();
    const repo = await makeRepo(h.sim, 'metrics', {
      files: { 'src/calc.c': lines(20) },
      branches: { 'v1.2': null },
    });
    await mergedPull(h.sim, repo, fix(['backport-to: v1.2']));
    await h.idle();
    expect(backportPulls(h.sim, repo, 'v1.2')).toHaveLength(1);
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    const after = await res.text();
    const grew = (name: string) => (sample(after, name) ?? 0) - (sample(before, name) ?? 0);
    expect(grew('backport_git_fetched_bytes_total')).toBeGreaterThan(0);
    expect(grew('backport_jobs_completed_total')).toBeGreaterThanOrEqual(1);
    expect(grew('backport_pick_duration_seconds_count')).toBe(1);
    expect(grew('backport_github_calls_total{status="201"}')).toBeGreaterThanOrEqual(2);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
