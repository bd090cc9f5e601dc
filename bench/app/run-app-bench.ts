/**
 * `npm run bench -- app [--variants full,wide,short,mono] [--latency MS] [--cold-rounds N]
 *   [--warm-rounds N] [--fresh-picks N] [--sim-git spawner|fork] [--out FILE] [--profile] [--verbose]`
 *   1. make (once) or reuse the generated repository and its variants: `wide` (the tree twice
 *      as large), `short` (100 commits of history), `mono` (a monorepo, 200k files);
 *   2. per variant: start the simulated GitHub, copy the repository in (untimed);
 *   3. empty cache: start a fresh app process with an empty cache (untimed), label a merged
 *      PR, time webhook → backport PR → idle; warm: the same for further PRs in that process;
 *   4. measure what git itself fetches for the same two fetches;
 *   5. first pick in a fresh process: the CLI on the generated repository, a process per pick,
 *      each followed by a bare `node -e 0` (see time-fresh-picks.ts);
 *   6. print the targets, write app-results.json (or `--out`).
 * The app runs in its own process (bench-app-process.ts), built from lib/, so that the
 * simulator's work is not counted as the app's and its peak RSS is its own.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startGitHubSim } from '../../tools/github-sim/index.js';
import { benchCacheDir } from '../bench-paths.js';
import { ensureBenchRepo } from '../engine/ensure-bench-repo.js';
import { summarize } from '../engine/summarize.js';
import { ensureBuilt } from '../engine/time-ours-cold.js';
import { git } from '../run-command.js';
import { appTargets } from './app-targets.js';
import type { AppResults, BackportTiming, FreshPicks, VariantResult } from './app-results.js';
import { BenchApp } from './bench-app.js';
import { chooseFixFiles, mergeFixQuietly } from './bench-pull.js';
import { gitReferenceFetch } from './git-reference-fetch.js';
import { ensureMonorepo } from './monorepo-repo.js';
import { printAppTable } from './print-app-table.js';
import { stampRequests } from './request-timeline.js';
import { ensureShortHistoryRepo } from './short-history-repo.js';
import { timeBackport } from './time-backport.js';
import { timeFreshPicks } from './time-fresh-picks.js';
import { ensureWideTreeRepo } from './wide-tree-repo.js';

const VARIANTS = ['full', 'wide', 'short', 'mono'] as const;
type VariantName = (typeof VARIANTS)[number];

export async function runAppBench(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      variants: { type: 'string', default: VARIANTS.join(',') },
      latency: { type: 'string', default: '20' },
      'cold-rounds': { type: 'string', default: '3' },
      'warm-rounds': { type: 'string', default: '5' },
      'fresh-picks': { type: 'string', default: '5' },
      'sim-git': { type: 'string', default: 'spawner' },
      out: { type: 'string' },
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
  const names = values.variants.split(',').map((v) => v.trim());
  for (const n of names) {
    if (!(VARIANTS as readonly string[]).includes(n))
      throw new Error(`unknown variant "${n}" (known: ${VARIANTS.join(', ')})`);
  }
  const simGit = values['sim-git'];
  if (simGit !== 'spawner' && simGit !== 'fork')
    throw new Error(`--sim-git is "spawner" or "fork", not "${simGit}"`);
  // The simulator stands in for GitHub, whose git runs on other machines. Forked from this
  // process (a few hundred MB: the simulator, the OpenAPI validator, TypeScript), each of a
  // backport's ~15 git processes held the simulator's event loop for 10–30 ms on a machine
  // whose process creation is slow, delaying its answers to the app's other requests; the
  // small spawner process the test suites use (tools/github-sim/git-process.ts) starts the
  // same git, with the same arguments, input and output, without that. `fork` keeps the old
  // way, for comparison with earlier figures.
  process.env.GITHUB_SIM_GIT_SPAWNER = simGit === 'spawner' ? '1' : '0';
  const options = {
    simGit: simGit as 'spawner' | 'fork',
    latencyMs: whole('latency', values.latency, 0),
    coldRounds: whole('cold-rounds', values['cold-rounds'], 0),
    warmRounds: whole('warm-rounds', values['warm-rounds'], 0),
    freshPicks: whole('fresh-picks', values['fresh-picks'], 0),
    profile: values.profile,
    variants: names,
  };
  // A warm round runs in the app the last empty-cache round started.
  if (options.warmRounds > 0 && options.coldRounds === 0)
    throw new Error('--warm-rounds needs --cold-rounds ≥ 1 (the warm rounds reuse its app and cache)');
  // Both at 0 (`--cold-rounds 0 --warm-rounds 0 --fresh-picks N`): only the CLI's first picks.
  const runsApp = options.coldRounds + options.warmRounds > 0;

  const build = await ensureBuilt();
  if (!build.ok) throw new Error(`the app is not built: ${build.note}`);
  const full = await ensureBenchRepo();
  const make: Record<VariantName, () => Promise<{ dir: string; stats: VariantResult['repo'] }>> = {
    full: async () => full,
    wide: async () => ensureWideTreeRepo(full.dir),
    short: async () => ensureShortHistoryRepo(full.dir),
    mono: async () => ensureMonorepo(full.dir),
  };
  const profileDir = options.profile ? join(benchCacheDir, 'profiles') : undefined;
  if (profileDir) {
    rmSync(profileDir, { recursive: true, force: true });
    mkdirSync(profileDir, { recursive: true });
  }
  const variants: VariantResult[] = [];
  for (const name of runsApp ? (names as VariantName[]) : []) {
    const v = await make[name]();
    const label = `${name}: ${v.stats.files.toLocaleString('en')} files, ${v.stats.mainCommits.toLocaleString('en')} commits`;
    console.log(`${label}: copying the repository into the simulator, then timing the backports…`);
    variants.push(await runVariant({ name, dir: v.dir, stats: v.stats, label }, options, profileDir));
  }

  let fresh: FreshPicks | undefined;
  if (options.freshPicks > 0) {
    console.log(`first pick in a fresh process: ${options.freshPicks} picks, a CLI process each…`);
    fresh = await timeFreshPicks(full.dir, options.freshPicks);
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
    fresh,
    targets: appTargets(variants, fresh, options.latencyMs),
  };
  printAppTable(results, values.verbose);
  // `--out` lets two people (or worktrees) share one cache without overwriting each other's figures.
  const out = values.out ?? join(benchCacheDir, 'app-results.json');
  writeFileSync(out, JSON.stringify(results, null, 2));
  console.log(`\nfigures written to ${out}`);
  const failed = variants.flatMap((v) => [...v.cold, ...v.warm]).some((t) => !t.opened);
  return failed ? 1 : 0;
}

async function runVariant(
  v: { name: string; label: string; dir: string; stats: VariantResult['repo'] },
  options: { latencyMs: number; coldRounds: number; warmRounds: number },
  profileDir: string | undefined,
): Promise<VariantResult> {
  const files = chooseFixFiles(v.dir, options.coldRounds + options.warmRounds);
  const sim = await startGitHubSim();
  const work = mkdtempSync(join(tmpdir(), 'bpa-bench-app-'));
  const cacheDir = join(work, 'cache');
  let app: BenchApp | undefined;
  try {
    // Compiled now, not on the app's first requests: the simulator's own start-up is not the app's time.
    sim.validator.precompile();
    const stamps = stampRequests(sim);
    const repo = `bench/${v.name}`;
    const started = performance.now();
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
      peakRssBytes: [],
      memory: [],
    };
    const usage = async () => {
      const u = await app!.usage();
      result.peakRssBytes.push(u.peakRssBytes);
      result.memory!.push(u.memory);
    };
    let fix = 0;
    const once = async (kind: 'cold' | 'warm', round: number) => {
      const pull = await mergeFixQuietly(sim, repo, files[fix]!, fix + 1);
      fix++;
      const t = await timeBackport(app!, sim, stamps, repo, pull, {
        variant: v.name,
        kind,
        round,
        latencyMs: options.latencyMs,
        profileDir,
      });
      const pr = t.toPrMs === undefined ? 'no PR' : `PR after ${(t.toPrMs / 1000).toFixed(2)} s`;
      console.log(
        `  ${kind} #${round}: ${pr}, idle after ${(t.toIdleMs / 1000).toFixed(2)} s, ` +
          `app CPU ${(t.appCpuMs / 1000).toFixed(2)} s (${(t.appCpuToIdleMs / 1000).toFixed(2)} s to idle), ` +
          `${(t.fetchedBytes / 1e6).toFixed(2)} MB fetched, load ${t.load1.toFixed(1)}`,
      );
      return t;
    };
    // Empty cache: a new instance (a restarted container, an ephemeral runner) whose first
    // job is this backport. Each round has a process and a cache of its own.
    for (let r = 1; r <= options.coldRounds; r++) {
      await app?.stop();
      rmSync(cacheDir, { recursive: true, force: true });
      mkdirSync(cacheDir, { recursive: true });
      app = await BenchApp.start(sim, {
        cacheDir,
        jobsDb: join(work, `jobs-${r}.sqlite`),
        logFile: join(work, `app-${r}.log`),
      });
      result.cold.push(await once('cold', r));
      if (r < options.coldRounds) await usage();
    }
    for (let r = 1; r <= options.warmRounds; r++) result.warm.push(await once('warm', r));
    await usage();
    result.cacheBytes = diskUsage(cacheDir);
    result.gitReference = await gitReferenceFetch(sim, repo, v.stats.treeBytes);
    return result;
  } finally {
    await app?.stop();
    await sim.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

function diskUsage(dir: string): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) bytes += statSize(join(entry.parentPath, entry.name));
  }
  return bytes;
}

function statSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
