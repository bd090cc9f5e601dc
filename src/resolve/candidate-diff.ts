import { diffLines } from '../pick/diff-lines.js';
import type { Hunk } from '../pick/edit-script.js';
import { displayText, LineInterner, splitLines } from '../pick/lines.js';

const CONTEXT = 3;

/**
 * What a candidate changes in the branch's file, as a unified diff a person reads: the
 * branch's lines around a region (or the whole file) against what the candidate leaves.
 * Line numbers are the branch file's. The diff is the engine's own (histogram), so a
 * candidate reads the way the conflict report does; text is shown as the UTF-8 it most
 * likely is.
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
  const old = [...before, ...oursLines.slice(region.start, region.start + region.count), ...after];
  return unified(old, [...before, ...replacement, ...after], from);
}

/** The whole-file form: the branch's file (null when it has none) against the candidate's. */
export function fileDiff(oldText: string | null, newText: string | null): string {
  if (oldText === newText) return '';
  return unified(splitLines(oldText ?? ''), splitLines(newText ?? ''), 0);
}

/** Unified-diff hunks of `a` → `b`, nearby changes sharing one hunk; `offset` shifts the line numbers. */
function unified(a: readonly string[], b: readonly string[], offset: number): string {
  const interner = new LineInterner();
  const hunks = diffLines(interner.intern(a), interner.intern(b));
  const out: string[] = [];
  for (let i = 0; i < hunks.length;) {
    // Changes closer than twice the context share a hunk.
    let j = i;
    while (j + 1 < hunks.length && hunks[j + 1]!.startA - end(hunks[j]!) <= 2 * CONTEXT) j++;
    out.push(...hunkLines(a, b, hunks.slice(i, j + 1), offset));
    i = j + 1;
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

const end = (h: Hunk) => h.startA + h.countA;

function hunkLines(
  a: readonly string[],
  b: readonly string[],
  group: readonly Hunk[],
  offset: number,
): string[] {
  const first = group[0]!;
  const last = group[group.length - 1]!;
  const from = Math.max(0, first.startA - CONTEXT);
  const to = Math.min(a.length, end(last) + CONTEXT);
  const fromB = first.startB - (first.startA - from);
  const lines: string[] = [];
  const push = (prefix: string, line: string) => {
    lines.push(prefix + displayText(line.replace(/\r?\n$/, '')));
    if (!line.endsWith('\n')) lines.push('\\ No newline at end of file');
  };
  let at = from;
  for (const h of group) {
    for (; at < h.startA; at++) push(' ', a[at]!);
    for (let k = 0; k < h.countA; k++) push('-', a[h.startA + k]!);
    for (let k = 0; k < h.countB; k++) push('+', b[h.startB + k]!);
    at = end(h);
  }
  for (; at < to; at++) push(' ', a[at]!);
  const oldCount = to - from;
  const newCount = oldCount + group.reduce((s, h) => s + h.countB - h.countA, 0);
  // Unified diff names an empty range by the line before it.
  const range = (start: number, count: number) => `${count === 0 ? start : start + 1},${count}`;
  return [`@@ -${range(from + offset, oldCount)} +${range(fromB + offset, newCount)} @@`, ...lines];
}
