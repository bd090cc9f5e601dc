/**
 * The body of a backport pull request: where it comes from, what was picked and how, what
 * was copied, and the hidden marker that lets a re-run find it. A draft that holds conflict
 * markers opens with a warning nobody can miss.
 */
import type { FileComparison } from '../pick/compare-changes.js';
import type { FileConflict } from '../pick/types.js';
import { renderReviewGuide } from './review-guide.js';
import { commitUrl, markdownLink, repositoryUrl, shortSha } from './links.js';
import { renderMarker } from './marker.js';
import { inlineCode, inlineText, personName } from './no-ping.js';
import { fitList } from './fit-list.js';
import { renderMarkdownTemplate } from './template-values.js';
import type { CommitInfo, SourcePullRequest } from '../common/source-pull-request.js';
import { BODY_BUDGET } from './body-limits.js';
import { renderCopiedSection, type CopiedFields } from './copied-section.js';

/** A draft pull request whose last commit holds conflict markers. */
export interface DraftConflict {
  /** The upstream commit that did not apply. */
  failedCommit: string;
  conflicts: readonly FileConflict[];
  /** The conflict issue, when one was filed. */
  issueUrl?: string | undefined;
  issueNumber?: number | undefined;
}

export interface BackportPrBodyInput {
  source: SourcePullRequest;
  target: string;
  /** The target branch. */
  branch: string;
  /** The upstream series, in order. */
  commits: readonly CommitInfo[];
  /** Upstream commits whose change was already on the target (nothing to pick). */
  emptyCommits?: readonly string[];
  /** Set when a merge commit was picked against this parent (`git cherry-pick -m`). */
  mainline?: number | undefined;
  copied: CopiedFields;
  /** `body` from `.github/backport.yml`; absent means the built-in body. */
  template?: string | undefined;
  conflict?: DraftConflict | undefined;
  /** Set when a person finished a conflicted pick with `/backport resolve`. */
  resolution?: Resolution | undefined;
  /** How the change on the target compares with the original, file by file. */
  comparison?: readonly FileComparison[] | undefined;
  /** Commits picked first, as `/backport v1.2 with …` named them (the comparison is of the PR's own). */
  prerequisites?: readonly { sha: string; subject: string; pull?: number | undefined }[] | undefined;
}

/** A conflicted pick finished from GitHub: who answered what, on which conflict issue. */
export interface Resolution {
  /** The upstream commit that conflicted. */
  failedCommit: string;
  /** The answer as given (`1A 2C`, `all A`; '' when only a patch was given). */
  answers: string;
  /** The choices as plain lines: `1 src/a.c: A (keep the branch's lines)`. */
  choices: readonly string[];
  patch: boolean;
  by: string;
  issueNumber: number;
  issueUrl: string;
  /** Names the answer (with its patch) in the hidden marker, so a repeat is recognised. */
  key: string;
}

/** Kinds whose files get diff3 conflict markers in the draft; the others need a decision. */
const MARKER_KINDS = new Set(['content', 'add/add']);

export function renderBackportPrBody(input: BackportPrBodyInput): string {
  const marker = renderMarker({
    type: 'backport-pr',
    source: input.source.number,
    target: input.target,
    commits: input.commits.map((c) => c.sha),
    ...(input.resolution ? { issue: input.resolution.issueNumber, resolution: input.resolution.key } : {}),
  });
  const warning = input.conflict
    ? draftWarning(input, input.conflict)
    : input.resolution
      ? resolved(input.resolution)
      : '';
  const main = input.template
    ? renderMarkdownTemplate(input.template, input)
    : [origin(input), picked(input), copied(input)].join('\n\n');
  const room = BODY_BUDGET - marker.length - main.length - 4;
  const top = warning.length > room ? draftWarning(input, input.conflict!, Math.max(0, room)) : warning;
  const review = renderReviewGuide(input.source.number, input.comparison ?? [], room - top.length - 4);
  return [top, main, review, marker].filter((part) => part !== '').join('\n\n');
}

function origin({ source, branch }: BackportPrBodyInput): string {
  const merged = source.merger ? `, merged by ${personName(source.merger)}` : '';
  return [
    `Backport of ${markdownLink(`#${source.number}`, source.url)} to ${inlineCode(branch)}.`,
    '',
    `> ${inlineText(source.title)}`,
    '',
    `Opened by ${personName(source.author)}${merged} into ${inlineCode(source.base)} (${METHOD_NAMES[source.mergeMethod]}).`,
  ].join('\n');
}

const METHOD_NAMES = { squash: 'squash merge', merge: 'merge commit', rebase: 'rebase merge' } as const;

