// The array diff alone, not the package's index (see upstream-patch.ts).
import { diffArrays } from 'diff/lib/diff/array.js';
import { BackportError } from '../errors.js';

/**
 * Marks which lines of `a` and `b` are changed, with the histogram algorithm, because that is
 * the one git's merge machinery (merge-ort) uses for content merges. Matching git here
 * matters: where a diff places an inserted block decides whether two edits touch, and so
 * whether git calls a merge clean or conflicted.
 *
 * The algorithm: in the region being compared, count how often each line occurs in `a`;
 * find the longest run of common lines that starts from the rarest line (lines seen more
 * than 64 times cannot start a run); split the region around that run and recurse on both
 * sides. When every common line is too frequent, the region falls back to a Myers diff.
 *
 * Input lines are interned ids; output `changedA[i]`/`changedB[j]` is 1 for a changed line.
 *
 * Both the recursion (quadratic on adversarial input) and the Myers fallback (lines × edits)
 * run on the app's one thread, so the whole diff has a work budget: steps of indexing and
 * run extension, and for Myers its lines × edit distance. Past it the diff throws
 * `diff-too-large` and the merge reports a conflict: the app never guesses an alignment.
 */
const MAX_CHAIN = 64;
/** Steps a diff may take: a few tenths of a second, far beyond any file a person edits. */
export const DIFF_BUDGET = 60_000_000;
const NONE = -1;

export function histogramDiff(
  a: Int32Array,
  b: Int32Array,
  budget = DIFF_BUDGET,
): { changedA: Uint8Array; changedB: Uint8Array } {
  [a, b] = denseIds(a, b);
  const diff = new HistogramDiff(a, b, budget);
  diff.diffRegion(0, a.length, 0, b.length);
  return { changedA: diff.changedA, changedB: diff.changedB };
}

/**
 * The diff indexes arrays by line id, so ids must be small. They are when one interner served
 * only these files; one shared by many files (the prerequisites' search) can hand out large
 * ids, and then the two files' ids are renumbered densely, keeping which lines are equal.
 */
function denseIds(a: Int32Array, b: Int32Array): [Int32Array, Int32Array] {
  let max = -1;
  for (let i = 0; i < a.length; i++) if (a[i]! > max) max = a[i]!;
  for (let i = 0; i < b.length; i++) if (b[i]! > max) max = b[i]!;
  if (max < 4 * (a.length + b.length) + 1024) return [a, b];
  const ids = new Map<number, number>();
  const renumber = (lines: Int32Array) =>
    lines.map((line) => {
      let id = ids.get(line);
      if (id === undefined) ids.set(line, (id = ids.size));
      return id;
    });
  return [renumber(a), renumber(b)];
}

/** The best run of common lines found in a region; ends are inclusive. */
interface Anchor {
  found: boolean;
  /** Whether the region's two sides share any line at all. */
  hasCommon: boolean;
  /** The lowest occurrence count of the run's lines in `a` (how rare the run is). */
  bestCnt: number;
  startA: number;
  startB: number;
  endA: number;
  endB: number;
}

/** One diff of `a` against `b`, with the scratch space its regions share. */
class HistogramDiff {
  readonly changedA: Uint8Array;
  readonly changedB: Uint8Array;
  /** For each position of `a`, the next position of the same line in the region, or NONE. */
  private readonly next: Int32Array;
  /**
   * Per line id, for the region being diffed: the first position in `a` holding it, and how
   * many times it occurs there, valid where `stamp` is the region's number. Arrays indexed by
   * id instead of a map of records: ids are small and dense (one interner), and a region is
   * indexed afresh by moving to the next number rather than by clearing.
   */
  private readonly first: Int32Array;
  private readonly count: Int32Array;
  private readonly stamp: Int32Array;
  private region = 0;
  /** Reused by every region: a region reads its anchor before recursing. */
  private readonly anchor: Anchor = {
    found: false,
    hasCommon: false,
    bestCnt: 0,
    startA: 0,
    startB: 0,
    endA: 0,
    endB: 0,
  };

  constructor(
    private readonly a: Int32Array,
    private readonly b: Int32Array,
    /** Steps left; see DIFF_BUDGET. */
    private budget: number,
  ) {
    this.changedA = new Uint8Array(a.length);
    this.changedB = new Uint8Array(b.length);
    this.next = new Int32Array(a.length);
    let ids = 0;
    for (let i = 0; i < a.length; i++) if (a[i]! >= ids) ids = a[i]! + 1;
    this.first = new Int32Array(ids);
    this.count = new Int32Array(ids);
    this.stamp = new Int32Array(ids);
  }

  /** Diffs `count1` lines of `a` from `start1` against `count2` lines of `b` from `start2`. */
  diffRegion(start1: number, count1: number, start2: number, count2: number): void {
    // The right-hand side of each split is handled by looping, not recursing, so long files
    // with many anchors do not exhaust the stack.
    for (;;) {
      if (count1 <= 0 || count2 <= 0) {
        this.markChanged(start1, count1, start2, count2);
        return;
      }
      const end1 = start1 + count1 - 1;
      const end2 = start2 + count2 - 1;
      this.indexRegion(start1, end1);
      const anchor = this.findAnchor(start1, end1, start2, end2);
      if (anchor.hasCommon && MAX_CHAIN < anchor.bestCnt) {
        this.myers(start1, count1, start2, count2);
        return;
      }
      if (!anchor.found) {
        this.markChanged(start1, count1, start2, count2);
        return;
      }
      const { endA, endB } = anchor;
      this.diffRegion(start1, anchor.startA - start1, start2, anchor.startB - start2);
      count1 = end1 - endA;
      start1 = endA + 1;
      count2 = end2 - endB;
      start2 = endB + 1;
    }
  }

