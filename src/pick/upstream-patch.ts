// The patch module alone (a subpath the package exports): the package's index loads all 19
// of its modules (word, CSS, JSON diffs…), a cost every fresh process paid for two functions.
import type { StructuredPatchHunk } from 'diff';
import { formatPatch, OMIT_HEADERS } from 'diff/lib/patch/create.js';
import type { Hunk } from './edit-script.js';
import { displayText } from './lines.js';

const CONTEXT = 3;

/**
 * The upstream change (base → theirs) in one stretch of base, as a unified-diff hunk with
 * git's usual three lines of context, so a person sees the edit that did not apply the way
 * `git show` would show it. `hunks` are the upstream diff's hunks inside that stretch.
 */
export function upstreamPatch(
  base: readonly string[],
  theirs: readonly string[],
  hunks: readonly Hunk[],
): string {
  if (hunks.length === 0) return '';
  const first = hunks[0]!;
  const last = hunks[hunks.length - 1]!;
  const from = Math.max(0, first.startA - CONTEXT);
  const to = Math.min(base.length, last.startA + last.countA + CONTEXT);
  const shift = first.startB - first.startA;
  const lines: string[] = [];
  const push = (prefix: string, line: string) => {
    lines.push(prefix + displayText(line.endsWith('\n') ? line.slice(0, -1) : line));
    if (!line.endsWith('\n')) lines.push('\\ No newline at end of file');
  };
  let at = from;
  for (const h of hunks) {
    for (; at < h.startA; at++) push(' ', base[at]!);
    for (let k = 0; k < h.countA; k++) push('-', base[h.startA + k]!);
    for (let k = 0; k < h.countB; k++) push('+', theirs[h.startB + k]!);
    at = h.startA + h.countA;
  }
  for (; at < to; at++) push(' ', base[at]!);
  const newCount = to - from + hunks.reduce((s, h) => s + h.countB - h.countA, 0);
  const hunk: StructuredPatchHunk = {
    oldStart: from + 1,
    oldLines: to - from,
    newStart: from + shift + 1,
    newLines: newCount,
    lines,
  };
  // Unified diff names an empty range by the line before it.
  if (hunk.oldLines === 0) hunk.oldStart--;
  if (hunk.newLines === 0) hunk.newStart--;
  const text = formatPatch(
    {
      oldFileName: undefined,
      newFileName: undefined,
      oldHeader: undefined,
      newHeader: undefined,
      hunks: [hunk],
    },
    OMIT_HEADERS,
  );
  return text.endsWith('\n') ? text : `${text}\n`;
}
