/** Short replies to `/backport` comments the app will not act on. */
import { inlineCode, inlineMessage, personName } from './no-ping.js';

/** The commenter lacks write access: backports push branches, so only writers may ask. */
export function renderCommandRefused(input: {
  login: string;
  targets: readonly string[];
  /** Their permission on the repository as GitHub reports it (`read`, `triage`, `none`…). */
  permission?: string | undefined;
}): string {
  const command = inlineCode(['/backport', ...input.targets].join(' '), { max: 200 });
  const has = input.permission
    ? ` (${personName(input.login)} has ${inlineCode(input.permission)} access)`
    : '';
  return `${command} was not run: only people with write access to this repository can ask for backports${has}. A maintainer can add the label or repeat the command.`;
}

/** Some targets cannot be labels or branches: each reason, and whether the other targets started. */
export function renderTargetsRefused(input: {
  targets: readonly string[];
  /** One plain sentence per refused target. */
  reasons: readonly string[];
  othersStarted: boolean;
}): string {
  const command = inlineCode(['/backport', ...input.targets].join(' '), { max: 200 });
  const reasons = input.reasons.map((m) => inlineMessage(m)).join(' ');
  return `${command}: ${reasons} ${input.othersStarted ? 'The other targets were started.' : 'Nothing was started.'}`;
}

/** `/backport retry` on a PR none of whose targets failed. */
export function renderNothingToRetry(): string {
  return `${inlineCode('/backport retry')}: no target of this pull request has failed, so there is nothing to retry.`;
}

/**
 * A comment command (`/backport resolve …`, `/backport <target> with …`) whose job ran out of
 * tries while GitHub kept failing: said once, so the comment does not go unanswered.
 */
export function renderCommandGivenUp(input: {
  words: readonly string[];
  tries: number;
  error: string;
}): string {
  const command = inlineCode(['/backport', ...input.words].join(' '), { max: 200 });
  const error = inlineMessage(input.error.split('\n')[0]!.slice(0, 300));
  return `${command} could not be finished: GitHub kept failing after ${input.tries} tries (${error}). Comment it again to try again.`;
}
