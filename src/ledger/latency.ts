/**
 * How long fixes take to reach a branch: from the source PR's merge to the backport PR's
 * merge. Median is the usual one (mean of the two middle values for an even count); p90 is
 * nearest-rank (the smallest value with at least 90% of values at or below it), so it is
 * always a latency that really happened.
 */
import type { LedgerItem } from './ledger-item.js';
import { isOpenItem } from './ledger-item.js';

export const DAY_MS = 86_400_000;

export interface LatencyStats {
  /** Merged backports in the window whose latency is known. */
  count: number;
  medianMs: number | null;
  p90Ms: number | null;
}

export interface LatencyPoint {
  source: number;
  /** When the backport merged. */
  at: string;
  latencyMs: number;
}

/** Latency points of merged backports to `target` within the window, oldest first. */
export function latencyPoints(
  items: readonly LedgerItem[],
  target: string,
  now: Date,
  windowDays: number,
): LatencyPoint[] {
  const from = now.getTime() - windowDays * DAY_MS;
  return items
    .flatMap((i) => {
      const at = i.backportPr?.mergedAt;
      if (i.target !== target || i.state !== 'merged' || i.latencyMs === null || !at) return [];
      const t = Date.parse(at);
      return t > from && t <= now.getTime() ? [{ source: i.source, at, latencyMs: i.latencyMs }] : [];
    })
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.source - b.source);
}

/** Median and p90 latency of backports to `target` merged in the last `windowDays` days. */
export function latencyStats(
  items: readonly LedgerItem[],
  target: string,
  now: Date,
  windowDays = 90,
): LatencyStats {
  const values = latencyPoints(items, target, now, windowDays)
    .map((p) => p.latencyMs)
    .sort((a, b) => a - b);
  const n = values.length;
  if (n === 0) return { count: 0, medianMs: null, p90Ms: null };
  return { count: n, medianMs: medianOf(values), p90Ms: values[Math.ceil(0.9 * n) - 1]! };
}

/** The median of values sorted ascending (mean of the middle two for an even count). */
export function medianOf(sorted: readonly number[]): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Open items (see isOpenItem) oldest first; items of unknown age last, by source. */
export function oldestOpen(items: readonly LedgerItem[]): LedgerItem[] {
  const age = (i: LedgerItem) => (i.since ? Date.parse(i.since) : Infinity);
  return items.filter(isOpenItem).sort((a, b) => age(a) - age(b) || a.source - b.source);
}

/** A duration as people say it: `45m`, `5h`, `3d 4h`. */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.round(ms / 3_600_000);
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return rest ? `${days}d ${rest}h` : `${days}d`;
}
