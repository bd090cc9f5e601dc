import { cherryPick } from '../pick/cherry-pick.js';
import { applyChoices, conflictChoices, parseAnswers } from '../resolve/index.js';
import type { CliIo } from './cli-io.js';
import type { PickAnswer } from './pick-json.js';
import { answerLines, openStdinSession, resolveLine } from './stdin-lines.js';

export const RESOLVE_USAGE = 'usage: backport-assistant resolve --repo <path> --stdin [--mainline <n>]';

/**
 * `resolve`: for each line `<commit>[,<commit>…] <onto> 1A 2C 3B` (or `… all A`), picks as
 * `check` does and applies the answers to the conflict's choices, answering the resolved
 * tree and the blob of every conflicted path, or an error naming the decision that is
 * missing or unknown. The objects are written (so the tree can be committed with `git
 * commit-tree`); no ref moves.
 */
export async function runResolve(argv: string[], io: CliIo): Promise<number> {
  const { repo, mainline, notice } = await openStdinSession(argv, io, {
    name: 'resolve',
    lineShape: '<commit> <onto> 1A 2B …',
    usage: RESOLVE_USAGE,
  });
  await answerLines(io, { words: 'any', usage: '<commit>[,<commit>…] <onto> 1A 2B …' }, async (line) => {
    try {
      const pick = await resolveLine(repo, line, mainline, notice);
      const result = await cherryPick(repo.store, pick);
      const where = {
        commit: pick.commits[pick.commits.length - 1]!,
        commits: pick.commits,
        onto: pick.onto,
      };
      let answer: PickAnswer;
      if (result.status === 'applied') {
        // A clean pick has no decisions: any answer names one that does not exist.
        parseAnswers(line.rest.join(' '), []);
        answer = { status: 'applied', ...where, tree: result.tree, files: [] };
      } else {
        const decisions = await conflictChoices(repo.store, result);
        const applied = await applyChoices(repo.store, result, parseAnswers(line.rest.join(' '), decisions));
        answer = { status: 'applied', ...where, tree: applied.tree, files: applied.files };
      }
      await repo.store.flush();
      return answer;
    } finally {
      repo.store.discard();
    }
  });
  return 0;
}
