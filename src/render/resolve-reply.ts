/** Replies to `/backport resolve`: why nothing was pushed, and what was made. */
import { inlineCode, inlineMessage, personName } from './no-ping.js';
import { fence } from './safe-fence.js';

function command(answers: string): string {
  return inlineCode(`/backport resolve${answers ? ` ${answers}` : ''}`, { max: 200 });
}

/** Why the answer was not applied. Nothing was pushed. */
export type ResolveProblem =
  | { kind: 'permission'; login: string; permission?: string | undefined }
  | { kind: 'closed'; issue: number }
  | { kind: 'no-issue'; source?: number | undefined }
  | { kind: 'several-issues'; issues: readonly number[] }
  | { kind: 'clean'; target: string }
  | { kind: 'config' }
  /** A bad answer or patch, or a branch the app may not overwrite: the error's own sentence. */
  | { kind: 'error'; message: string };

export function renderResolveRefused(answers: string, problem: ResolveProblem): string {
  const what = `${command(answers)} was not applied`;
  switch (problem.kind) {
    case 'permission': {
      const has = problem.permission
        ? ` (${personName(problem.login)} has ${inlineCode(problem.permission)} access)`
        : '';
      return `${what}: only people with write access to this repository can finish a backport${has}. Nothing was pushed.`;
    }
    case 'closed':
      return `${what}: the conflict issue #${problem.issue} is closed. Reopen it to finish the backport from here. Nothing was pushed.`;
    case 'no-issue':
      return `${what}: ${problem.source !== undefined ? `#${problem.source} has no open conflict issue` : 'this is not a conflict issue of Backport Assistant'}. Answer on the conflict issue the app filed. Nothing was pushed.`;
    case 'several-issues':
      return `${what}: this pull request has several open conflict issues (${problem.issues.map((n) => `#${n}`).join(', ')}). Answer on the one for the branch you mean. Nothing was pushed.`;
    case 'clean':
      return `${what}: the change now applies cleanly to ${inlineCode(problem.target)}, so there is nothing to resolve. Ask again with ${inlineCode(`/backport ${problem.target}`)} on the pull request. Nothing was pushed.`;
    case 'config':
      return `${what}: \`.github/backport.yml\` cannot be used; fix it first (the pull request's comment says why). Nothing was pushed.`;
    case 'error':
      return `${what}. Nothing was pushed.\n\n${inlineMessage(problem.message.split('\n')[0]!)}${detail(problem.message)}`;
  }
}

/** A multi-line error (a hunk's expected and found lines) keeps its lines, in a block. */
function detail(message: string): string {
  const rest = message.split('\n').slice(1);
  return rest.length === 0 ? '' : `\n\n${fence(rest.join('\n').slice(0, 8_000))}`;
}

/** On the conflict issue once the backport PR is open or updated. */
export function renderResolvedNote(input: {
  by: string;
  answers: string;
  patch: boolean;
  pull: number;
}): string {
  const patch = input.patch ? (input.answers ? ' and a patch' : ' (a patch)') : '';
  return `${personName(input.by)} finished this backport with ${command(input.answers)}${patch}: see #${input.pull}. This issue is closed when #${input.pull} merges.`;
}

/** On the conflict issue when the backport PR it led to merged. */
export function renderResolvedMerged(pull: number): string {
  return `The backport #${pull} was merged, so this is done.`;
}
