import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { GitHubSim } from '../../tools/github-sim/index.js';
import { BENCH_TARGET } from './bench-pull.js';

const run = promisify(execFile);
/** Above this many bytes at the tip, the whole-tree `git fetch` is not measured. */
const WHOLE_TREE_LIMIT = 1e9;

export interface GitFetches {
  mainBytes: number;
  targetBytes: number;
  /** Wall time of each fetch (its own process, its own connections). */
  mainMs: number;
  targetMs: number;
}

/**
 * What the git client itself transfers for the app's two cold fetches (the merged branch two
 * commits deep, then the target one commit deep) from the same simulated repository: the
 * yardstick for the app's own fetch sizes. Measured twice: as `git fetch --depth` does by
 * default (whole trees), and as a partial clone does (`--filter=blob:none`, no blobs at all,
 * which is less than a pick needs). Async: the simulator answers from this process.
 */
export async function gitReferenceFetch(
  sim: GitHubSim,
  repo: string,
  treeBytes: number,
): Promise<(Partial<GitFetches> & { filtered?: GitFetches; error?: string }) | { error: string }> {
  try {
    const filtered = await twoFetches(sim, repo, ['--filter=blob:none']);
    // Whole trees of a monorepo are gigabytes: minutes of a shared machine, for a known answer.
    if (treeBytes > WHOLE_TREE_LIMIT) return { filtered };
    const whole = await twoFetches(sim, repo, []);
    return { ...whole, filtered };
  } catch (err) {
    return { error: err instanceof Error ? err.message.split('\n')[0]! : String(err) };
  }
}

async function twoFetches(sim: GitHubSim, repo: string, extra: string[]): Promise<GitFetches> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-git-ref-'));
  const url = sim.cloneUrl(repo);
  const fetch = async (args: string[]) => {
    const before = sim.stats.gitUploadBytes;
    const t0 = performance.now();
    await run('git', ['fetch', '-q', '--no-tags', ...extra, ...args], { cwd: dir, maxBuffer: 16 << 20 });
    return { bytes: sim.stats.gitUploadBytes - before, ms: performance.now() - t0 };
  };
  try {
    await run('git', ['init', '-q', '--bare', dir]);
    if (extra.length > 0) {
      // A partial clone's fetches need a promisor remote, as `git clone --filter` sets up.
      await run('git', ['-C', dir, 'remote', 'add', 'origin', url]);
      await run('git', ['-C', dir, 'config', 'remote.origin.promisor', 'true']);
    }
    const main = await fetch(['--depth', '2', url, 'main:refs/remotes/origin/main']);
    const target = await fetch(['--depth', '1', url, `${BENCH_TARGET}:refs/remotes/origin/${BENCH_TARGET}`]);
    return { mainBytes: main.bytes, targetBytes: target.bytes, mainMs: main.ms, targetMs: target.ms };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
