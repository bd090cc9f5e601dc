/**
 * `npm run bench -- app [--latency MS] [--cold-rounds N] [--warm-rounds N] [--profile] [--verbose]`
 *   1. make (once) or reuse the generated repository, and its short-history variant;
 *   2. per variant: start the simulated GitHub and the app, copy the repository in (untimed);
 *   3. cold: empty the app's cache, label a merged PR, time webhook → backport PR → idle;
 *      warm: the same for further PRs, the cache kept;
 *   4. measure what git itself fetches for the same two fetches, print, write app-results.json.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startHarness, type Harness } from '../../test/e2e/app-harness.js';
import { benchCacheDir } from '../bench-paths.js';
import { ensureBenchRepo } from '../engine/ensure-bench-repo.js';
import type { Target } from '../engine/engine-results.js';
import { summarize } from '../engine/summarize.js';
import { git } from '../run-command.js';
import type { AppResults, BackportTiming, VariantResult } from './app-results.js';
import { chooseFixFiles, mergeFixQuietly, type FixFile } from './bench-pull.js';
import { gitReferenceFetch } from './git-reference-fetch.js';
import { printAppTable } from './print-app-table.js';
import { stampRequests } from './request-timeline.js';
import { ensureShortHistoryRepo } from './short-history-repo.js';
import { timeBackport } from './time-backport.js';

const TARGET_MS = 2000;
/** Cold fetches of the two variants may differ by packing details, not by history. */
const SAME_BYTES_TOLERANCE = 0.05;

export async function runAppBench(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      latency: { type: 'string', default: '20' },
      'cold-rounds': { type: 'string', default: '1' },
      'warm-rounds': { type: 'string', default: '3' },
      profile: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
    },
  });
  const whole = (name: string, text: string, min: number) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`--${name} needs a whole number ≥ ${min}, not "${text}"`);
    return n;
  };
  const options = {
    latencyMs: whole('latency', values.latency, 0),
    coldRounds: whole('cold-rounds', values['cold-rounds'], 1),
    warmRounds: whole('warm-rounds', values['warm-rounds'], 1),
    profile: values.profile,
  };

  const full = await ensureBenchRepo();
  const short = ensureShortHistoryRepo(full.dir);
  const files = chooseFixFiles(full.dir, options.coldRounds + options.warmRounds);
  const profileDir = options.profile ? join(benchCacheDir, 'profiles') : undefined;
  if (profileDir) {
    rmSync(profileDir, { recursive: true, force: true });
    mkdirSync(profileDir, { recursive: true });
  }
  const variants: VariantResult[] = [];
  for (const v of [
    { name: 'full', dir: full.dir, stats: full.stats },
    { name: 'short', dir: short.dir, stats: short.stats },
  ]) {
    const label = `${v.stats.mainCommits.toLocaleString('en')} commits`;
    console.log(`${label}: copying the repository into the simulator, then timing the backports…`);
    variants.push(await runVariant({ ...v, label }, files, options, profileDir));
  }

  const summary: AppResults['summary'] = {};
  for (const v of variants) {
    const ok = (ts: BackportTiming[]) => ts.filter((t) => t.opened);
    summary[v.name] = {
      coldToPr: summarize(ok(v.cold).flatMap((t) => (t.toPrMs === undefined ? [] : [t.toPrMs]))),
      coldToIdle: summarize(ok(v.cold).map((t) => t.toIdleMs)),
      warmToPr: summarize(ok(v.warm).flatMap((t) => (t.toPrMs === undefined ? [] : [t.toPrMs]))),
      warmToIdle: summarize(ok(v.warm).map((t) => t.toIdleMs)),
    };
  }
  const results: AppResults = {
    createdAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      loadavg: loadavg(),
      node: process.version,
      git: git(benchCacheDir, '--version'),
    },
    options,
    variants,
    summary,
    targets: targets(variants, summary, options.latencyMs),
  };
  printAppTable(results, values.verbose);
  const out = join(benchCacheDir, 'app-results.json');
  writeFileSync(out, JSON.stringify(results, null, 2));
  console.log(`\nfigures written to ${out}`);
  const failed = variants.flatMap((v) => [...v.cold, ...v.warm]).some((t) => !t.opened);
  return failed ? 1 : 0;
}

