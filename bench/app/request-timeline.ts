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
  /** Requests by operationId: count and total milliseconds. */
  byOperation: Record<string, { count: number; ms: number }>;
  /** The longest stretches with no request in flight, with what came before and after. */
  longestGaps: { ms: number; after: string; before: string }[];
}

export function breakdown(stamps: readonly Stamp[], t0: number, t1: number): Breakdown {
  const ms: Record<RequestKind, number> = { rest: 0, fetch: 0, push: 0 };
  const calls: Record<RequestKind, number> = { rest: 0, fetch: 0, push: 0 };
  const byOperation: Breakdown['byOperation'] = {};
  for (const s of stamps) {
    const kind = kindOf(s.entry);
    ms[kind] += s.entry.ms;
    calls[kind]++;
    const op = (byOperation[s.entry.operationId ?? `${s.entry.method} ${s.entry.path}`] ??= {
      count: 0,
      ms: 0,
    });
    op.count++;
    op.ms += s.entry.ms;
  }
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
  return { ms, calls, betweenMs: idle, byOperation, longestGaps: gaps.slice(0, 4) };
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
