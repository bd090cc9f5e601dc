import { BackportError } from '../errors.js';
import { cherryPick } from '../pick/cherry-pick.js';
import { withCherryPickTrailer } from '../pick/commit-message.js';
import type { ObjectStore } from '../pick/object-store.js';
import type { ConflictResult, Signature } from '../pick/types.js';
import { applyChoices, conflictChoices, parseAnswers, type Decision } from '../resolve/index.js';
import { applyPatch } from '../resolve/apply-patch.js';

export interface ResolutionInput {
  /** The upstream series and where it was picked, as the conflict issue records them. */
  commits: string[];
  onto: string;
  mainline?: number | undefined;
  targetName: string;
  committer: Signature;
  /** `1A 2C`, `all A`, or '' with a patch only. */
  answers: string;
  patch?: string | undefined;
}

export type BuiltResolution =
  | { status: 'clean' }
  | {
      status: 'resolved';
      /** The tip to push: the resolved pick, and the rest of the series on top. */
      commit: string;
      tree: string;
      /** The upstream commit that conflicted. */
      failedCommit: string;
      /** The choices made, one plain line per decision answered. */
      choices: string[];
    };

/**
 * Builds the resolved backport in memory, with no checkout and no ref. Steps:
 *   1. pick the series again, exactly where the conflict issue says it was picked;
 *   2. apply the person's answer to the conflicted pick's choices (every decision answered,
 *      each once, each with a candidate it has), or, with no answer, start from the branch;
 *   3. apply the comment's patch on top, if any;
 *   4. commit it as the pick of that commit (its author and message, `-x` trailer), then pick
 *      the rest of the series on top; a later commit that conflicts too stops it.
 * A bad answer or patch is a `bad-resolution` or `bad-patch` error; nothing is written to a ref.
 */
export async function buildResolution(store: ObjectStore, input: ResolutionInput): Promise<BuiltResolution> {
  const pick = (commits: string[], onto: string) =>
    cherryPick(store, {
      commits,
      onto,
      mainline: input.mainline,
      committer: input.committer,
      targetName: input.targetName,
    });
  const result = await pick(input.commits, input.onto);
  if (result.status === 'applied') return { status: 'clean' };

  const { tree, choices } = await chosenTree(store, result, input);
  const patched = input.patch === undefined ? tree : (await applyPatch(store, tree, input.patch)).tree;
  const failed = await store.readCommit(result.commit);
  let commit = await store.writeCommit({
    tree: patched,
    parents: [result.onto],
    author: failed.author,
    committer: input.committer,
    message: withCherryPickTrailer(failed.message, result.commit),
  });
  const rest = input.commits.slice(result.index + 1);
  if (rest.length > 0) {
    const after = await pick(rest, commit);
    if (after.status === 'conflict') {
      throw new BackportError(
        'bad-resolution',
        `The resolution applies, but commit ${after.commit.slice(0, 7)}, later in the series, conflicts on top of it; finish this backport by hand (see "Finish by hand").`,
        { reason: 'incompatible', decision: '' },
      );
    }
    commit = after.commit;
  }
  const tip = await store.readCommit(commit);
  return { status: 'resolved', commit, tree: tip.tree, failedCommit: result.commit, choices };
}

/** The tree the answer gives (or the branch's, with no answer), and the choices as lines. */
async function chosenTree(
  store: ObjectStore,
  result: ConflictResult,
  input: ResolutionInput,
): Promise<{ tree: string; choices: string[] }> {
  if (input.answers.trim() === '') {
    if (input.patch === undefined) {
      throw new BackportError(
        'bad-resolution',
        'Nothing to apply: answer every decision (as in `/backport resolve 1A 2B`, or `all A`), or paste a ```diff block.',
        { reason: 'syntax', answer: '' },
      );
    }
    return { tree: (await store.readCommit(result.onto)).tree, choices: [] };
  }
  const decisions = await conflictChoices(store, result);
  const answers = parseAnswers(input.answers, decisions);
  const applied = await applyChoices(store, result, answers);
  return { tree: applied.tree, choices: describeChoices(decisions, answers) };
}

function describeChoices(decisions: readonly Decision[], answers: Record<string, string>): string[] {
  return decisions.flatMap((d) => {
    const chosen = d.candidates.find((c) => c.id === answers[d.id]);
    return chosen ? [`${d.id} ${d.path}: ${chosen.id}, ${chosen.label}`] : [];
  });
}
