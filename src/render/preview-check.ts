/**
 * The "Backport preview" check run's text: a title, one summary line per target (applies
 * cleanly, conflicts in N files, already there, or why it cannot be picked), and in the text
 * a short excerpt of each conflict. GitHub caps a check's summary and text at 65,535
 * characters each; both stay under the bodies' budget.
 */
import type { FileConflict } from '../pick/types.js';
import { BODY_BUDGET } from './body-limits.js';
import { kindName } from './conflict-file.js';
import { fitList } from './fit-list.js';
import { inlineCode, inlineText } from './no-ping.js';
import { fence } from './safe-fence.js';

export const PREVIEW_CHECK_NAME = 'Backport preview';

export type PreviewOutcome =
  | { target: string; branch: string; state: 'clean' | 'already-applied' }
  | { target: string; branch: string; state: 'conflict'; conflicts: FileConflict[] }
  | { target: string; branch: string; state: 'refused'; reason: string };

export interface PreviewCheckText {
  title: string;
  summary: string;
  text: string;
}

/** Files named on a summary line, and lines quoted per conflicting file in the text. */
const FILES_ON_LINE = 5;
const EXCERPT_LINES = 6;
const EXCERPT_FILES = 10;

/** The check's output for a PR whose backports were all worked out. */
export function renderPreviewCheck(outcomes: readonly PreviewOutcome[]): PreviewCheckText {
  const conflicts = outcomes.filter((o) => o.state === 'conflict').length;
  const refused = outcomes.filter((o) => o.state === 'refused').length;
  const title =
    conflicts > 0
      ? `Conflicts on ${conflicts} of ${countTargets(outcomes.length)}`
      : refused > 0
        ? `Cannot be picked to ${refused} of ${countTargets(outcomes.length)}`
        : `Applies to ${outcomes.length === 1 ? 'its target' : `all ${countTargets(outcomes.length)}`}`;
  const lines = outcomes.map(summaryLine);
  const summary = [
    'What a backport would do if this pull request were merged now (picked from its test merge):',
    '',
    ...fitList(lines, BODY_BUDGET - 200, (n) => `- … and ${n} more targets`),
  ].join('\n');
  const excerpts = outcomes.flatMap((o) => (o.state === 'conflict' ? [conflictExcerpt(o)] : []));
  return { title, summary, text: fitText(excerpts) };
}

/** The check's output when the pull request cannot be previewed (it conflicts with its base...). */
export function renderPreviewUnavailable(reason: string): PreviewCheckText {
  return { title: 'No preview', summary: inlineText(reason, 1000), text: '' };
}

function countTargets(n: number): string {
  return `${n} ${n === 1 ? 'target' : 'targets'}`;
}

function summaryLine(o: PreviewOutcome): string {
  const where = inlineCode(o.branch);
  switch (o.state) {
    case 'clean':
      return `- ✅ applies cleanly to ${where}`;
    case 'already-applied':
      return `- ☑️ already on ${where}`;
    case 'refused':
      return `- ⛔ ${where}: ${inlineText(o.reason, 500)}`;
    case 'conflict': {
      const n = o.conflicts.length;
      const names = o.conflicts.slice(0, FILES_ON_LINE).map((f) => inlineCode(f.path, { max: 120 }));
      const more = n > FILES_ON_LINE ? ` and ${n - FILES_ON_LINE} more` : '';
      return `- ⚠️ conflicts in ${n} ${n === 1 ? 'file' : 'files'} on ${where}: ${names.join(', ')}${more}`;
    }
  }
}

/** Per conflicting file: what kind of conflict, and the first hunk's two sides in a few lines. */
function conflictExcerpt(o: Extract<PreviewOutcome, { state: 'conflict' }>): string {
  const parts = [`### ${inlineCode(o.branch)}`];
  for (const file of o.conflicts.slice(0, EXCERPT_FILES)) {
    parts.push(`- ${inlineCode(file.path)}: ${kindName(file.kind)}`);
    const hunk = file.hunks[0];
    if (!hunk) continue;
    const side = (mark: string, lines: readonly string[]) =>
      lines.slice(0, EXCERPT_LINES).map((l) => `${mark} ${l.replace(/\r?\n$/, '').slice(0, 200)}`);
    const excerpt = [
      `@@ ${o.branch} has (line ${hunk.ours.start}) @@`,
      ...side('-', hunk.oursLines),
      `@@ upstream expected @@`,
      ...side(' ', hunk.baseLines),
      `@@ upstream wrote @@`,
      ...side('+', hunk.theirsLines),
    ];
    parts.push(fence(excerpt.join('\n'), 'diff'));
  }
  if (o.conflicts.length > EXCERPT_FILES)
    parts.push(`… and ${o.conflicts.length - EXCERPT_FILES} more files`);
  return parts.join('\n');
}

/** Whole excerpts that fit in the budget, then a line saying how many were left out. */
function fitText(excerpts: readonly string[]): string {
  const kept: string[] = [];
  let used = 0;
  for (const e of excerpts) {
    if (used + e.length + 2 > BODY_BUDGET - 200) break;
    kept.push(e);
    used += e.length + 2;
  }
  if (kept.length < excerpts.length) kept.push(`… ${excerpts.length - kept.length} more targets not shown`);
  return kept.join('\n\n');
}
