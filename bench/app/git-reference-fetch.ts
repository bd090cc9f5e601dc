import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { GitHubSim } from '../../tools/github-sim/index.js';
import { BENCH_TARGET } from './bench-pull.js';

const run = promisify(execFile);

/**
 * What the git client itself transfers for the app's two cold fetches (the merged branch two
 * commits deep, then the target one commit deep) from the same simulated repository: the
 * yardstick for the app's own fetch sizes. Async: the simulator answers from this process.
 */
export async function gitReferenceFetch(
  sim: GitHubSim,
  repo: string,
): Promise<{ mainBytes: number; targetBytes: number; error?: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-git-ref-'));
  const url = sim.cloneUrl(repo);
  const fetch = async (args: string[]) => {
    const before = sim.stats.gitUploadBytes;
    await run('git', ['fetch', '-q', '--no-tags', ...args], { cwd: dir, maxBuffer: 16 << 20 });
    return sim.stats.gitUploadBytes - before;
  };
  try {
    await run('git', ['init', '-q', '--bare', dir]);
    const mainBytes = await fetch(['--depth', '2', url, 'main:refs/remotes/origin/main']);
    const targetBytes = await fetch([
      '--depth',
      '1',
      url,
      `${BENCH_TARGET}:refs/remotes/origin/${BENCH_TARGET}`,
    ]);
    return { mainBytes, targetBytes };
  } catch (err) {
    return {
      mainBytes: 0,
      targetBytes: 0,
      error: err instanceof Error ? err.message.split('\n')[0] : String(err),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
