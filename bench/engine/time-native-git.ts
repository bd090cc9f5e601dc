/**
 * Native git on the same picks: `git cherry-pick --no-commit` in a worktree at release (the
 * reference both for speed and for the expected result), the old trivial `git merge-tree`
 * with the commit's parent as base, and `git merge-tree --write-tree` for reference.
 */
import { join } from 'node:path';
import { git, runCommand, type CommandResult } from '../run-command.js';
import type { PickCase } from './choose-cases.js';
import { runWithPeakRss } from './gnu-time.js';
import type { PickVerdict } from './pick-verdict.js';

export interface NativeCaseTimings {
  cherryPick: number[];
  mergeTree: number[];
  mergeTreeWrite: number[];
}

export interface NativeResults {
  verdicts: Map<string, PickVerdict>;
  timings: Map<string, NativeCaseTimings>;
  /** Peak RSS of the largest `git cherry-pick`, in KiB. */
  peakRssKb?: number;
}

/** A non-bare clone checked out at release, objects hardlinked from the cached repository. */
export function prepareNativeClone(repoDir: string, dir: string): void {
  git(process.cwd(), 'clone', '-q', '--local', '--branch', 'release', repoDir, dir);
  git(dir, 'config', 'gc.auto', '0');
  // A local clone does not copy the commit-graph; without it merge-base walks are slower.
  git(dir, 'commit-graph', 'write', '--reachable');
  git(dir, 'config', 'user.name', 'Bench');
  git(dir, 'config', 'user.email', 'bench@example.com');
}

export function timeNativeGit(dir: string, cases: PickCase[], rounds: number): NativeResults {
  const verdicts = new Map<string, PickVerdict>();
  const timings = new Map<string, NativeCaseTimings>();
  let peakRssKb: number | undefined;
  const reset = () => {
    git(dir, 'reset', '-q', '--hard', 'release');
    git(dir, 'clean', '-fdq');
  };
  reset();
  // An untimed pass first: the verdicts, the result trees, peak memory, and a warm page cache.
  for (const c of cases) {
    const run = runWithPeakRss('git', ['cherry-pick', '--no-commit', c.sha], dir, join(dir, '..', 'rss.txt'));
    if (run.peakRssKb !== undefined) peakRssKb = Math.max(peakRssKb ?? 0, run.peakRssKb);
    if (run.status === 0) {
      verdicts.set(c.sha, { status: 'applied', tree: git(dir, 'write-tree') });
    } else if (run.status === 1) {
      const unmerged = git(dir, 'diff', '--name-only', '--diff-filter=U');
      verdicts.set(c.sha, { status: 'conflict', conflicts: unmerged.split('\n').filter(Boolean).sort() });
    } else {
      verdicts.set(c.sha, { status: 'error', detail: run.stderr.trim() });
    }
    reset();
    timings.set(c.sha, { cherryPick: [], mergeTree: [], mergeTreeWrite: [] });
  }
  for (let round = 0; round < rounds; round++) {
    for (const c of cases) {
      const t = timings.get(c.sha) as NativeCaseTimings;
      t.cherryPick.push(runCommand('git', ['cherry-pick', '--no-commit', c.sha], { cwd: dir }).ms);
      reset();
      const baseTree = `${c.sha}^^{tree}`;
      t.mergeTree.push(checked(runCommand('git', ['merge-tree', baseTree, 'release', c.sha], { cwd: dir })));
      const write = runCommand('git', ['merge-tree', '--write-tree', 'release', c.sha], { cwd: dir });
      t.mergeTreeWrite.push(checked(write));
    }
  }
  return { verdicts, timings, peakRssKb };
}

/** The wall time of a merge-tree run, which exits 0 when clean and 1 on conflicts. */
function checked(result: CommandResult): number {
  if (result.status > 1) throw new Error(`git merge-tree failed: ${result.stderr.trim()}`);
  return result.ms;
}
