import { BackportError } from '../errors.js';
import type { CommitObject, ObjectStore } from '../pick/object-store.js';
import type { MergeMethod } from '../common/source-pull-request.js';

/** A commit of the pull request, as GitHub lists it (GET /pulls/{n}/commits). */
export interface PullCommit {
  sha: string;
  message: string;
  author: { name: string; email: string; date: string };
}

export interface PickPlan {
  method: MergeMethod;
  /** The commits to cherry-pick, oldest first. */
  commits: string[];
  /** For a merge commit: the parent the change is taken against. */
  mainline?: number;
}

/**
 * Works out what to pick from how the pull request was merged, read from the commit graph:
 *   - a merge commit (two parents): that commit, against the mainline parent;
 *   - a rebase: the last N commits of the base branch replay the PR's N commits (same
 *     author, date and message), so those N are picked in order;
 *   - otherwise a squash: the one commit GitHub made.
 * A one-commit PR merged by rebase or squash gives the same single pick either way.
 * Throws `unknown-revision` with `data.oid` when a needed commit is not in the store yet,
 * so the caller can fetch deeper and ask again.
 */
export async function planPicks(
  store: ObjectStore,
  pr: { mergeCommitSha: string; commits: PullCommit[] },
  mainline: number,
): Promise<PickPlan> {
  const merge = await store.readCommit(pr.mergeCommitSha);
  if (merge.parents.length > 1) {
    if (mainline > merge.parents.length) {
      throw new BackportError(
        'bad-mainline',
        `The merge commit has no parent number ${mainline} (mainline in backport.yml).`,
        {
          mainline,
        },
      );
    }
    return { method: 'merge', commits: [merge.oid], mainline };
  }
  const n = pr.commits.length;
  if (n > 1) {
    const chain: CommitObject[] = [merge];
    while (chain.length < n) {
      const parent = chain[0]!.parents[0];
      if (!parent) break;
      chain.unshift(await store.readCommit(parent));
    }
    if (chain.length === n && chain.every((c, i) => replays(c, pr.commits[i]!))) {
      return { method: 'rebase', commits: chain.map((c) => c.oid) };
    }
  }
  return { method: 'squash', commits: [merge.oid] };
}

/** A rebased commit keeps its author, author date and message; only the committer changes. */
function replays(commit: CommitObject, original: PullCommit): boolean {
  const date = Math.floor(Date.parse(original.author.date) / 1000);
  return (
    commit.author.name === original.author.name &&
    commit.author.email === original.author.email &&
    commit.author.timestamp === date &&
    normalize(commit.message) === normalize(original.message)
  );
}

function normalize(message: string): string {
  return message.replace(/\s+$/, '');
}
