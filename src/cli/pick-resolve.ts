import { BackportError } from '../errors.js';
import { withCherryPickTrailer } from '../pick/commit-message.js';
import { cherryPick, DEFAULT_COMMITTER } from '../pick/cherry-pick.js';
import type { ObjectStore } from '../pick/object-store.js';
import type { ConflictResult, PickResult, Signature } from '../pick/types.js';
import { applyPatch } from '../resolve/apply-patch.js';
import { applyChoices, conflictChoices, parseAnswers } from '../resolve/index.js';

export interface Finish {
  /** The answers, as typed after --resolve (`1A,2C` or `all A`). */
  resolve?: string;
  /** A unified diff applied on top of the choices' result (without choices: on the target). */
  patch?: string;
  committer?: Signature;
  mainline?: number;
}

/**
 * `pick --resolve`: finishes a conflicted pick with a person's answers (and patch), commits
 * the resolved tree as the picked commit (same author, message and -x trailer as a clean
 * pick), then picks the rest of the series on top. The rest may conflict in turn: that is
 * reported like any conflict, and no branch moves.
 */
export async function finishPick(
  store: ObjectStore,
  first: PickResult,
  commits: string[],
  finish: Finish,
): Promise<PickResult> {
  if (first.status === 'applied') {
    throw new BackportError(
      'bad-argument',
      'The pick applied cleanly: there is nothing to resolve (drop --resolve and --patch).',
    );
  }
  const tree = await resolvedTree(store, first, finish);
  const original = await store.readCommit(first.commit);
  const committer = finish.committer ?? {
    ...DEFAULT_COMMITTER,
    timestamp: Math.floor(Date.now() / 1000),
    timezoneOffset: 0,
  };
  const resolved = await store.writeCommit({
    tree,
    parents: [first.onto],
    author: original.author,
    committer,
    message: withCherryPickTrailer(original.message, first.commit),
  });
  const picked = [...first.picked, { source: first.commit, result: resolved, empty: false }];
  const rest = commits.slice(first.index + 1);
  if (rest.length === 0) return { status: 'applied', commit: resolved, tree, empty: false, picked };
  const next = await cherryPick(store, {
    commits: rest,
    onto: resolved,
    committer,
    mainline: finish.mainline,
  });
  if (next.status === 'conflict')
    return { ...next, index: next.index + first.index + 1, picked: [...picked, ...next.picked] };
  return { ...next, empty: false, picked: [...picked, ...next.picked] };
}

async function resolvedTree(store: ObjectStore, result: ConflictResult, finish: Finish): Promise<string> {
  let tree: string;
  if (finish.resolve !== undefined) {
    const decisions = await conflictChoices(store, result);
    tree = (await applyChoices(store, result, parseAnswers(finish.resolve, decisions))).tree;
  } else {
    tree = (await store.readCommit(result.onto)).tree;
  }
  return finish.patch === undefined ? tree : (await applyPatch(store, tree, finish.patch)).tree;
}
