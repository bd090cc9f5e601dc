/**
 * The engine's time per pick on real backports (release-branch commits with cherry-pick
 * trailers, as `npm run eval` finds them), next to git's own merge on the same cases in the
 * same run:
 *   1. build the cases, and three synthetic commits per case for git (the upstream commit's
 *      parent tree as base, the target and the commit as its children), so git's merge base
 *      is the commit's parent, as in a cherry-pick;
 *   2. per case, our pick (one process for all) and then the same merge in one
 *      `git merge-tree --write-tree --stdin` process: interleaved, both meet the same load;
 *   3. optionally `git merge-tree` spawned per pick (what other bots pay), on a spread subset.
 * Wall time and, on Linux, CPU time are kept: on a shared machine the wall times also count
 * waiting for a CPU. Ours is the process's CPU time (getrusage: every thread, so the garbage
 * collector's and the compiler's helpers count against us); git's is its one thread's, read
 * from /proc while it waits for the next line (a thread's own running time there lags by up
 * to a scheduler tick, too coarse for a pick of a millisecond). Merge commits are left out.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cherryPick } from '../../src/pick/cherry-pick.js';
import { openRepository } from '../../src/repo/open-repository.js';
import { buildTriples, spread, type Triple } from '../eval/build-triples.js';
import { NativeGit } from '../eval/git-verdict.js';
import { MergeTreeStream } from './merge-tree-stream.js';

export interface RealHistoryOptions {
  repo: string;
  limit?: number;
  /** Where to write each verdict, one JSON line per case, to compare runs with `cmp`. */
  out?: string;
  /** A file of `<upstream> <target>` lines: only those cases. */
  cases?: string;
  /** How many cases (spread) to also time with git spawned per pick; 0 for none. */
  spawned: number;
}

export interface Timings {
  ms: number[];
  cpuMs: number[] | undefined;
}

export interface RealHistoryRun {
  gitdir: string;
  triples: Triple[];
  /** Ours and git's in-process merge, per case, in case order. */
  ours: Timings;
  git: Timings;
  spawnedMs: number[];
  loadBefore: number[];
  loadAfter: number[];
}

const committer = { name: 'bench', email: 'bench@example.com', timestamp: 1700000000, timezoneOffset: 0 };

