/**
 * One conflicting hunk as a person needs it: the upstream change, what the target branch
 * has in that place (with its line numbers, so the spot is found at once), and the text the
 * change was written against.
 */
import type { ConflictHunk, LineRange } from '../pick/types.js';
import { inlineCode } from './no-ping.js';
import { fence } from './safe-fence.js';

/** Beyond these, a block says how much it does not show; the commands show everything. */
export const MAX_BLOCK_LINES = 200;
export const MAX_LINE_LENGTH = 1_000;

/** "lines 10–14", "line 10", or "nothing (before line 10)" for an empty range. */
export function describeRange(range: LineRange): string {
  if (range.count === 0) return `no lines (just before line ${range.start})`;
  if (range.count === 1) return `line ${range.start}`;
  return `lines ${range.start}–${range.start + range.count - 1}`;
}

function clip(line: string): string {
  const text = line.replace(/\r?\n$/, '');
  if (text.length <= MAX_LINE_LENGTH) return text;
  return `${text.slice(0, MAX_LINE_LENGTH)} … [${(text.length - MAX_LINE_LENGTH).toLocaleString('en-US')} more characters]`;
}

/** File lines with their numbers, starting at `start`. */
export function numberedBlock(lines: readonly string[], start: number): string {
  if (lines.length === 0) return '';
  const shown = lines.slice(0, MAX_BLOCK_LINES);
  const width = String(start + shown.length - 1).length;
  const body = shown.map((line, i) => `${String(start + i).padStart(width)} | ${clip(line)}`);
  if (lines.length > shown.length) body.push(`… ${lines.length - shown.length} more lines`);
  return fence(body.join('\n'));
}

function diffBlock(patch: string): string {
  const lines = patch.replace(/\n$/, '').split('\n');
  const shown = lines.slice(0, MAX_BLOCK_LINES).map(clip);
  if (lines.length > shown.length) shown.push(`… ${lines.length - shown.length} more lines`);
  return fence(shown.join('\n'), 'diff');
}

export function renderHunk(
  hunk: ConflictHunk,
  context: { index: number; count: number; path: string; branch: string },
): string {
  const { branch } = context;
  const ours =
    hunk.oursLines.length > 0
      ? [
          `What ${inlineCode(branch)} has at ${describeRange(hunk.ours)}:`,
          '',
          numberedBlock(hunk.oursLines, hunk.ours.start),
        ]
      : [
          `${inlineCode(branch)} has none of these lines: they were removed just before its line ${hunk.ours.start}.`,
        ];
  const base =
    hunk.baseLines.length > 0
      ? [
          '<details><summary>What upstream expected to find (' +
            describeRange(hunk.base) +
            ' before the change)</summary>',
          '',
          numberedBlock(hunk.baseLines, hunk.base.start),
          '',
          '</details>',
        ]
      : ['Upstream expected to find nothing here: its change only adds lines.'];
  return [
    `#### Hunk ${context.index + 1} of ${context.count}: ${describeRange(hunk.ours)} on ${inlineCode(branch)}`,
    '',
    'Upstream change:',
    '',
    diffBlock(hunk.patch),
    '',
    ...ours,
    '',
    ...base,
  ].join('\n');
}
