import { BackportError, isBackportError } from '../errors.js';
import { subjectOf } from '../pick/commit-message.js';
import { planPicks, type PickPlan } from '../plan/pick-plan.js';
import type { CachedRepository, RepoOpener } from '../repo/repo-cache.js';
import { fetchCommitById, fetchCommitWithout } from '../repo/fetch-commit.js';
import { fetchOnDemand } from '../repo/fetch-missing-objects.js';
import { fetchBranch, offersHaves } from '../repo/git-remote.js';
import { fetchRefs } from '../repo/fetch-refs.js';
import { pickGroups, prefetchTrees } from '../repo/prefetch-trees.js';
import type { RemoteAccess, RemoteSession } from '../repo/remote-session.js';
import type { CommitInfo } from '../common/source-pull-request.js';
import { TreeReader } from '../pick/tree-reader.js';
import type { MergedHint } from './backport-request.js';
import type { SourcePull } from './source-pull.js';

export interface PreparedSource {
  plan: PickPlan;
  commits: CommitInfo[];
  /** How many paths the picked commits change, for the maxFiles limit. */
  changedPaths: number;
  /**
   * Changed paths under `.github/workflows/`: GitHub lets an app push those only with the
   * `workflows` permission, which this app does not ask for.
   */
  workflowPaths: string[];
}

/**
 * GitHub lists at most 250 commits of a pull request. With fewer than it has, the merge
 * method cannot be told (a long rebase merge would look like a squash), so the app refuses
 * rather than pick a part of the change and call it clean.
 */
function checkCommitList(pr: SourcePull): void {
  if (pr.commitCount <= pr.commits.length) return;
  throw new BackportError(
    'too-many-commits',
    `#${pr.number} has ${pr.commitCount} commits, but GitHub lists only ${pr.commits.length} (at most 250) of a pull request, so the app cannot tell what was merged. Backport it by hand.`,
    { commits: pr.commitCount, listed: pr.commits.length },
  );
}

/**
 * Opens the cache repository and, when it is warm, fetches the merged commit by id at once
 * (`fetchCommitById`), deep enough for its parents and a rebase merge's commits: started
 * at the job's start from the webhook's word (`MergedHint`), or as soon as the pull request
 * has answered, it runs beside the configuration's reads and the ref discovery that waits
 * for them, and `prepareSource` then finds the commits here.
 * When that fetch is not made or fails, `prepareSource` fetches the base branch as before.
 * A fetch whose commit ends up unused (the configuration names no target) is one thin,
 * blob-less request.
 */
export async function openWithSource(
  repos: RepoOpener,
  where: { owner: string; repo: string },
  remote: RemoteAccess,
  merge: MergedHint,
): Promise<CachedRepository> {
  const local = await repos.open(where.owner, where.repo);
  await fetchCommitById(local.gitdir, remote, merge.mergeCommitSha, {
    depth: Math.min(Math.max(merge.commits, 1), DEPTHS[2]!) + 1,
    haveRef: `refs/remotes/origin/${merge.base}`,
  });
  return local;
}

/** The merge as the pull request read from GitHub says it (for `openWithSource`). */
export function mergeOf(pr: SourcePull): MergedHint | undefined {
  if (!pr.merged || !pr.mergeCommitSha) return undefined;
  return { mergeCommitSha: pr.mergeCommitSha, base: pr.base, commits: pr.commits.length };
}

/** Deeper and deeper: most merges are near the tip, so the first fetch is usually enough. */
const DEPTHS = [2, 8, 32, 128, 512, 2048, 8192];

/**
 * Brings the merged commits (and their parents) into the cache repository, fetching the
 * base branch only as deep as needed, then works out what to pick. What is fetched depends
 * on how far back the merge is, not on how long the history is.
 *
 * `targets` (branches) are those the job will pick onto. An empty cache fetches them in the
 * same request as the base branch (commits and root trees), and the one level-wise walk
 * before `describe` brings the trees of base, commit and targets together: the picks then
 * find every tree they read here. Otherwise (a warm cache) each target is fetched by its
 * own job, thin against what is here, as before.
 */
