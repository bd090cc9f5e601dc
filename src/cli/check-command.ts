import { cherryPick } from '../pick/cherry-pick.js';
import type { ObjectStore } from '../pick/object-store.js';
import type { PickResult } from '../pick/types.js';
import { conflictChoices } from '../resolve/index.js';
import { findPrerequisites } from '../resolve/prerequisites/find-prerequisites.js';
import type { CliIo } from './cli-io.js';
import { toAnswer, type PickAnswer } from './pick-json.js';
import { answerLines, openStdinSession, resolveLine } from './stdin-lines.js';

export const CHECK_USAGE = 'usage: backport-assistant check --repo <path> --stdin [--mainline <n>]';

/**
 * `check`: answers "would <commit> (or the series <c1>,<c2>,…) apply onto <onto>?" for each
 * input line, one JSON object per line. A conflict answer carries the choices a person
 * would answer to finish it. Nothing is written: no objects, no refs.
 */
export async function runCheck(argv: string[], io: CliIo): Promise<number> {
  const { repo, mainline, notice } = await openStdinSession(argv, io, {
    name: 'check',
    lineShape: '<commit>[,<commit>…] <onto>',
    usage: CHECK_USAGE,
  });
  await answerLines(io, { words: 'none', usage: '<commit>[,<commit>…] <onto>' }, async (line) => {
    try {
      const pick = await resolveLine(repo, line, mainline, notice);
      const result = await cherryPick(repo.store, pick);
      const decisions = result.status === 'conflict' ? await conflictChoices(repo.store, result) : undefined;
      const answer = toAnswer(pick.commits, pick.onto, result, decisions);
      return await withPrerequisites(repo.store, answer, result, pick.mainline);
    } finally {
      repo.store.discard();
    }
  });
  return 0;
}

/** A conflict answer says which upstream commits, picked first, would make it apply. */
async function withPrerequisites(
  store: ObjectStore,
  answer: PickAnswer,
  result: PickResult,
  mainline: number | undefined,
): Promise<PickAnswer> {
  if (answer.status !== 'conflict' || result.status !== 'conflict') return answer;
  const found = await findPrerequisites(store, {
    commit: result.commit,
    onto: result.onto,
    conflict: result,
    mainline,
  });
  const prerequisites = {
    commits: found.commits,
    clean: found.clean,
    ...(found.truncated ? { truncated: found.truncated } : {}),
  };
  return { ...answer, prerequisites };
}
