/**
 * The conflict issue: everything a person needs to finish a backport the app could not.
 *
 * 1. A summary: the original pull request, the series and which commit failed.
 * 2. One summary line per conflicted file (always shown), then each file's details: what
 *    to decide, and every hunk (upstream change, the target's lines, the expected text).
 * 3. The files that applied cleanly, the commands that finish the job, the hidden marker.
 *
 * GitHub refuses bodies over 65,536 characters. When the whole story does not fit, the
 * details of the largest files go first; the summary lines and the commands always stay.
 */
import { flattenControlChars, maskControlChars } from '../common/control-chars.js';
import type { ConflictResult, FileConflict } from '../pick/types.js';
import { renderChoices, type ChoicesInput } from './conflict-choices.js';
import { fileDetails, fileSummaryLine } from './conflict-file.js';
import { fitList } from './fit-list.js';
import { renderFinishCommands } from './finish-commands.js';
import { branchUrl, commitUrl, markdownLink, repositoryUrl, shortSha } from './links.js';
import { renderMarker } from './marker.js';
import { inlineCode, inlineText, personName } from './no-ping.js';
import { fence } from './safe-fence.js';
import type { CommitInfo, SourcePullRequest } from '../common/source-pull-request.js';
import { BODY_BUDGET } from './body-limits.js';

export interface ConflictIssueInput {
  source: SourcePullRequest;
  target: string;
  /** The target branch. */
  branch: string;
  /** The app's branch for this backport (used in the commands). */
  backportBranch: string;
  /** The whole upstream series, in order. */
  commits: readonly CommitInfo[];
  result: ConflictResult;
  /** The target tip the series was picked on, kept in the marker for `/backport resolve`. */
  onto?: string | undefined;
  mainline?: number | undefined;
  /** The merged PRs of the prerequisites named, kept in the marker (their backports' merges retry this one). */
  needs?: readonly number[] | undefined;
  /** The decisions the pick needs, and the prerequisites section, for `/backport resolve`. */
  choices?: ChoicesInput | undefined;
  /** The draft the app pushed with conflict markers, if it did. */
  draft?: { branch: string; url?: string | undefined; number?: number | undefined } | undefined;
}

const NOT_SHOWN = ' (details not shown)';
const COMMANDS_LIMIT = 20_000;
/** The choices' share of the body: the details of each hunk can be cut before them. */
const CHOICES_LIMIT = 30_000;

export function renderConflictIssueTitle(input: { source: { number: number }; target: string }): string {
  const target = flattenControlChars(input.target).slice(0, 100);
  return `Backport #${input.source.number} to ${target} needs manual adaptation`;
}

export function renderConflictIssueBody(input: ConflictIssueInput): string {
  const { result } = input;
  const marker = renderMarker({
    type: 'conflict-issue',
    source: input.source.number,
    target: input.target,
    commits: input.commits.map((c) => c.sha),
    branch: input.branch,
    ...(input.onto !== undefined ? { onto: input.onto } : {}),
    ...(input.mainline !== undefined ? { mainline: input.mainline } : {}),
    ...(input.needs && input.needs.length > 0 ? { needs: input.needs.slice(0, 20) } : {}),
  });
  const head = overview(input);
  const fullCommands = renderFinishCommands({
    branch: input.branch,
    backportBranch: input.backportBranch,
    commits: input.commits.map((c) => c.sha),
    mainline: input.mainline,
    draftPushed: input.draft !== undefined,
  });
  const commands =
    fullCommands.length <= COMMANDS_LIMIT
      ? fullCommands
      : `The series has ${input.commits.length} commits, too many to list here: cherry-pick them in the order above onto ${inlineCode(input.branch)} with \`git cherry-pick -x\`.`;
  const finish = `## Finish by hand\n\n${commands}`;
  const conflictsHeading = `## Conflicts in ${result.conflicts.length} ${result.conflicts.length === 1 ? 'file' : 'files'}`;
  const omitted = (files: number, hunks: number) =>
    `Details of ${files} ${files === 1 ? 'file' : 'files'} (${hunks} ${hunks === 1 ? 'hunk' : 'hunks'}) are not shown, to stay under GitHub's size limit. The commands under *Finish by hand* reproduce every conflict locally.`;
  const reservedNote = omitted(result.conflicts.length, 999_999_999).length;

  let available =
    BODY_BUDGET - head.length - finish.length - marker.length - conflictsHeading.length - reservedNote - 16;
  // The choices come first after the overview: they are how most conflicts are finished.
  const choices = input.choices
    ? renderChoices(input.choices, Math.min(CHOICES_LIMIT, available - 8_000))
    : '';
  available -= choices.length + 2;

  const cleanHeading = `## Applied cleanly (${result.merged.length} ${result.merged.length === 1 ? 'file' : 'files'})`;
  const cleanAll = result.merged.map((path) => `- ${inlineCode(path)}`);
  const cleanReserve =
    result.merged.length > 0 ? Math.min(total(cleanAll) + cleanHeading.length + 2, 3_000) : 0;

  // Summary lines come first: the most detailed form that fits, for every file if at all possible.
  const perFile = summaryLines(result.conflicts, available - cleanReserve);
  available -= perFile.length;

  const cleanLines = fitList(
    cleanAll,
    Math.max(0, Math.min(5_000, available) - cleanHeading.length - 2),
    (n) => `- … and ${n} more`,
  );
  const clean = result.merged.length > 0 ? [cleanHeading, '', ...cleanLines].join('\n') : '';
  available -= clean.length;

  // Details: keep them all if they fit, else drop the largest until the rest does.
  const details = result.conflicts.map((file) => fileDetails(file, input.branch));
  const shown = new Set(details.map((_, i) => i));
  let detailsSize = total(details) + details.length;
  const bySize = [...shown].sort((a, b) => details[b]!.length - details[a]!.length);
  for (const i of bySize) {
    if (detailsSize <= available) break;
    shown.delete(i);
    detailsSize -= details[i]!.length + 2;
  }

  const hiddenFiles = result.conflicts.filter((_, i) => !shown.has(i));
  const hiddenHunks = hiddenFiles.reduce((n, f) => n + f.hunks.length, 0);
  const conflicts = [
    conflictsHeading,
    hiddenFiles.length > 0 ? omitted(hiddenFiles.length, hiddenHunks) : '',
    perFile.render(shown),
    ...details.filter((_, i) => shown.has(i)),
  ]
    .filter((part) => part !== '')
    .join('\n\n');

  const body = [head, choices, conflicts, clean, finish, marker].filter((part) => part !== '').join('\n\n');
  if (body.length <= BODY_BUDGET) return body;
  // Only reachable with an enormous series (the marker lists every commit): keep the start.
  return `${body.slice(0, BODY_BUDGET - marker.length - 200)}\n\n…(cut to stay under GitHub's size limit)\n\n${marker}`;
}

