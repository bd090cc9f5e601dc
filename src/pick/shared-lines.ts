import { LineInterner, splitLines } from './lines.js';

/** A file's lines and their interned ids (equal lines, equal ids). */
export interface InternedLines {
  lines: string[];
  ids: Int32Array;
}

/** Characters compared at once while looking for where two texts part. */
const BLOCK = 256;

/**
 * Splits and interns a file's base and its other versions with one interner, for a three-way
 * merge. A version usually shares long first and last stretches with the base (an edit touches
 * a few lines of a long file): those lines are taken from the base, lines and ids, and only
 * the part in between is split and interned. The ids are exactly as interning every line
 * would make them equal or unequal, so the diffs see the same input either way.
 */
export function internVersions(
  base: string,
  versions: readonly string[],
): { base: InternedLines; versions: InternedLines[] } {
  const interner = new LineInterner();
  const baseLines = splitLines(base);
  const baseIds = interner.intern(baseLines);
  const starts = lineStarts(baseLines);
  const out = versions.map((text) => {
    const { prefix, suffix } = sharedEnds(base, text);
    const head = lineAt(starts, prefix);
    const tail = lineAt(starts, base.length - suffix);
    const middle = splitLines(text.slice(prefix, text.length - suffix));
    const middleIds = interner.intern(middle);
    const lines = baseLines.slice(0, head).concat(middle, baseLines.slice(tail));
    const ids = new Int32Array(lines.length);
    ids.set(baseIds.subarray(0, head), 0);
    ids.set(middleIds, head);
    ids.set(baseIds.subarray(tail), head + middle.length);
    return { lines, ids };
  });
  return { base: { lines: baseLines, ids: baseIds }, versions: out };
}

/**
 * How many characters two texts share at the start and at the end, each cut back to whole
 * lines (a cut falls just after a newline, or at an end of the text) and not overlapping.
 */
export function sharedEnds(a: string, b: string): { prefix: number; suffix: number } {
  const most = Math.min(a.length, b.length);
  let prefix = 0;
  while (prefix + BLOCK <= most && a.slice(prefix, prefix + BLOCK) === b.slice(prefix, prefix + BLOCK))
    prefix += BLOCK;
  while (prefix < most && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  if (!(prefix === a.length && prefix === b.length) && prefix > 0 && a.charCodeAt(prefix - 1) !== 10)
    prefix = a.lastIndexOf('\n', prefix - 1) + 1;

  const room = most - prefix;
  let suffix = 0;
  while (
    suffix + BLOCK <= room &&
    a.slice(a.length - suffix - BLOCK, a.length - suffix) ===
      b.slice(b.length - suffix - BLOCK, b.length - suffix)
  )
    suffix += BLOCK;
  while (suffix < room && a.charCodeAt(a.length - suffix - 1) === b.charCodeAt(b.length - suffix - 1))
    suffix++;
  // The shared end must start a line in both texts: just after a newline, or where the
  // shared start ends (which is a line start in both).
  if (suffix > 0 && !(startsLine(a, a.length - suffix, prefix) && startsLine(b, b.length - suffix, prefix))) {
    const nl = a.indexOf('\n', a.length - suffix);
    suffix = nl === -1 ? 0 : a.length - (nl + 1);
  }
  return { prefix, suffix };
}

/** True when `at` starts a line of `text`: just after a newline, or where the shared start ends. */
function startsLine(text: string, at: number, prefix: number): boolean {
  return at === prefix || text.charCodeAt(at - 1) === 10;
}

/** Where each line starts, plus the text's length at the end. */
function lineStarts(lines: readonly string[]): Int32Array {
  const starts = new Int32Array(lines.length + 1);
  for (let i = 0; i < lines.length; i++) starts[i + 1] = starts[i]! + lines[i]!.length;
  return starts;
}

/** The index of the line that starts at `offset` (a line start, or the text's length). */
function lineAt(starts: Int32Array, offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
