import { BackportError } from '../errors.js';
import { subjectOf, withCherryPickTrailer } from './commit-message.js';
import { mergeTrees } from './merge-trees.js';
import type { CommitObject, ObjectStore } from './object-store.js';
import type { PickedCommit, PickResult, Signature } from './types.js';

export interface CherryPickOptions {
  /** The commits to apply, in order. */
  commits: string[];
  /** The commit to apply them on (the target branch's tip). */
  onto: string;
  /** For merge commits: which parent (1-based) the change is taken against, as `git cherry-pick -m`. */
  mainline?: number;
  /** Who commits. Defaults to Backport Assistant, now. The author is always the original one. */
  committer?: Signature;
  /** How the target is named in conflict markers and reports (default "HEAD"). */
  targetName?: string;
}

export const DEFAULT_COMMITTER = {
  name: 'Backport Assistant',
  email: 'backport-assistant@users.noreply.github.com',
};

/**
 * Applies commits one after another onto `onto`, as `git cherry-pick -x` would, and stops at
 * the first that conflicts. Nothing outside the object store changes: no ref moves, no
 * working tree. A commit whose change is already on the target is recorded as empty
 * (no commit is created for it), which is how "already backported" is told apart.
 */
export async function cherryPick(store: ObjectStore, options: CherryPickOptions): Promise<PickResult> {
  if (options.commits.length === 0) throw new BackportError('bad-argument', 'No commit to pick was given.');
  const committer = options.committer ?? {
    ...DEFAULT_COMMITTER,
    timestamp: Math.floor(Date.now() / 1000),
    timezoneOffset: 0,
  };
  const targetName = options.targetName ?? 'HEAD';
  let current = options.onto;
  let currentTree = (await store.readCommit(current)).tree;
  const picked: PickedCommit[] = [];

  for (const [index, sha] of options.commits.entries()) {
    const commit = await store.readCommit(sha);
    const base = await baseOf(store, commit, options.mainline);
    const short = sha.slice(0, 7);
    const subject = subjectOf(commit.message);
    const merge = await mergeTrees(store, {
      base,
      ours: currentTree,
      theirs: commit.tree,
      labels: {
        ours: targetName,
        base: `parent of ${short} (${subject})`,
        theirs: `${short} (${subject})`,
        oursName: targetName,
        theirsName: short,
      },
    });
    if (!merge.clean) {
      return {
        status: 'conflict',
        commit: sha,
        index,
        picked,
        conflicts: merge.conflicts,
        merged: merge.merged,
        markerTree: merge.tree,
        onto: current,
      };
    }
    if (merge.tree === currentTree) {
      picked.push({ source: sha, empty: true });
      continue;
    }
    current = await store.writeCommit({
      tree: merge.tree,
      parents: [current],
      author: commit.author,
      committer,
      message: withCherryPickTrailer(commit.message, sha),
    });
    currentTree = merge.tree;
    picked.push({ source: sha, result: current, empty: false });
  }
  return {
    status: 'applied',
    commit: current,
    tree: currentTree,
    empty: picked.every((p) => p.empty),
    picked,
  };
}

async function baseOf(
  store: ObjectStore,
  commit: CommitObject,
  mainline: number | undefined,
): Promise<string | null> {
  const parents = commit.parents;
  if (parents.length > 1) {
    if (mainline === undefined) {
      throw new BackportError(
        'merge-needs-mainline',
        `Commit ${commit.oid} is a merge; say which parent is the mainline (for example --mainline 1).`,
        { commit: commit.oid, parents: parents.length },
      );
    }
    const parent = parents[mainline - 1];
    if (!Number.isInteger(mainline) || mainline < 1 || !parent) {
      throw new BackportError('bad-mainline', `Commit ${commit.oid} has no parent number ${mainline}.`, {
        commit: commit.oid,
        mainline,
      });
    }
    return (await store.readCommit(parent)).tree;
  }
  if (mainline !== undefined) {
    throw new BackportError(
      'bad-mainline',
      `--mainline was given, but commit ${commit.oid} is not a merge.`,
      {
        commit: commit.oid,
      },
    );
  }
  return parents[0] ? (await store.readCommit(parents[0])).tree : null;
}
