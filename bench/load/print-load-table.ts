/** The load benchmark's table: one column per instance count, and how throughput grew. */
import { cpus } from 'node:os';
import type { LoadOptions } from './run-load-bench.js';

export interface LoadRun {
  instances: number;
  complete: number;
  unfinished: string[];
  duplicates: string[];
  /** First merge's webhook → every backport PR and its status row in place. */
  wallMs: number;
  /** First merge → last merge (its webhook answered by every instance). */
  burstMs: number;
  /** Per merged PR: its webhook sent → its backport PR stored by the simulator. */
  toPrMs: number[];
  /** Bytes, per instance (VmHWM just before the instance is stopped). */
  peakRss: (number | undefined)[];
  /** CPU seconds each instance used during the run. */
  cpuSeconds: (number | undefined)[];
  /** CPU seconds of this process (the simulator) and its git children during the run. */
  simCpuSeconds: number;
  peakConnections: number;
  violations: number;
  /** The machine's load average (1, 5, 15 min) at the end of the run. */
  loadavg: number[];
  /** The 1-minute load average's lowest and highest value during the run (sampled each second). */
  load1: [number, number];
}

/** Nearest rank, as summarize() does. */
function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

const seconds = (ms: number | undefined) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(2)} s`);
const throughput = (r: LoadRun) => r.complete / (r.wallMs / 1000);

export function printLoadTable(runs: readonly LoadRun[], o: LoadOptions): void {
  console.log(
    `\n${o.prs} merged, labelled PRs in ${o.repos} repositories, ${o.latencyMs} ms latency per request, ` +
      `${o.concurrency} jobs at a time per instance, PostgreSQL shared, every webhook to every instance, ` +
      `${cpus().length} CPUs\n`,
  );
  const rows: [string, (r: LoadRun) => string][] = [
    ['backports complete', (r) => `${r.complete}/${o.prs}`],
    ['unfinished', (r) => String(r.unfinished.length)],
    ['duplicated', (r) => String(r.duplicates.length)],
    ['merging the burst', (r) => seconds(r.burstMs)],
    ['wall time, all', (r) => seconds(r.wallMs)],
    ['throughput', (r) => `${throughput(r).toFixed(2)} backports/s`],
    ['webhook → PR timed', (r) => String(r.toPrMs.length)],
    ['webhook → PR p50', (r) => seconds(percentile(r.toPrMs, 0.5))],
    ['webhook → PR p95', (r) => seconds(percentile(r.toPrMs, 0.95))],
    ['webhook → PR max', (r) => seconds(percentile(r.toPrMs, 1))],
    [
      'peak RSS per instance',
      (r) => r.peakRss.map((b) => (b === undefined ? '?' : `${Math.round(b / 2 ** 20)} MB`)).join(' / '),
    ],
    [
      'CPU per instance',
      (r) => r.cpuSeconds.map((c) => (c === undefined ? '?' : `${c.toFixed(0)} s`)).join(' / '),
    ],
    ['CPU of the simulator', (r) => `${r.simCpuSeconds.toFixed(0)} s`],
    ['peak DB connections', (r) => String(r.peakConnections)],
    ['OpenAPI violations', (r) => String(r.violations)],
    ['load (1 min) during run', (r) => `${r.load1[0].toFixed(2)}–${r.load1[1].toFixed(2)}`],
    ['load average at end', (r) => r.loadavg.map((l) => l.toFixed(2)).join(' ')],
  ];
  const head = ['', ...runs.map((r) => `${r.instances} instance${r.instances === 1 ? '' : 's'}`)];
  const body = rows.map(([label, cell]) => [label, ...runs.map(cell)]);
  const widths = head.map((_, i) => Math.max(...[head, ...body].map((row) => row[i]!.length)));
  for (const row of [head, ...body])
    console.log(
      row
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );

  const base = runs.find((r) => r.instances === 1) ?? runs[0];
  if (base && runs.length > 1) {
    const growth = runs
      .filter((r) => r !== base)
      .map((r) => `${r.instances} instances: ×${(throughput(r) / throughput(base)).toFixed(2)}`);
    console.log(
      `\nthroughput against ${base.instances} instance${base.instances === 1 ? '' : 's'}: ${growth.join(', ')}`,
    );
  }
  for (const r of runs) {
    for (const d of r.duplicates.slice(0, 5)) console.log(`DUPLICATE (${r.instances}): ${d}`);
    for (const u of r.unfinished.slice(0, 5)) console.log(`UNFINISHED (${r.instances}): ${u}`);
  }
}
