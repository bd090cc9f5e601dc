/**
 * One timed backport: the maintainer labels a merged PR `backport-to: release`, the signed
 * webhook goes to the app, and the clock runs until the backport PR exists and until the app
 * is idle. Latency is injected only here, so setting the world up costs nothing extra.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { GitHubSim } from '../../tools/github-sim/index.js';
import type { UploadRequestSummary } from '../../tools/github-sim/upload-request.js';
import type { BackportTiming } from './app-results.js';
import type { BenchApp } from './bench-app.js';
import { BENCH_TARGET } from './bench-pull.js';
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
  app: BenchApp,
  sim: GitHubSim,
  stamps: Stamp[],
  repo: string,
  pull: number,
  o: TimeOptions,
): Promise<BackportTiming> {
  const before = { ...sim.stats };
  const first = stamps.length;
  const logBefore = app.log().length;
  if (o.profileDir) await app.startProfile();
  sim.setLatency(o.latencyMs);
  const load1 = loadavg()[0]!;
  const cpuBefore = (await app.usage()).cpuMs;
  const t0 = performance.now();
  await sim.addLabel(repo, pull, `backport-to: ${BENCH_TARGET}`, 'maint');
  const answered = performance.now();
  // The app's CPU time up to the PR: asked as soon as the simulator stored it. Waiting on the
  // app's own idle() meanwhile would not do: it queries the job table every 20 ms, work that
  // would count as the app's and compete with the backport for its event loop.
  const created = (): boolean =>
    stamps.slice(first).some((s) => s.entry.operationId === 'pulls/create' && s.entry.status === 201);
  let appCpuMs: number | undefined;
  for (let waited = 0; ; waited += 10) {
    if (created()) {
      appCpuMs = (await app.usage()).cpuMs - cpuBefore;
      break;
    }
    // No PR yet: every second, whether the app is still at work (a failed backport opens none).
    if (waited % 1000 === 0 && waited > 0 && !(await app.busy())) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  await app.idle();
  const t1 = performance.now();
  const appCpuToIdleMs = (await app.usage()).cpuMs - cpuBefore;
  appCpuMs ??= appCpuToIdleMs;
  sim.setLatency(0);
  let profile: string | undefined;
  if (o.profileDir) {
    profile = join(o.profileDir, `app-${o.variant}-${o.kind}-${o.round}.cpuprofile`);
    await app.stopProfile(profile);
  }

  const mine = stamps.slice(first);
  const pr = mine.find((s) => s.entry.operationId === 'pulls/create' && s.entry.status === 201);
  const branch = `backport/${pull}-to-${BENCH_TARGET}`;
  const opened = sim
    .pulls(repo)
    .some((p) => p.user === sim.botLogin && p.pull?.headRef === branch && p.pull.baseRef === BENCH_TARGET);
  const problems = app
    .log()
    .slice(logBefore)
    .split('\n')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as { level?: number; msg?: string; err?: { message?: string } }];
      } catch {
        return [];
      }
    })
    // pino's levels: 40 warn, 50 error.
    .filter((l) => (l.level ?? 0) >= 40);
  return {
    variant: o.variant,
    kind: o.kind,
    round: o.round,
    pull,
    opened,
    toAnswerMs: answered - t0,
    toPrMs: pr ? pr.end - t0 : undefined,
    toIdleMs: t1 - t0,
    appCpuMs,
    appCpuToIdleMs,
    load1,
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
      ...(s.entry.upload ? { upload: describeUpload(s.entry.upload) } : {}),
    })),
    profile,
    error: opened
      ? undefined
      : problems.map((p) => `${p.msg ?? ''}${p.err?.message ? `: ${p.err.message}` : ''}`).join('; ') ||
        'no backport PR was opened',
  };
}

/** What an upload-pack POST asked for, in one phrase: `ls-refs`, `fetch blob:none deepen 2, 1 want`. */
function describeUpload(u: UploadRequestSummary): string {
  if (u.command === 'ls-refs') return 'ls-refs';
  const parts = [u.command, u.filter ?? 'whole'];
  if (u.deepen !== undefined) parts.push(`deepen ${u.deepen}`);
  return `${parts.join(' ')}, ${u.wants} want${u.wants === 1 ? '' : 's'}`;
}
