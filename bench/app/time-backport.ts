/**
 * One timed backport: the maintainer labels a merged PR `backport-to: release`, the signed
 * webhook goes to the app, and the clock runs until the backport PR exists and until the app
 * is idle. Latency is injected only here, so setting the world up costs nothing extra.
 */
import { join } from 'node:path';
import type { Harness } from '../../test/e2e/app-harness.js';
import type { BackportTiming } from './app-results.js';
import { BENCH_TARGET } from './bench-pull.js';
import { CpuProfiler } from './cpu-profiler.js';
import { breakdown, type Stamp } from './request-timeline.js';

export interface TimeOptions {
  variant: string;
  kind: 'cold' | 'warm';
  round: number;
  latencyMs: number;
  /** A folder for a CPU profile of the timed part, when profiling. */
  profileDir?: string | undefined;
}

export async function timeBackport(
  h: Harness,
  stamps: Stamp[],
  repo: string,
  pull: number,
  o: TimeOptions,
): Promise<BackportTiming> {
  const { sim } = h;
  const before = { ...sim.stats };
  const first = stamps.length;
  const logsBefore = h.logs.length;
  const profiler = o.profileDir ? new CpuProfiler() : undefined;
  await profiler?.start();
  sim.setLatency(o.latencyMs);
  const t0 = performance.now();
  await sim.addLabel(repo, pull, `backport-to: ${BENCH_TARGET}`, 'maint');
  const answered = performance.now();
  await h.idle();
  const t1 = performance.now();
  sim.setLatency(0);
  let profile: string | undefined;
  if (profiler && o.profileDir) {
    profile = join(o.profileDir, `app-${o.variant}-${o.kind}-${o.round}.cpuprofile`);
    await profiler.stop(profile);
  }

  const mine = stamps.slice(first);
  const created = mine.find((s) => s.entry.operationId === 'pulls/create' && s.entry.status === 201);
  const branch = `backport/${pull}-to-${BENCH_TARGET}`;
  const opened = sim
    .pulls(repo)
    .some((p) => p.user === sim.botLogin && p.pull?.headRef === branch && p.pull.baseRef === BENCH_TARGET);
  const problems = h.logs
    .slice(logsBefore)
    .map((l) => JSON.parse(l) as { level?: string; msg?: string; code?: string; err?: { message?: string } })
    .filter((l) => l.level === 'warn' || l.level === 'error');
  return {
    variant: o.variant,
    kind: o.kind,
    round: o.round,
    pull,
    opened,
    toAnswerMs: answered - t0,
    toPrMs: created ? created.end - t0 : undefined,
    toIdleMs: t1 - t0,
    fetchedBytes: sim.stats.gitUploadBytes - before.gitUploadBytes,
    pushedBytes: sim.stats.gitReceiveBytes - before.gitReceiveBytes,
    restCalls: sim.stats.restCalls - before.restCalls,
    gitRequests: sim.stats.gitRequests - before.gitRequests,
    fetches: mine
      .filter((s) => s.entry.operationId === 'git/upload-pack')
      .map((s) => ({ bytes: s.uploadBytes, ms: s.entry.ms })),
    breakdown: breakdown(mine, t0, t1),
    requests: mine.map((s) => ({
      at: Math.round(s.start - t0),
      ms: s.entry.ms,
      op: s.entry.operationId ?? s.entry.path,
      status: s.entry.status,
      bytes: s.uploadBytes || s.receiveBytes,
    })),
    profile,
    error: opened
      ? undefined
      : problems.map((p) => `${p.msg ?? ''}${p.err?.message ? `: ${p.err.message}` : ''}`).join('; ') ||
        'no backport PR was opened',
  };
}
