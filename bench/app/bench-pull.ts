/**
 * The fixes the app benchmark backports: one-line edits to source files that main and
 * release hold identically, so each pick is clean and ends in a backport PR. The PRs are
 * merged with webhooks off; the timed part starts with the label that asks for the backport.
 */
import type { GitHubSim } from '../../tools/github-sim/index.js';
import { git } from '../run-command.js';

export const BENCH_TARGET = 'release';

export interface FixFile {
  path: string;
  text: string;
}

/** `count` files of the generated repository that both tips share, spread over the tree. */
export function chooseFixFiles(repoDir: string, count: number): FixFile[] {
  const blobs = (ref: string) =>
    new Map(
      git(repoDir, 'ls-tree', '-r', ref)
        .split('\n')
        .map((line) => {
          const [meta = '', path = ''] = line.split('\t');
          return [path, meta.split(' ')[2]] as const;
        }),
    );
  const release = blobs(BENCH_TARGET);
  const shared = [...blobs('main')]
    .filter(([path, blob]) => path.endsWith('.ts') && release.get(path) === blob)
    .map(([path]) => path)
    .sort();
  if (shared.length < count) throw new Error(`only ${shared.length} files are the same on main and release`);
  const step = Math.floor(shared.length / count);
  return Array.from({ length: count }, (_, i) => {
    const path = shared[i * step]!;
    return { path, text: git(repoDir, 'show', `main:${path}`) + '\n' };
  });
}

/** Commits a one-line fix on a branch, opens its PR and squash-merges it, all without webhooks. */
export async function mergeFixQuietly(
  sim: GitHubSim,
  repo: string,
  file: FixFile,
  n: number,
): Promise<number> {
  const lines = file.text.split('\n');
  lines.splice(Math.floor(lines.length / 2), 0, `// bench fix ${n}: keep the limit when the queue is empty`);
  const url = sim.webhookUrl;
  sim.webhookUrl = undefined;
  try {
    const branch = `bench-fix-${n}`;
    await sim.commitFiles(repo, {
      branch,
      files: { [file.path]: lines.join('\n') },
      message: `Fix ${n}: keep the limit when the queue is empty`,
      author: 'alice',
    });
    const number = await sim.createPull({
      repo,
      head: branch,
      base: 'main',
      title: `Fix ${n}: keep the limit when the queue is empty`,
      user: 'alice',
    });
    await sim.mergePull({ repo, number, method: 'squash', mergedBy: 'maint' });
    return number;
  } finally {
    sim.webhookUrl = url;
  }
}
