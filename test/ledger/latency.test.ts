import { describe, expect, it } from '@jest/globals';
import { deriveLedger } from '../../src/ledger/ledger-reducer.js';
import { formatDuration, latencyPoints, latencyStats, oldestOpen } from '../../src/ledger/latency.js';
import type { Fact } from '../../src/ledger/ledger-facts.js';
import { at, backportPr, conflictIssue, sourcePr } from './fact-builders.js';

const H = 3_600_000;
const NOW = new Date(at(100 * 24)); // day 100 after the origin

/** A source merged at `merged` hours and its backport to `target` merged `latency` hours later. */
function mergedPair(n: number, target: string, merged: number, latency: number): Fact[] {
  return [
    sourcePr({ number: n, mergedAt: at(merged), labels: [`backport-to: ${target}`] }),
    backportPr({
      number: 1000 + n,
      source: n,
      target,
      createdAt: at(merged + 0.5),
      mergedAt: at(merged + latency),
    }),
  ];
}

describe('latency', () => {
  // v1: latencies 1, 2, 3, 4, 10, 20, 30, 40, 50, 60, 70 hours (11 values), all in the window,
  // plus one 200-hour backport that merged on day 8: outside the 90-day window.
  const v1 = [1, 2, 3, 4, 10, 20, 30, 40, 50, 60, 70].flatMap((l, i) =>
    mergedPair(i + 1, 'v1', (20 + i) * 24, l),
  );
  // v2: latencies 5, 7, 9, 11 hours (even count).
  const v2 = [11, 5, 9, 7].flatMap((l, i) => mergedPair(50 + i, 'v2', (30 + i) * 24, l));
  const old = mergedPair(90, 'v1', 0, 200);
  const items = deriveLedger([...v1, ...v2, ...old]);

  it('gives median and p90 over the last 90 days (odd count)', () => {
    // Sorted: 1 2 3 4 10 [20] 30 40 50 60 70 → median 20; p90 rank ceil(9.9) = 10 → 60.
    expect(latencyStats(items, 'v1', NOW)).toEqual({ count: 11, medianMs: 20 * H, p90Ms: 60 * H });
  });

  it('gives median and p90 over the last 90 days (even count)', () => {
    // Sorted: 5 7 9 11 → median (7 + 9) / 2 = 8; p90 rank ceil(3.6) = 4 → 11.
    expect(latencyStats(items, 'v2', NOW)).toEqual({ count: 4, medianMs: 8 * H, p90Ms: 11 * H });
  });

  it('counts the old backport once the window reaches back to it', () => {
    // 12 values with 200 added: median (20 + 30) / 2 = 25; p90 rank ceil(10.8) = 11 → 70.
    expect(latencyStats(items, 'v1', NOW, 100)).toEqual({ count: 12, medianMs: 25 * H, p90Ms: 70 * H });
  });

  it('has no numbers for a branch without merged backports', () => {
    expect(latencyStats(items, 'v3', NOW)).toEqual({ count: 0, medianMs: null, p90Ms: null });
  });

  it('lists chart points oldest first', () => {
    const points = latencyPoints(items, 'v2', NOW, 90);
    expect(points.map((p) => [p.source, p.latencyMs / H])).toEqual([
      [50, 11],
      [51, 5],
      [52, 9],
      [53, 7],
    ]);
  });

  it('finds the oldest open item across states', () => {
    const open = deriveLedger([
      sourcePr({ number: 1, mergedAt: at(50), labels: ['backport-to: v1'] }),
      sourcePr({ number: 2, labels: ['backport-to: v1'] }),
      conflictIssue({ number: 3, source: 4, target: 'v1', createdAt: at(40) }),
      backportPr({ number: 5, source: 6, target: 'v1', createdAt: at(45) }),
      ...mergedPair(7, 'v1', 1, 1),
    ]);
    expect(oldestOpen(open).map((i) => [i.source, i.state])).toEqual([
      [4, 'conflict'],
      [6, 'pr-open'],
      [1, 'requested'],
    ]);
  });

  it('formats durations', () => {
    expect([45 * 60_000, 5 * H, 50 * H, 72 * H].map(formatDuration)).toEqual(['45m', '5h', '2d 2h', '3d']);
  });
});