  /** Takes `steps` from the budget, or gives up on the whole diff. */
  private spend(steps: number): void {
    this.budget -= steps;
    if (this.budget < 0) throw tooLarge(this.a.length, this.b.length);
  }

  /** The Myers fallback, with an edit distance that keeps lines × edits within the budget. */
  private myers(start1: number, count1: number, start2: number, count2: number): void {
    const lines = count1 + count2;
    const maxEditLength = Math.floor(this.budget / lines);
    if (maxEditLength < 1) throw tooLarge(this.a.length, this.b.length);
    const left = Array.from(this.a.subarray(start1, start1 + count1));
    const right = Array.from(this.b.subarray(start2, start2 + count2));
    const parts = diffArrays(left, right, { maxEditLength });
    if (!parts) throw tooLarge(this.a.length, this.b.length);
    let edits = 0;
    for (const p of parts) if (p.added || p.removed) edits += p.count;
    this.spend(lines * edits);
    markParts(parts, this.changedA, this.changedB, start1, start2);
  }

  /** Marks both ranges wholly changed (an empty range marks nothing). */
  private markChanged(start1: number, count1: number, start2: number, count2: number): void {
    if (count1 > 0) this.changedA.fill(1, start1, start1 + count1);
    if (count2 > 0) this.changedB.fill(1, start2, start2 + count2);
  }

  /** Indexes the region of `a`, scanning backwards so each chain lists positions in order. */
  private indexRegion(start1: number, end1: number): void {
    const { a, next, first, count, stamp } = this;
    this.spend(end1 - start1 + 1);
    const region = ++this.region;
    for (let ptr = end1; ptr >= start1; ptr--) {
      const line = a[ptr]!;
      if (stamp[line] === region) {
        next[ptr] = first[line]!;
        first[line] = ptr;
        count[line]!++;
      } else {
        stamp[line] = region;
        next[ptr] = NONE;
        first[line] = ptr;
        count[line] = 1;
      }
    }
  }

  /**
   * For each line of `b`'s region that `a` has, extends a common run around each of its
   * occurrences in `a`, and keeps the longest run, or a rarer one. Lines of `b` inside a run
   * already examined are skipped.
   */
  private findAnchor(start1: number, end1: number, start2: number, end2: number): Anchor {
    const { a, b, next, first, count, stamp, anchor } = this;
    const region = this.region;
    // Lines of `b` that `a` lacks altogether have ids past the arrays' end.
    const ids = stamp.length;
    let bestCnt = MAX_CHAIN + 1;
    let hasCommon = false;
    let found = false;
    let bestLen = 0;
    let bPtr = start2;
    while (bPtr <= end2) {
      let bNext = bPtr + 1;
      const line = b[bPtr]!;
      if (line < ids && stamp[line] === region) {
        hasCommon = true;
        const lineCount = count[line]!;
        if (lineCount <= bestCnt) {
          let as = first[line]!;
          for (;;) {
            let np = next[as]!;
            let bs = bPtr;
            let ae = as;
            let be = bs;
            let rc = lineCount;
            while (start1 < as && start2 < bs && a[as - 1] === b[bs - 1]) {
              as--;
              bs--;
              if (1 < rc) rc = Math.min(rc, count[a[as]!]!);
            }
            while (ae < end1 && be < end2 && a[ae + 1] === b[be + 1]) {
              ae++;
              be++;
              if (1 < rc) rc = Math.min(rc, count[a[ae]!]!);
            }
            this.spend(1 + ae - as);
            if (bNext <= be) bNext = be + 1;
            if (bestLen < ae - as || rc < bestCnt) {
              anchor.startA = as;
              anchor.startB = bs;
              anchor.endA = ae;
              anchor.endB = be;
              bestLen = ae - as;
              bestCnt = rc;
              found = true;
            }
            if (np === NONE) break;
            while (np !== NONE && np <= ae) np = next[np]!;
            if (np === NONE) break;
            as = np;
          }
        }
      }
      bPtr = bNext;
    }
    anchor.found = found;
    anchor.hasCommon = hasCommon;
    anchor.bestCnt = bestCnt;
    return anchor;
  }
}

/**
 * The fallback for regions made only of very frequent lines marks what jsdiff's Myers found.
 * git falls back to its own Myers implementation here; jsdiff's may align such regions
 * differently, which the later compaction step mostly evens out. The README lists this as a
 * known difference.
 */
function markParts(
  parts: ReadonlyArray<{ added: boolean; removed: boolean; count: number }>,
  changedA: Uint8Array,
  changedB: Uint8Array,
  start1: number,
  start2: number,
): void {
  let i = start1;
  let j = start2;
  for (const part of parts) {
    const n = part.count;
    if (part.added) {
      changedB.fill(1, j, j + n);
      j += n;
    } else if (part.removed) {
      changedA.fill(1, i, i + n);
      i += n;
    } else {
      i += n;
      j += n;
    }
  }
}

function tooLarge(linesA: number, linesB: number): BackportError<'diff-too-large'> {
  return new BackportError(
    'diff-too-large',
    `A diff of ${linesA} against ${linesB} lines needs more work than the app allows; it is left for a person to merge.`,
    { linesA, linesB },
  );
}
