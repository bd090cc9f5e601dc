/**
 * `npm run bench -- load [--prs N] [--repos M] [--latency MS] [--instances 1,2] [--concurrency C]`
 * For each instance count: a fresh simulated GitHub with `repos` repositories and `prs` open,
 * labelled PRs (untimed), a fresh PostgreSQL database, that many app processes with every
 * webhook delivered to each, then the burst: every PR merged, and the clock runs until every
 * backport PR exists with its status row. Prints throughput, webhook → PR percentiles, peak
 * RSS per instance and peak database connections; exits 1 on any duplicate or unfinished one.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AppChild, freePort } from '../../test/e2e/durable/app-child.js';
import { startFanOut } from '../../test/e2e/durable/fan-out.js';
import { createTestDatabase, POSTGRES_ADMIN_URL } from '../../test/support/postgres.js';
import { startGitHubSim } from '../../tools/github-sim/index.js';
import { benchCacheDir } from '../bench-paths.js';
import { buildLoadWorld, loadOutcome, mergeBurst } from './load-world.js';
import { cpuSeconds, peakRss, sampleConnections, stampLoad } from './load-probes.js';
import { printLoadTable, type LoadRun } from './print-load-table.js';

export interface LoadOptions {
  prs: number;
  repos: number;
  latencyMs: number;
  concurrency: number;
  timeoutMs: number;
}

export async function runLoadBench(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      prs: { type: 'string', default: '500' },
      repos: { type: 'string', default: '50' },
      latency: { type: 'string', default: '20' },
      instances: { type: 'string', default: '1,2' },
      concurrency: { type: 'string', default: '4' },
      timeout: { type: 'string', default: '1800' },
    },
  });
  const whole = (name: string, text: string, min: number) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`--${name} needs a whole number ≥ ${min}, not "${text}"`);
    return n;
  };
  const options: LoadOptions = {
    prs: whole('prs', values.prs, 1),
    repos: whole('repos', values.repos, 1),
    latencyMs: whole('latency', values.latency, 0),
    concurrency: whole('concurrency', values.concurrency, 1),
    timeoutMs: whole('timeout', values.timeout, 1) * 1000,
  };
  if (options.repos > options.prs)
    throw new Error(`--repos (${options.repos}) cannot exceed --prs (${options.prs})`);
  const counts = values.instances.split(',').map((c) => whole('instances', c.trim(), 1));

  const runs: LoadRun[] = [];
  for (const instances of counts) {
    console.log(
      `${instances} instance(s): building ${options.prs} PRs in ${options.repos} repositories, then the burst…`,
    );
    const run = await loadRun(instances, options);
    console.log(
      `  ${run.complete}/${options.prs} complete in ${(run.wallMs / 1000).toFixed(1)} s, load ${run.loadavg.map((l) => l.toFixed(2)).join(' ')}`,
    );
    runs.push(run);
  }
  printLoadTable(runs, options);
  mkdirSync(benchCacheDir, { recursive: true });
  const out = join(benchCacheDir, 'load-results.json');
  writeFileSync(
    out,
    JSON.stringify(
      {
        createdAt: new Date().toISOString(),
        machine: { cpus: cpus().length, node: process.version },
        options,
        runs,
      },
      null,
      2,
    ),
  );
  console.log(`\nfigures written to ${out}`);
  return runs.some((r) => r.duplicates.length > 0 || r.unfinished.length > 0) ? 1 : 0;
}

async function loadRun(instances: number, options: LoadOptions): Promise<LoadRun> {
  const sim = await startGitHubSim();
  const dir = mkdtempSync(join(tmpdir(), 'bpa-load-'));
  const db = await createTestDatabase('ba_load');
  const children: AppChild[] = [];
  let fan: Awaited<ReturnType<typeof startFanOut>> | undefined;
  let sampler: Awaited<ReturnType<typeof sampleConnections>> | undefined;
  let clean = false;
  try {
    const pulls = await buildLoadWorld(sim, options.prs, options.repos);
    for (let i = 0; i < instances; i++) {
      children.push(
        new AppChild(sim, {
          cacheDir: join(dir, `app-${i}`, 'cache'),
          databaseUrl: db.url,
          port: await freePort(),
          logFile: join(dir, `app-${i}.log`),
          // The production lease: a loaded machine must not make a running job look abandoned.
          env: { BPA_CONCURRENCY: String(options.concurrency), BPA_LEASE_MS: '60000' },
        }),
      );
    }
    fan = await startFanOut(() => children.map((c) => c.url));
    sim.webhookUrl = fan.url;
    await Promise.all(children.map((c) => c.start()));
    sampler = await sampleConnections(POSTGRES_ADMIN_URL, db.url);
    const stamps = stampLoad(sim);
    sim.setLatency(options.latencyMs);

    const load: number[] = [];
    const loadTimer = setInterval(() => load.push(loadavg()[0]!), 1000);
    const cpuBefore = children.map((c) => cpuSeconds(c.pid) ?? 0);
    const simCpuBefore = cpuSeconds('self', true) ?? 0;
    const t0 = performance.now();
    await mergeBurst(sim, pulls);
    const burstMs = performance.now() - t0;
    const end = t0 + options.timeoutMs;
    let result = loadOutcome(sim, pulls);
    while (result.unfinished.length > 0 && result.duplicates.length === 0 && performance.now() < end) {
      await new Promise((r) => setTimeout(r, 250));
      result = loadOutcome(sim, pulls);
    }
    const wallMs = performance.now() - t0;
    clearInterval(loadTimer);
    // The instances are not reaped yet: what this process's children used is git's.
    const simCpu = (cpuSeconds('self', true) ?? 0) - simCpuBefore;
    const toPr = [...stamps.opened].flatMap(([key, at]) => {
      const sent = stamps.delivered.get(key);
      return sent === undefined ? [] : [at - sent];
    });
    clean = result.unfinished.length === 0 && result.duplicates.length === 0;
    return {
      instances,
      complete: result.complete,
      unfinished: result.unfinished,
      duplicates: result.duplicates,
      wallMs,
      burstMs,
      toPrMs: toPr,
      peakRss: children.map((c) => peakRss(c.pid)),
      cpuSeconds: children.map((c, i) => {
        const now = cpuSeconds(c.pid);
        return now === undefined ? undefined : now - cpuBefore[i]!;
      }),
      simCpuSeconds: simCpu,
      peakConnections: sampler.peak(),
      violations: sim.violations.length,
      loadavg: loadavg(),
      load1: load.length > 0 ? [Math.min(...load), Math.max(...load)] : [loadavg()[0]!, loadavg()[0]!],
    };
  } finally {
    await sampler?.stop();
    for (const c of children) {
      await c.kill();
      c.close();
    }
    await fan?.close();
    sim.setLatency(0);
    await sim.stop();
    await db.drop();
    // The instances' logs stay for a run that went wrong.
    if (clean) rmSync(dir, { recursive: true, force: true });
    else console.log(`  the instances' logs are in ${dir}`);
  }
}
