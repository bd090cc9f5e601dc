/**
 * The targets of issue 9 that the app benchmark measures, each with every sample's range and
 * the machine's load while it ran: a figure from a loaded, shared machine means little without.
 */
import type { Target } from '../engine/engine-results.js';
import type { BackportTiming, FreshPickRuns, FreshPicks, VariantResult } from './app-results.js';
import { formatBytes } from './request-timeline.js';

const EMPTY_CACHE_MS = 1500;
const WARM_MS = 500;
const FETCHED_BYTES = 5e6;
const FRESH_PICK_MS = 200;
const PEAK_RSS_BYTES = 140e6;
/**
 * Bytes fetched on a larger tree (or a longer history) may exceed the original's by this
 * much and still count as flat: the fixed file differs per variant, and so does its size.
 */
const FLAT = 1.25;

const seconds = (ms: number) => (ms / 1000).toFixed(2);

/** "median M (min–max, n runs, load L1–L2)" for a list of samples. */
function range(xs: number[], loads: number[], show: (x: number) => string): string {
  const sorted = [...xs].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  const load =
    loads.length > 0 ? `, load ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}` : '';
  return `median ${show(median)} (${show(sorted[0]!)}–${show(sorted[sorted.length - 1]!)}, n=${xs.length}${load})`;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

export function appTargets(
  variants: VariantResult[],
  fresh: FreshPicks | undefined,
  latencyMs: number,
): Target[] {
  const by = (name: string) => variants.find((v) => v.name === name);
  const full = by('full');
  const ok = (ts: BackportTiming[] | undefined) => (ts ?? []).filter((t) => t.opened);
  const toPr = (ts: BackportTiming[]) => ts.flatMap((t) => (t.toPrMs === undefined ? [] : [t.toPrMs]));
  const loads = (ts: BackportTiming[]) => ts.map((t) => t.load1);
  const timed = (
    v: VariantResult | undefined,
    kind: 'cold' | 'warm',
    limit: number,
    what: string,
  ): Target => {
    const runs = ok(v?.[kind]);
    const ms = toPr(runs);
    return {
      label: `webhook → PR, ${what} < ${seconds(limit)} s (${v?.label ?? 'not run'}, ${latencyMs} ms latency)`,
      met: ms.length > 0 ? median(ms)! < limit : undefined,
      value:
        ms.length > 0
          ? `${range(ms, loads(runs), (x) => `${seconds(x)} s`)}; app CPU ${range(
              runs.map((t) => t.appCpuMs),
              [],
              (x) => `${seconds(x)} s`,
            )}`
          : undefined,
    };
  };
  const bytes = (v: VariantResult | undefined) => ok(v?.cold).map((t) => t.fetchedBytes);
  const fullBytes = bytes(full);
  const flat = (name: string, grows: string): Target | undefined => {
    const v = by(name);
    if (!v) return undefined;
    const b = bytes(v);
    const ratio = b.length > 0 && fullBytes.length > 0 ? median(b)! / median(fullBytes)! : undefined;
    const treeRatio = full ? v.repo.treeBytes / full.repo.treeBytes : undefined;
    return {
      label: `bytes fetched, empty cache, do not grow with ${grows} (${v.label} vs full, at most ${FLAT}×)`,
      met: ratio === undefined ? undefined : ratio <= FLAT,
      value:
        ratio === undefined
          ? undefined
          : `${formatBytes(median(b)!)} vs ${formatBytes(median(fullBytes)!)}: ${ratio.toFixed(2)}× the bytes for ${treeRatio?.toFixed(2)}× the tree`,
    };
  };
  const rss = variants.flatMap((v) => v.peakRssBytes.map((b) => ({ v: v.name, b })));
  const mono = by('mono');
  const targets: (Target | undefined)[] = [
    timed(full, 'cold', EMPTY_CACHE_MS, 'empty cache'),
    {
      label: `bytes fetched, empty cache < ${formatBytes(FETCHED_BYTES)} (${full?.label ?? 'not run'})`,
      met: fullBytes.length > 0 ? median(fullBytes)! < FETCHED_BYTES : undefined,
      value: fullBytes.length > 0 ? range(fullBytes, [], formatBytes) : undefined,
    },
    flat('wide', 'the tree'),
    flat('short', 'history'),
    timed(full, 'warm', WARM_MS, 'warm'),
    ...freshTargets(fresh),
    {
      // Every app process of every variant: a larger tree must not take the app past it either.
      label: `the app's peak RSS ≤ ${formatBytes(PEAK_RSS_BYTES)} (every app process, every variant run)`,
      met: rss.length > 0 ? Math.max(...rss.map((r) => r.b)) <= PEAK_RSS_BYTES : undefined,
      value:
        rss.length > 0
          ? rss.map((r) => `${r.v} ${formatBytes(r.b)}`).join(', ') +
            (fresh && fresh.peakRssKb.length > 0
              ? `; CLI pick ${formatBytes(Math.max(...fresh.peakRssKb) * 1024)}`
              : '')
          : undefined,
    },
    mono ? timed(mono, 'cold', EMPTY_CACHE_MS, 'empty cache, monorepo') : undefined,
    flat('mono', 'a monorepo'),
  ];
  return targets.filter((t): t is Target => t !== undefined);
}

/**
 * The first pick in a fresh process, judged on the whole figure, nothing subtracted; node's
 * own start in the same environment is said beside it. With NODE_EXTRA_CA_CERTS set, a row
 * for this environment and one with it unset, which node parses at every start before any of
 * the CLI's code runs.
 */
function freshTargets(fresh: FreshPicks | undefined): Target[] {
  if (!fresh) return [];
  const label = (setting: string) =>
    `first pick in a fresh process < ${FRESH_PICK_MS} ms, ${setting} (CLI pick --dry-run, the generated 100 MB repository)`;
  const row = (setting: string, runs: FreshPickRuns | undefined): Target => ({
    label: label(setting),
    met: runs && runs.ms.length > 0 ? median(runs.ms)! < FRESH_PICK_MS : undefined,
    value:
      fresh.error ??
      (runs && runs.ms.length > 0
        ? `${range(runs.ms, runs.loadavg.slice(0, 1), (x) => `${x.toFixed(0)} ms`)}; node -e 0 alone ` +
          `median ${median(runs.nodeMs)?.toFixed(0) ?? 'n/a'} ms`
        : undefined),
  });
  if (!fresh.extraCaCerts) return [row('NODE_EXTRA_CA_CERTS not set', fresh)];
  return [
    row('NODE_EXTRA_CA_CERTS as given', fresh),
    row('NODE_EXTRA_CA_CERTS unset', fresh.withoutExtraCaCerts),
  ];
}
