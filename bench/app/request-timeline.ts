/**
 * When each request to the simulator ended, and what the git ones moved. The simulator logs a
 * request when it has answered; stamping that moment (and the byte counters) gives a timeline
 * of one backport: REST calls, fetches and pushes, and the gaps between them, which are the
 * app's own work (reading packs, picking, building the push).
 */
import type { GitHubSim, RequestLogEntry } from '../../tools/github-sim/index.js';

export interface Stamp {
  entry: RequestLogEntry;
  /** performance.now() when the simulator logged the answer. */
  end: number;
  start: number;
  /** Bytes sent for a fetch / received for a push by this request. */
  uploadBytes: number;
  receiveBytes: number;
}

export type RequestKind = 'rest' | 'fetch' | 'push';

export function kindOf(entry: RequestLogEntry): RequestKind {
  if (entry.operationId === 'git/receive-pack' || entry.path.includes('service=git-receive-pack'))
    return 'push';
  if (entry.operationId?.startsWith('git/')) return 'fetch';
  return 'rest';
}

/** Wraps `sim.requestLog.push` (the only place the simulator records requests) to stamp each one. */
export function stampRequests(sim: GitHubSim): Stamp[] {
  const stamps: Stamp[] = [];
  const log = sim.requestLog as RequestLogEntry[];
  const push = log.push.bind(log);
  let upload = sim.stats.gitUploadBytes;
  let receive = sim.stats.gitReceiveBytes;
  log.push = (...entries: RequestLogEntry[]) => {
    const end = performance.now();
    for (const entry of entries) {
      stamps.push({
        entry,
        end,
        start: end - entry.ms,
        uploadBytes: sim.stats.gitUploadBytes - upload,
        receiveBytes: sim.stats.gitReceiveBytes - receive,
      });
      upload = sim.stats.gitUploadBytes;
      receive = sim.stats.gitReceiveBytes;
    }
    return push(...entries);
  };
  return stamps;
}

export interface Breakdown {
  /** Milliseconds spent waiting on the simulator, by kind (latency included), and call counts. */
  ms: Record<RequestKind, number>;
  calls: Record<RequestKind, number>;
  /** The rest of the wall time: the app's own work between requests. */
  betweenMs: number;
  /**
   * Requests by operationId: count and total milliseconds, and of those the latency the
   * simulator injected (as slept) and its git processes (count, wall time). The rest of a
   * request's time is the simulator's own code and the trip through the loopback.
   */
  byOperation: Record<
    string,
    { count: number; ms: number; latencyMs: number; gitProcesses: number; gitMs: number }
  >;
  /** The same over every request. */
  simulator: { latencyMs: number; gitProcesses: number; gitMs: number };
  /**
   * The longest chain of requests each made after the one before had answered, up to the
   * backport PR (`toPr`) and in all: round trips the job waited for one after another,
   * whatever the machine's load, and the milliseconds of that chain.
   */
  chain: { toPr?: { requests: number; ms: number }; all: { requests: number; ms: number } };
  /** The longest stretches with no request in flight, with what came before and after. */
  longestGaps: { ms: number; after: string; before: string }[];
}

export function breakdown(stamps: readonly Stamp[], t0: number, t1: number): Breakdown {
  const ms: Record<RequestKind, number> = { rest: 0, fetch: 0, push: 0 };
  const calls: Record<RequestKind, number> = { rest: 0, fetch: 0, push: 0 };
  const byOperation: Breakdown['byOperation'] = {};
  const simulator = { latencyMs: 0, gitProcesses: 0, gitMs: 0 };
  for (const s of stamps) {
    const kind = kindOf(s.entry);
    ms[kind] += s.entry.ms;
    calls[kind]++;
    const op = (byOperation[s.entry.operationId ?? `${s.entry.method} ${s.entry.path}`] ??= {
      count: 0,
      ms: 0,
      latencyMs: 0,
      gitProcesses: 0,
      gitMs: 0,
    });
    op.count++;
    op.ms += s.entry.ms;
    for (const sum of [op, simulator]) {
      sum.latencyMs += s.entry.latencyMs ?? 0;
      sum.gitProcesses += s.entry.gitProcesses ?? 0;
      sum.gitMs += s.entry.gitMs ?? 0;
    }
  }
  const pr = stamps.find((s) => s.entry.operationId === 'pulls/create' && s.entry.status === 201);
  const sorted = [...stamps].sort((a, b) => a.start - b.start);
  const gaps: Breakdown['longestGaps'] = [];
  let busyUntil = t0;
  let last = 'the webhook';
  let idle = 0;
  for (const s of sorted) {
    if (s.start > busyUntil) {
      idle += s.start - busyUntil;
      gaps.push({ ms: s.start - busyUntil, after: last, before: describe(s) });
    }
    if (s.end > busyUntil) {
      busyUntil = s.end;
      last = describe(s);
    }
  }
  if (t1 > busyUntil) {
    idle += t1 - busyUntil;
    gaps.push({ ms: t1 - busyUntil, after: last, before: 'the end' });
  }
  gaps.sort((a, b) => b.ms - a.ms);
  return {
    ms,
    calls,
    betweenMs: idle,
    byOperation,
    simulator,
    chain: {
      ...(pr ? { toPr: longestChain(stamps.filter((s) => s.end <= pr.end)) } : {}),
      all: longestChain(stamps),
    },
    longestGaps: gaps.slice(0, 4),
  };
}

/** The longest chain of requests each started after the previous one ended (by count, then ms). */
export function longestChain(stamps: readonly Stamp[]): { requests: number; ms: number } {
  const sorted = [...stamps].sort((a, b) => a.end - b.end);
  const best: { requests: number; ms: number }[] = [];
  let top = { requests: 0, ms: 0 };
  sorted.forEach((s, i) => {
    let before = { requests: 0, ms: 0 };
    for (let j = 0; j < i; j++) {
      // Stamps are rounded to the millisecond: a request made right after an answer may
      // seem to start a little before it.
      if (sorted[j]!.end > s.start + 1) continue;
      const b = best[j]!;
      if (b.requests > before.requests || (b.requests === before.requests && b.ms > before.ms)) before = b;
    }
    best.push({ requests: before.requests + 1, ms: before.ms + s.entry.ms });
    const mine = best[i]!;
    if (mine.requests > top.requests || (mine.requests === top.requests && mine.ms > top.ms)) top = mine;
  });
  return top;
}

export function describe(s: Stamp): string {
  const bytes = s.uploadBytes || s.receiveBytes;
  return `${s.entry.operationId ?? s.entry.path}${bytes > 0 ? ` (${formatBytes(bytes)})` : ''}`;
}

export function formatBytes(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} KB`;
  return `${n} B`;
}
