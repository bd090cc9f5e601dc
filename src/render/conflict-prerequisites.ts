/**
 * The "why it conflicts" section of a conflict issue: the upstream commits that last changed
 * the lines the conflicting regions expected and that the target lacks, each with its pull
 * request, whether that PR was itself asked for on this target and where its backport stands,
 * its size, and whether its lines outlive the fix; then whether picking them first makes the
 * backport apply. It has a fixed share of the body (PREREQUISITES_LIMIT).
 */
import type { StatusRow } from './status-comment.js';
import { fitList } from './fit-list.js';
import { commitUrl, markdownLink, shortSha } from './links.js';
import { inlineCode, inlineText } from './no-ping.js';

/** The section's share of the issue body: a handful of rows and a few sentences. */
export const PREREQUISITES_LIMIT = 6_000;

export interface PrerequisiteRow {
  commit: string;
  subject: string;
  files: number;
  added: number;
  deleted: number;
  /** Some line it added is still in the fix's version of the file. */
  survives: boolean;
  /** The merged pull request that brought it, when GitHub knows one. */
  pull?: { number: number; url: string } | undefined;
  /** That PR carries a backport label for this target. */
  labelled: boolean;
  /** The row for this target in that PR's status comment, if the app wrote one. */
  backport?: Pick<StatusRow, 'state' | 'link'> | undefined;
}

export type PrerequisiteVerdict =
  | { clean: true; commits: readonly string[] }
  | {
      clean: false;
      reason: 'none-found' | 'still-conflicts' | 'bound' | 'prerequisite-conflicts';
      commit?: string | undefined;
    };

export interface PrerequisitesInput {
  /** The repository's web URL, for commit links. */
  repo: string;
  /** The target branch. */
  branch: string;
  /** The target as `/backport` names it, for the command that takes the prerequisites along. */
  target?: string | undefined;
  rows: readonly PrerequisiteRow[];
  verdict: PrerequisiteVerdict;
  /** Commits of the regions' history the target already has in another form. */
  onTarget: readonly { commit: string; reason: 'trailer' | 'patch-id' | 'same-author' }[];
  /** More candidates were found than tried. */
  more: number;
  /** Why the search stopped early, if it did. */
  truncated?: 'commits' | 'time' | 'shallow' | undefined;
}

export function renderPrerequisites(input: PrerequisitesInput): string {
  const branch = inlineCode(input.branch, { max: 100 });
  const heading = '## Why it conflicts: missing prerequisites';
  const parts = [heading, verdictSentence(input, branch)];
  if (input.rows.length > 0) {
    const prefix = input.verdict.clean ? new Set(input.verdict.commits) : new Set<string>();
    parts.push(
      [
        `| commit | pull request | size | its added lines | for ${branch} |`,
        '| --- | --- | --- | --- | --- |',
        ...input.rows.map((r) => tableRow(input.repo, r, prefix.has(r.commit))),
      ].join('\n'),
    );
  }
  const notes: string[] = [];
  if (input.more > 0)
    notes.push(
      `${input.more} older ${input.more === 1 ? 'commit' : 'commits'} also changed these lines and ${input.more === 1 ? 'was' : 'were'} not tried.`,
    );
  if (input.onTarget.length > 0) {
    const items = input.onTarget.map((c) => `${inlineCode(shortSha(c.commit))} (${ON_TARGET[c.reason]})`);
    notes.push(
      `Already on ${branch} in another form: ${fitList(items, 1_000, (n) => `and ${n} more`).join(', ')}.`,
    );
  }
  if (input.truncated)
    notes.push(
      `The search of the history stopped early (${TRUNCATED[input.truncated]}), so older prerequisites may be missing.`,
    );
  if (notes.length > 0) parts.push(notes.join(' '));
  const text = parts.join('\n\n');
  // Rows are few and bounded; this only guards against a pathological branch name.
  return text.length <= PREREQUISITES_LIMIT ? text : `${text.slice(0, PREREQUISITES_LIMIT - 10)}\n\n…`;
}

function verdictSentence(input: PrerequisitesInput, branch: string): string {
  const v = input.verdict;
  if (v.clean) {
    const shas = v.commits.map((c) => inlineCode(shortSha(c))).join(', then ');
    const take =
      input.target !== undefined
        ? ` To take ${v.commits.length === 1 ? 'it' : 'them'} along in one backport, comment ${inlineCode(`/backport ${input.target} with ${v.commits.map(shortSha).join(' ')}`, { max: 200 })} on the original pull request.`
        : '';
    return `Picking ${shas} first makes this backport apply cleanly to ${branch} (marked ✓ below).${take}`;
  }
  switch (v.reason) {
    case 'none-found':
      return `No upstream commit missing from ${branch} changed the conflicting lines: the difference is the branch's own.`;
    case 'prerequisite-conflicts':
      return `Picking them first does not help: ${inlineCode(shortSha(v.commit ?? ''))} does not apply to ${branch} itself.`;
    case 'still-conflicts':
      return `Picking all of them first still leaves this backport conflicting on ${branch}.`;
    case 'bound':
      return `The search stopped at its bound before any of them made this backport apply to ${branch}.`;
  }
}

function tableRow(repo: string, r: PrerequisiteRow, inPrefix: boolean): string {
  const mark = inPrefix ? '✓ ' : '';
  const commit = `${mark}${markdownLink(inlineCode(shortSha(r.commit)), commitUrl(repo, r.commit))} ${inlineText(r.subject, 120).replace(/\|/g, '\\|')}`;
  const pull = r.pull ? markdownLink(`#${r.pull.number}`, r.pull.url) : 'none found';
  const size = `${r.files} ${r.files === 1 ? 'file' : 'files'}, +${r.added} −${r.deleted}`;
  const lines = r.survives ? 'some survive the fix' : 'all replaced by the fix';
  return `| ${commit} | ${pull} | ${size} | ${lines} | ${backportCell(r)} |`;
}

function backportCell(r: PrerequisiteRow): string {
  if (!r.pull) return '';
  const asked = r.labelled ? 'labelled' : 'not labelled';
  const b = r.backport;
  if (!b) return r.labelled ? `${asked}, no backport yet` : asked;
  const link = b.link ? ` ${markdownLink(`#${b.link.number}`, b.link.url)}` : '';
  return `${asked}, backport ${STATE_NAMES[b.state] ?? b.state}${link}`;
}

const STATE_NAMES: Record<string, string> = {
  opened: 'open',
  merged: 'merged',
  closed: 'closed unmerged',
  conflict: 'conflicts',
  'already-applied': 'already on the branch',
  waiting: 'waiting',
  'in-progress': 'in progress',
  failed: 'failed',
};

const ON_TARGET: Record<string, string> = {
  trailer: 'cherry-picked',
  'patch-id': 'same patch',
  'same-author': 'same authored commit',
};

const TRUNCATED: Record<string, string> = {
  commits: 'too many commits',
  time: 'time bound',
  shallow: 'the history fetched ends there',
};