export async function runRealHistory(options: RealHistoryOptions): Promise<RealHistoryRun> {
  const repo = await openRepository(options.repo);
  const listing = buildTriples(repo.gitdir, { branches: [] });
  let triples = spread(
    listing.triples.filter((t) => t.mainline === undefined),
    options.limit,
  );
  if (options.cases) {
    const wanted = new Set(readFileSync(options.cases, 'utf8').split('\n').filter(Boolean));
    triples = triples.filter((t) => wanted.has(`${t.upstream} ${t.target}`));
  }
  const scratch = mkdtempSync(join(tmpdir(), 'real-picks-'));
  try {
    const native = new NativeGit(repo.gitdir, scratch);
    const merges = triples.map((t) => {
      const base = native.out('commit-tree', native.out('rev-parse', `${t.upstream}^^{tree}`), '-m', 'base');
      const side = (rev: string) =>
        native.out('commit-tree', native.out('rev-parse', `${rev}^{tree}`), '-p', base, '-m', rev);
      return { ours: side(t.target), theirs: side(t.upstream) };
    });

    const loadBefore = loadavg();
    const ours: Timings = { ms: [], cpuMs: [] };
    const git: Timings = { ms: [], cpuMs: [] };
    const verdicts: string[] = [];
    const stream = new MergeTreeStream(repo.gitdir, scratch);
    for (const [i, t] of triples.entries()) {
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      const result = await cherryPick(repo.store, { commits: [t.upstream], onto: t.target, committer });
      ours.ms.push(performance.now() - started);
      const cpu = process.cpuUsage(cpuBefore);
      ours.cpuMs?.push((cpu.user + cpu.system) / 1000);
      repo.store.discard();
      const verdict =
        result.status === 'applied'
          ? { status: 'applied', tree: result.tree }
          : { status: 'conflict', paths: result.conflicts.map((c) => c.path).sort() };
      verdicts.push(JSON.stringify({ upstream: t.upstream, target: t.target, ...verdict }));

      const timed = await stream.merge(merges[i]!.ours, merges[i]!.theirs);
      git.ms.push(timed.ms);
      keepCpu(git, 0, timed.cpuMs);
    }
    await stream.close();
    if (options.out) writeFileSync(options.out, `${verdicts.join('\n')}\n`);

    const spawnedMs = spread(merges, Math.max(0, options.spawned)).map((m) => {
      const started = performance.now();
      native.run('merge-tree', '--write-tree', '--name-only', '--no-messages', m.ours, m.theirs);
      return performance.now() - started;
    });
    return { gitdir: repo.gitdir, triples, ours, git, spawnedMs, loadBefore, loadAfter: loadavg() };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Adds one CPU time, or gives up on CPU times when a reading is missing. */
function keepCpu(t: Timings, before: number | undefined, after: number | undefined): void {
  if (before === undefined || after === undefined) t.cpuMs = undefined;
  else t.cpuMs?.push(after - before);
}

/** Nearest-rank percentile, as the earlier runs of this bench reported it. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** The table: median, p90, p99 of each line, and ours over git's in-process merge. */
export function printRealHistory(run: RealHistoryRun, slowest: number): void {
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
  console.log(`${run.triples.length} picks of ${run.gitdir}`);
  console.log(`load average before ${load(run.loadBefore)}, after ${load(run.loadAfter)}`);
  console.log(`first pick in this process: ${run.ours.ms[0]?.toFixed(1)} ms (left out below)`);
  const row = (label: string, ms: readonly number[]) =>
    `  ${label.padEnd(34)} median ${fmt(percentile(ms, 0.5))}  p90 ${fmt(percentile(ms, 0.9))}  p99 ${fmt(percentile(ms, 0.99))}`;
  const ratio = (a: readonly number[], b: readonly number[]) =>
    `  ${'ours / git in-process'.padEnd(34)} median ${x(a, b, 0.5)}  p90 ${x(a, b, 0.9)}  p99 ${x(a, b, 0.99)}`;
  const warm = (t: readonly number[]) => t.slice(1);
  console.log('wall time per pick:');
  console.log(row('ours, one process', warm(run.ours.ms)));
  console.log(row('git merge-tree --stdin, one process', warm(run.git.ms)));
  console.log(ratio(warm(run.ours.ms), warm(run.git.ms)));
  if (run.spawnedMs.length > 0)
    console.log(row(`git merge-tree spawned (${run.spawnedMs.length} picks)`, run.spawnedMs));
  if (run.ours.cpuMs && run.git.cpuMs) {
    console.log('CPU time per pick (ours: all threads of the process; git: its thread; no waits for a CPU):');
    console.log(row('ours, one process', warm(run.ours.cpuMs)));
    console.log(row('git merge-tree --stdin, one process', warm(run.git.cpuMs)));
    console.log(ratio(warm(run.ours.cpuMs), warm(run.git.cpuMs)));
  }
  if (slowest <= 0) return;
  console.log(`slowest picks (ours, wall; git's beside):`);
  run.ours.ms
    .map((ms, i) => ({ ms, i }))
    .slice(1)
    .sort((a, b) => b.ms - a.ms)
    .slice(0, slowest)
    .forEach(({ ms, i }) => {
      const t = run.triples[i]!;
      console.log(`  ${fmt(ms)} (git ${fmt(run.git.ms[i]!)})  ${t.upstream} ${t.target}`);
    });
}

function fmt(ms: number): string {
  return `${ms.toFixed(1)} ms`.padStart(9);
}

function x(a: readonly number[], b: readonly number[], p: number): string {
  return `${(percentile(a, p) / percentile(b, p)).toFixed(2)}×`.padStart(9);
}