function picked(input: BackportPrBodyInput): string {
  const repo = repositoryUrl(input.source.url);
  const empty = new Set(input.emptyCommits ?? []);
  const failed = input.conflict?.failedCommit;
  let reached = false;
  const lines = input.commits.map((commit) => {
    const link = markdownLink(inlineCode(shortSha(commit.sha)), commitUrl(repo, commit.sha));
    let note = '';
    if (reached) note = ' (not picked: an earlier commit conflicted)';
    else if (commit.sha === input.resolution?.failedCommit)
      note = ` (conflicted: resolved as chosen in #${input.resolution.issueNumber})`;
    else if (commit.sha === failed) {
      note = ' (**conflicts**: committed with conflict markers)';
      reached = true;
    } else if (empty.has(commit.sha)) note = ` (already on ${inlineCode(input.branch)}: nothing to pick)`;
    return `- ${link} ${inlineText(commit.subject, 200)}${note}`;
  });
  const of = `#${input.source.number}`;
  const how =
    input.mainline !== undefined
      ? `The merge commit of ${of} was picked relative to its parent ${input.mainline} (as \`git cherry-pick -x -m ${input.mainline}\`).`
      : input.commits.length === 1
        ? `The ${input.source.mergeMethod === 'squash' ? 'squash commit' : 'commit'} of ${of} was picked as \`git cherry-pick -x\` would.`
        : `The ${input.commits.length} commits of ${of} were picked in order, as \`git cherry-pick -x\` would.`;
  const list = fitList(lines, 20_000, (hidden) => `- … and ${hidden} more commits`);
  return [`**Picked by Backport Assistant.** ${how}`, '', ...list, ...prerequisites(input, repo)].join('\n');
}

/** The prerequisites taken along, picked (in this order) before the commits above. */
function prerequisites(input: BackportPrBodyInput, repo: string): string[] {
  const taken = input.prerequisites ?? [];
  if (taken.length === 0) return [];
  const lines = taken.map((p) => {
    const link = markdownLink(inlineCode(shortSha(p.sha)), commitUrl(repo, p.sha));
    const from = p.pull !== undefined ? ` (from #${p.pull})` : '';
    return `- ${link} ${inlineText(p.subject, 200)}${from}`;
  });
  return [
    '',
    `**Prerequisites taken along**, picked first, in this order, each with its own \`-x\` trailer:`,
    '',
    ...fitList(lines, 5_000, (hidden) => `- … and ${hidden} more commits`),
  ];
}

function resolved(r: Resolution): string {
  const answer = r.answers ? inlineCode(`/backport resolve ${r.answers}`, { max: 200 }) : 'a patch';
  const patch = r.answers && r.patch ? ' and a patch' : '';
  const lines = fitList(
    r.choices.map((c) => `- ${inlineText(c, 300)}`),
    8_000,
    (n) => `- … and ${n} more`,
  );
  return [
    `**Resolved by ${personName(r.by)}** with ${answer}${patch} on ${markdownLink(`#${r.issueNumber}`, r.issueUrl)}: commit ${inlineCode(shortSha(r.failedCommit))} did not apply cleanly, and this pull request holds the resolution chosen there. Review it like any change; ${markdownLink(`#${r.issueNumber}`, r.issueUrl)} is closed when this pull request merges.`,
    ...(lines.length > 0 ? ['', 'Choices:', '', ...lines] : []),
    ...(r.patch ? ['', 'A patch from the comment was applied on top of the choices.'] : []),
  ].join('\n');
}

function copied({ source, copied: c }: BackportPrBodyInput): string {
  return renderCopiedSection(source.number, c);
}

function draftWarning(input: BackportPrBodyInput, conflict: DraftConflict, budget = 20_000): string {
  const withMarkers = conflict.conflicts.filter((f) => MARKER_KINDS.has(f.kind));
  const decisions = conflict.conflicts.filter((f) => !MARKER_KINDS.has(f.kind));
  const issue =
    conflict.issueUrl !== undefined
      ? ` Every conflicting hunk is shown in ${markdownLink(conflict.issueNumber !== undefined ? `#${conflict.issueNumber}` : 'the conflict issue', conflict.issueUrl)}.`
      : '';
  const head = [
    '> [!CAUTION]',
    `> **Do not merge this pull request as it is.** Commit ${inlineCode(shortSha(conflict.failedCommit))} did not apply cleanly to ${inlineCode(input.branch)}, so this draft contains unresolved conflict markers (\`<<<<<<<\`, \`|||||||\`, \`=======\`, \`>>>>>>>\`). Resolve every one of them, push, then mark the pull request ready for review.${issue}`,
  ].join('\n');
  const fileLine = (f: FileConflict) => `- ${inlineCode(f.path)} (${f.kind})`;
  const sections = [head];
  const share = Math.max(0, budget - head.length) / 2;
  if (withMarkers.length > 0) {
    sections.push(
      [
        'Files with conflict markers:',
        '',
        ...fitList(withMarkers.map(fileLine), share, (n) => `- … and ${n} more files`),
      ].join('\n'),
    );
  }
  if (decisions.length > 0) {
    sections.push(
      [
        'Files that need a decision (no markers could be written; see the conflict issue):',
        '',
        ...fitList(decisions.map(fileLine), share, (n) => `- … and ${n} more files`),
      ].join('\n'),
    );
  }
  return sections.join('\n\n');
}