export async function prepareSource(
  local: CachedRepository,
  remote: RemoteSession,
  pr: SourcePull,
  mainline: number,
  targets: readonly string[] = [],
): Promise<PreparedSource> {
  const sha = pr.mergeCommitSha!;
  // The fetches below bring commits and trees; blobs come when a pick reads them.
  fetchOnDemand(local, remote);
  checkCommitList(pr);
  // The targets' tips, when they came with the base branch.
  let alongside: string[] = [];
  for (let i = 0; ; i++) {
    try {
      const plan = await planPicks(local.store, { mergeCommitSha: sha, commits: pr.commits }, mainline);
      return await describe(local, plan, alongside);
    } catch (err) {
      if (!isBackportError(err, 'unknown-revision') || i >= DEPTHS.length) {
        if (isBackportError(err, 'unknown-revision')) {
          throw new BackportError(
            'fetch-failed',
            `The merge commit ${sha.slice(0, 7)} of #${pr.number} is not on ${pr.base} as far back as ${DEPTHS[DEPTHS.length - 1]} commits.`,
            { sha },
          );
        }
        throw err;
      }
    }
    let tip: string | undefined;
    if (i === 0 && targets.length > 0 && !(await offersHaves(local.gitdir))) {
      // Separately, each target would cost a request, and its blob:none fetch would be thin
      // against trees an empty cache lacks (a round for those bases), then the walk's levels.
      const heads = [pr.base, ...targets].map((b) => `refs/heads/${b}`);
      const tips = await fetchRefs(local.gitdir, remote, heads, {
        depth: DEPTHS[i],
        partial: true,
        treeless: true,
        // A failure names the base branch, as its fetch alone would.
        what: pr.base,
      });
      tip = tips.get(heads[0]!);
      alongside = [...new Set(heads.slice(1).map((h) => tips.get(h)))].filter(
        (t): t is string => t !== undefined,
      );
    } else {
      tip = await fetchBranch(local.gitdir, remote, pr.base, {
        depth: DEPTHS[i],
        partial: true,
        treeless: true,
      });
    }
    // A branch deleted after the merge (a feature or release branch retired) does not stop
    // the backport: its commit is fetched by id, as a warm job's is, deepened as the branch
    // would have been. Only a server that will not give the commit stops it.
    if (tip === undefined && !(await fetchCommitWithout(local.gitdir, remote, sha, DEPTHS[i]!))) {
      throw new BackportError(
        'missing-branch',
        `The branch ${pr.base} that #${pr.number} was merged into no longer exists.`,
        { branch: pr.base },
      );
    }
  }
}

async function describe(
  local: CachedRepository,
  plan: PickPlan,
  targets: readonly string[],
): Promise<PreparedSource> {
  // An empty cache was fetched without trees: bring those the diffs below read, level by
  // level, and those the picks onto `targets` will read (the same walk, no more requests).
  await prefetchTrees(local.store, await pickGroups(local.store, plan, targets));
  const reader = new TreeReader(local.store);
  const commits: CommitInfo[] = [];
  const paths = new Set<string>();
  for (const sha of plan.commits) {
    const commit = await local.store.readCommit(sha);
    const parent = commit.parents[(plan.mainline ?? 1) - 1];
    // Reading the parent proves the pick's base is here too (it may be past a shallow edge).
    const baseTree = parent ? (await local.store.readCommit(parent)).tree : null;
    for (const change of await reader.diff(baseTree, commit.tree)) paths.add(change.path);
    commits.push({ sha, subject: subjectOf(commit.message) });
  }
  const workflowPaths = [...paths].filter((p) => p.startsWith('.github/workflows/')).sort();
  return { plan, commits, changedPaths: paths.size, workflowPaths };
}
