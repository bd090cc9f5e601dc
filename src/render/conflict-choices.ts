/**
 * The choices section of a conflict issue: every decision the pick needs, numbered across
 * the whole pick, each with its candidates lettered in rank order (the recommended first),
 * each candidate a small diff against the branch's lines. Then the prerequisites (when
 * given) and how to answer. It fits the budget it is given: diffs go first (longest first),
 * then whole decisions, and what is cut is said.
 */
import type { Candidate, Decision } from '../resolve/index.js';
import { inlineCode, inlineText } from './no-ping.js';
import { fence } from './safe-fence.js';

export interface ChoicesInput {
  decisions: readonly Decision[];
  /** A rendered "why it conflicts" section (missing prerequisites), placed before the answer. */
  prerequisites?: string | undefined;
}

/** Longest diff shown per candidate: candidates are meant to be small. */
const DIFF_LIMIT = 2_500;

/** The section, at most `budget` characters (empty when there is nothing to choose). */
export function renderChoices(input: ChoicesInput, budget: number): string {
  const { decisions } = input;
  if (decisions.length === 0) return '';
  const example = decisions.map((d) => `${d.id}${d.candidates[0]?.id ?? 'A'}`).join(' ');
  const answer = [
    '## How to answer',
    '',
    `Comment here (or on the original pull request) with one letter per decision, for example ${inlineCode(`/backport resolve ${example}`, { max: 300 })}, or ${inlineCode('/backport resolve all A')} to take every recommended choice. Only people with write access can. The app then pushes the resolved backport and opens its pull request; nothing is resolved without an answer. A ${inlineCode('```diff')} block in the same comment is applied on top of the choices (with no choices, on top of the target branch).`,
  ].join('\n');
  const heading = `## Choices: ${decisions.length} ${decisions.length === 1 ? 'decision' : 'decisions'}`;
  const prerequisites = input.prerequisites ?? '';
  // Room for the two notes below (at most ~100 and ~420 characters) is kept aside.
  const fixed = heading.length + prerequisites.length + answer.length + 16 + 100;
  const blocks = decisions.map((d) => decisionBlock(d, true));
  const room = budget - fixed - 420;
  // First drop diffs, longest decisions first; then whole decisions from the end.
  const order = blocks.map((_, i) => i).sort((a, b) => blocks[b]!.length - blocks[a]!.length);
  let size = sum(blocks);
  for (const i of order) {
    if (size <= room) break;
    const short = decisionBlock(decisions[i]!, false);
    size -= blocks[i]!.length - short.length;
    blocks[i] = short;
  }
  let shown = blocks.length;
  while (shown > 0 && size > room) size -= blocks[--shown]!.length + 2;
  const hidden = decisions.slice(shown).map((d) => d.id);
  const cut =
    hidden.length > 0
      ? `Decisions ${hidden.join(', ').slice(0, 200)} are not shown, to stay under GitHub's size limit; answer them too (the command line tool lists them: \`backport-assistant check --stdin\`).`
      : '';
  const dropped = blocks.slice(0, shown).some((b, i) => b !== decisionBlock(decisions[i]!, true));
  const note = dropped ? 'Some candidates are shown by their label only, to stay under the size limit.' : '';
  return [heading, note, ...blocks.slice(0, shown), cut, prerequisites, answer]
    .filter((part) => part !== '')
    .join('\n\n');
}

function decisionBlock(d: Decision, withDiffs: boolean): string {
  const where = d.kind === 'region' && d.hunk !== undefined ? `, conflict ${d.hunk + 1}` : '';
  const title = `**${d.id}. ${inlineCode(d.path, { max: 200 })}** (${KIND_NAMES[d.kind] ?? inlineText(d.kind, 40)}${where})`;
  return [title, ...d.candidates.map((c) => candidateLine(d, c, withDiffs))].join('\n');
}

function candidateLine(d: Decision, c: Candidate, withDiff: boolean): string {
  const mark = c.recommended ? ' (recommended)' : '';
  const line = `- **${d.id}${c.id}**${mark}: ${inlineText(c.label, 300)}`;
  if (!withDiff || c.diff === '') return line;
  const text = c.diff;
  const diff = text.length > DIFF_LIMIT ? `${text.slice(0, DIFF_LIMIT)}\n… (cut)\n` : text;
  // Indented under the list item so the list stays one list.
  return `${line}\n\n${indent(fence(diff, 'diff'))}\n`;
}

const KIND_NAMES: Record<string, string> = {
  region: 'conflicting lines',
  file: 'whole file',
  'modify/delete': 'modified and deleted',
  'add/add': 'added on both sides',
  rename: 'renamed on both sides',
  version: 'one side or the other',
  directory: 'file and directory',
};

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => (l === '' ? l : `  ${l}`))
    .join('\n');
}

function sum(parts: readonly string[]): number {
  return parts.reduce((n, p) => n + p.length + 2, 0);
}
