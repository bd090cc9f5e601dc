import { prefetchTrees, pickGroups } from '../repo/prefetch-trees.js';
import { readRef } from '../repo/read-ref.js';
import type { CachedRepository } from '../repo/repo-cache.js';
import { readWalkedTrees, writeWalkedTrees } from '../repo/walked-trees.js';

/**
 * Once a job's picks are published and reported: the targets' trees wherever they differ
 * from the picked commits and their bases, which the picks did not read (a pick reads a
 * target only along the commit's changes; see `repo/prefetch-trees.ts`). The next pick onto
 * these targets, on a cache that began empty, then finds the trees along its own change here
 * rather than walking them level by level on its way to the PR. Nothing to fail the job over:
 * what is still absent is fetched when read. On a cache that has them this asks for nothing.
 *
 * Each target's walk is recorded (`repo/walked-trees.ts`), and the next job's walk onto it
 * goes only where the base or the target changed since, or the commit changes: on a warm
 * cache it read every directory where the target differs from the base (some 1,750 trees on
 * the generated 100 MB repository, in every job) to find nothing absent.
 */
export async function bringTargetTrees(
  local: CachedRepository,
  plan: { commits: readonly string[]; mainline?: number | undefined },
  branches: readonly string[],
): Promise<void> {
  // A store that cannot fetch walks nothing: nothing is brought, so nothing is recorded.
  if (!local.store.fetchesMissing) return;
  const targets = branches.flatMap((branch) => {
    const tip = readRef(local.gitdir, `refs/remotes/origin/${branch}`);
    return tip ? [{ branch, tip }] : [];
  });
  if (targets.length === 0) return;
  try {
    const groups = await pickGroups(
      local.store,
      plan,
      targets.map((t) => t.tip),
    );
    const walked = readWalkedTrees(local.gitdir);
    await prefetchTrees(
      local.store,
      groups,
      'whole',
      targets.map((t) => walked.get(t.branch)),
    );
    // Every group's base now has its whole diff with each target here; the last one's is
    // recorded (a rebase merge's last commit is the nearest the base branch's tip).
    const base = groups[groups.length - 1]![0];
    if (base === undefined) return;
    const baseTree = (await local.store.readCommit(base)).tree;
    for (const { branch, tip } of targets) {
      walked.delete(branch);
      walked.set(branch, [baseTree, (await local.store.readCommit(tip)).tree]);
    }
    writeWalkedTrees(local.gitdir, walked);
  } catch {
    // Absent trees are fetched on demand by whoever reads them; an unwritten record costs
    // the next job a whole walk.
  }
}