async function runVariant(
  v: { name: string; label: string; dir: string; stats: VariantResult['repo'] },
  files: FixFile[],
  options: { latencyMs: number; coldRounds: number; warmRounds: number },
  profileDir: string | undefined,
): Promise<VariantResult> {
  const h = await startHarness();
  try {
    const { sim } = h;
    const stamps = stampRequests(sim);
    const repo = `bench/${v.name}`;
    let started = performance.now();
    await sim.createRepo({ owner: 'bench', name: v.name, from: v.dir });
    const copySeconds = (performance.now() - started) / 1000;
    sim.addCollaborator(repo, 'maint', 'maintain');
    // The fixes' author may review their backports, as on a real team (no 422 on reviewers).
    sim.addCollaborator(repo, 'alice', 'write');
    const result: VariantResult = {
      name: v.name,
      label: v.label,
      repo: v.stats,
      copySeconds,
      cold: [],
      warm: [],
    };
    let fix = 0;
    const once = async (kind: 'cold' | 'warm', round: number) => {
      const pull = await mergeFixQuietly(sim, repo, files[fix]!, fix + 1);
      fix++;
      started = performance.now();
      const t = await timeBackport(h, stamps, repo, pull, {
        variant: v.name,
        kind,
        round,
        latencyMs: options.latencyMs,
        profileDir,
      });
      const pr = t.toPrMs === undefined ? 'no PR' : `PR after ${(t.toPrMs / 1000).toFixed(2)} s`;
      console.log(`  ${kind} #${round}: ${pr}, idle after ${(t.toIdleMs / 1000).toFixed(2)} s`);
      return t;
    };
    for (let r = 1; r <= options.coldRounds; r++) {
      emptyCache(h);
      result.cold.push(await once('cold', r));
    }
    for (let r = 1; r <= options.warmRounds; r++) result.warm.push(await once('warm', r));
    result.gitReference = await gitReferenceFetch(sim, repo);
    return result;
  } finally {
    await h.stop();
  }
}

/** Cold means the app has nothing of the repository: its cache folder is emptied. */
function emptyCache(h: Harness): void {
  for (const entry of readdirSync(h.cacheDir))
    rmSync(join(h.cacheDir, entry), { recursive: true, force: true });
}

function targets(variants: VariantResult[], summary: AppResults['summary'], latencyMs: number): Target[] {
  const [full, short] = variants;
  const s = full ? summary[full.name] : undefined;
  const within = (x: { median: number } | undefined, kind: string): Target => ({
    label: `webhook → backport PR under ${TARGET_MS / 1000} s with ${latencyMs} ms latency, ${kind} (${full?.label})`,
    met: x ? x.median < TARGET_MS : undefined,
    value: x ? `median ${(x.median / 1000).toFixed(2)} s` : undefined,
  });
  const coldBytes = (v: VariantResult | undefined) => {
    const b = v?.cold.map((t) => t.fetchedBytes) ?? [];
    return b.length > 0 ? Math.min(...b) : undefined;
  };
  const a = coldBytes(short);
  const b = coldBytes(full);
  return [
    within(s?.warmToPr, 'warm'),
    within(s?.coldToPr, 'cold'),
    {
      label: `bytes fetched do not grow with history (cold, ${short?.label} vs ${full?.label}, within ${SAME_BYTES_TOLERANCE * 100}%)`,
      met: a !== undefined && b !== undefined ? b <= a * (1 + SAME_BYTES_TOLERANCE) : undefined,
      value:
        a !== undefined && b !== undefined
          ? `${(a / 1e6).toFixed(1)} MB vs ${(b / 1e6).toFixed(1)} MB`
          : undefined,
    },
  ];
}
