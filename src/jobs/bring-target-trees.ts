import { prefetchTrees, pickGroups } from '../repo/prefetch-trees.js';
import { readRef } from '../repo/read-ref.js';
import type { CachedRepository } from '../repo/repo-cache.js';

/**
 * Once a job's picks are published and reported: the targets' trees wherever they differ
 * from the picked commits and their bases, which the picks did not read (a pick reads a
 * target only along the commit's changes; see `repo/prefetch-trees.ts`). The next pick onto
 * these targets, on a cache that began empty, then finds the trees along its own change here
 * rather than walking them level by level on its way to the PR. Nothing to fail the job over:
 * what is still absent is fetched when read. On a cache that has them this asks for nothing.
 */
export async function bringTargetTrees(
  local: CachedRepository,
  plan: { commits: readonly string[]; mainline?: number | undefined },
  branches: readonly string[],
): Promise<void> {
  const tips = branches.flatMap((b) => readRef(local.gitdir, `refs/remotes/origin/${b}`) ?? []);
  if (tips.length === 0) return;
  try {
    await prefetchTrees(local.store, await pickGroups(local.store, plan, tips), 'whole');
  } catch {
    // Absent trees are fetched on demand by whoever reads them.
  }
}
