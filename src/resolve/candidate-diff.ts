import { formatPatch, OMIT_HEADERS, structuredPatch } from 'diff';
import { displayText } from '../pick/lines.js';

const CONTEXT = 3;

/**
 * What a candidate changes in the branch's file, as a unified diff a person reads: the
 * branch's lines around a region (or the whole file) against what the candidate leaves.
 * Line numbers are the branch file's. Text is shown as the UTF-8 it most likely is.
 */
export function regionDiff(
  oursLines: readonly string[],
  region: { start: number; count: number },
  replacement: readonly string[],
): string {
  const from = Math.max(0, region.start - CONTEXT);
  const to = Math.min(oursLines.length, region.start + region.count + CONTEXT);
  const before = oursLines.slice(from, region.start);
  const after = oursLines.slice(region.start + region.count, to);
  const oldText = [...before, ...oursLines.slice(region.start, region.start + region.count), ...after];
  const newText = [...before, ...replacement, ...after];
  return unified(oldText.join(''), newText.join(''), from);
}

/** The whole-file form: the branch's file (null when it has none) against the candidate's. */
export function fileDiff(oldText: string | null, newText: string | null): string {
  if (oldText === newText) return '';
  return unified(oldText ?? '', newText ?? '', 0);
}

function unified(oldText: string, newText: string, offset: number): string {
  if (oldText === newText) return '';
  const patch = structuredPatch('', '', displayText(oldText), displayText(newText), undefined, undefined, {
    context: CONTEXT,
  });
  for (const h of patch.hunks) {
    h.oldStart += offset;
    h.newStart += offset;
  }
  const text = formatPatch({ ...patch, oldFileName: undefined, newFileName: undefined }, OMIT_HEADERS);
  return text.endsWith('\n') ? text : `${text}\n`;
}