/**
 * The per-file summary in the most detailed form that fits `room`: a line per file with its
 * kind; else a fenced list of paths; else as many paths as fit and a count of the rest.
 */
function summaryLines(files: readonly FileConflict[], room: number) {
  const lines = files.map((file) => fileSummaryLine(file) + NOT_SHOWN);
  if (total(lines) <= room) {
    return {
      length: total(lines),
      render: (shown: ReadonlySet<number>) =>
        lines.map((line, i) => (shown.has(i) ? line.slice(0, -NOT_SHOWN.length) : line)).join('\n'),
    };
  }
  const intro = 'Too many files to describe one by one; their paths:';
  const paths = files.map((file) => maskControlChars(file.path));
  const fitted = fitList(
    paths,
    Math.max(0, room - intro.length - 40),
    (n) => `… and ${n} more (\`git status\` lists them after the commands)`,
  );
  const text = `${intro}\n\n${fence(fitted.join('\n'))}`;
  return { length: text.length, render: () => text };
}

function total(lines: readonly string[]): number {
  return lines.reduce((sum, line) => sum + line.length + 1, 0);
}

function overview(input: ConflictIssueInput): string {
  const { source, result, branch } = input;
  const repo = repositoryUrl(source.url);
  const picked = new Map(result.picked.map((p) => [p.source, p]));
  const failedAt = result.index;
  const lines = input.commits.map((commit, i) => {
    const link = markdownLink(inlineCode(shortSha(commit.sha)), commitUrl(repo, commit.sha));
    const state =
      i < failedAt
        ? picked.get(commit.sha)?.empty
          ? `already on ${inlineCode(branch)}`
          : 'applies cleanly'
        : i === failedAt
          ? '**conflicts** (below)'
          : 'not tried yet';
    return `- ${link} ${inlineText(commit.subject, 200)}: ${state}`;
  });
  const failed = input.commits[failedAt];
  const position = input.commits.length > 1 ? `, commit ${failedAt + 1} of ${input.commits.length},` : '';
  const merged = source.merger ? `, merged by ${personName(source.merger)}` : '';
  const method =
    source.mergeMethod === 'squash'
      ? 'squash merge'
      : source.mergeMethod === 'merge'
        ? 'merge commit'
        : 'rebase merge';
  const mainline =
    input.mainline !== undefined
      ? ` The merge commit is picked relative to its parent ${input.mainline}.`
      : '';
  const draft = input.draft
    ? `A draft with conflict markers is on ${markdownLink(inlineCode(input.draft.branch), branchUrl(repo, input.draft.branch))}${
        input.draft.url
          ? `, in ${markdownLink(input.draft.number !== undefined ? `#${input.draft.number}` : 'a draft pull request', input.draft.url)}`
          : ''
      }. Do not merge it before every marker is resolved.`
    : '';
  return [
    `Backporting ${markdownLink(`#${source.number}`, source.url)} to ${inlineCode(branch)} needs a person: ${
      failed
        ? `${inlineCode(shortSha(failed.sha))}${position}`
        : `commit ${inlineCode(shortSha(result.commit))}`
    } does not apply cleanly.`,
    '',
    `> ${inlineText(source.title)}`,
    '',
    `Opened by ${personName(source.author)}${merged} into ${inlineCode(source.base)} (${method}).${mainline}`,
    '',
    '**Commits**',
    '',
    ...fitList(lines, 8_000, (n) => `- … and ${n} more commits`),
    ...(draft ? ['', draft] : []),
  ].join('\n');
}
