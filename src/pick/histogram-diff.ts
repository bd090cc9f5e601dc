import { diffArrays } from 'diff';

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
 */
const MAX_CHAIN = 64;
const NONE = -1;

interface LineRecord {
  /** The first position in `a` (within the region) holding this line. */
  ptr: number;
  /** How many times it occurs in the region of `a`. */
  cnt: number;
}

export function histogramDiff(a: Int32Array, b: Int32Array): { changedA: Uint8Array; changedB: Uint8Array } {
  const changedA = new Uint8Array(a.length);
  const changedB = new Uint8Array(b.length);
  const next = new Int32Array(a.length);
  const recordAt: LineRecord[] = new Array<LineRecord>(a.length);
  diffRegion(a, b, changedA, changedB, next, recordAt, 0, a.length, 0, b.length);
  return { changedA, changedB };
}

function diffRegion(
  a: Int32Array,
  b: Int32Array,
  changedA: Uint8Array,
  changedB: Uint8Array,
  next: Int32Array,
  recordAt: LineRecord[],
  start1: number,
  count1: number,
  start2: number,
  count2: number,
): void {
  // The right-hand side of each split is handled by looping, not recursing, so long files
  // with many anchors do not exhaust the stack.
  for (;;) {
    if (count1 <= 0 && count2 <= 0) return;
    if (count1 <= 0) {
      changedB.fill(1, start2, start2 + count2);
      return;
    }
    if (count2 <= 0) {
      changedA.fill(1, start1, start1 + count1);
      return;
    }
    const end1 = start1 + count1 - 1;
    const end2 = start2 + count2 - 1;

    // Index the region of `a`, scanning backwards so each chain lists positions in order.
    const records = new Map<number, LineRecord>();
    for (let ptr = end1; ptr >= start1; ptr--) {
      const line = a[ptr]!;
      const rec = records.get(line);
      if (rec) {
        next[ptr] = rec.ptr;
        rec.ptr = ptr;
        rec.cnt++;
        recordAt[ptr] = rec;
      } else {
        const fresh = { ptr, cnt: 1 };
        next[ptr] = NONE;
        records.set(line, fresh);
        recordAt[ptr] = fresh;
      }
    }

    // Find the best anchor run.
    let bestCnt = MAX_CHAIN + 1;
    let hasCommon = false;
    let found = false;
    let as0 = 0;
    let bs0 = 0;
    let ae0 = 0;
    let be0 = 0;
    let bestLen = 0;
    let bPtr = start2;
    while (bPtr <= end2) {
      let bNext = bPtr + 1;
      const rec = records.get(b[bPtr]!);
      if (rec) {
        hasCommon = true;
        if (rec.cnt <= bestCnt) {
          let as = rec.ptr;
          for (;;) {
            let np = next[as]!;
            let bs = bPtr;
            let ae = as;
            let be = bs;
            let rc = rec.cnt;
            while (start1 < as && start2 < bs && a[as - 1] === b[bs - 1]) {
              as--;
              bs--;
              if (1 < rc) rc = Math.min(rc, recordAt[as]!.cnt);
            }
            while (ae < end1 && be < end2 && a[ae + 1] === b[be + 1]) {
              ae++;
              be++;
              if (1 < rc) rc = Math.min(rc, recordAt[ae]!.cnt);
            }
            if (bNext <= be) bNext = be + 1;
            if (bestLen < ae - as || rc < bestCnt) {
              as0 = as;
              bs0 = bs;
              ae0 = ae;
              be0 = be;
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

    if (hasCommon && MAX_CHAIN < bestCnt) {
      myersRegion(a, b, changedA, changedB, start1, count1, start2, count2);
      return;
    }
    if (!found) {
      changedA.fill(1, start1, start1 + count1);
      changedB.fill(1, start2, start2 + count2);
      return;
    }
    diffRegion(a, b, changedA, changedB, next, recordAt, start1, as0 - start1, start2, bs0 - start2);
    count1 = end1 - ae0;
    start1 = ae0 + 1;
    count2 = end2 - be0;
    start2 = be0 + 1;
  }
}

/**
 * The fallback for regions made only of very frequent lines. git falls back to its own
 * Myers implementation here; jsdiff's Myers may align such regions differently, which the
 * later compaction step mostly evens out. The README lists this as a known difference.
 */
function myersRegion(
  a: Int32Array,
  b: Int32Array,
  changedA: Uint8Array,
  changedB: Uint8Array,
  start1: number,
  count1: number,
  start2: number,
  count2: number,
): void {
  const left = Array.from(a.subarray(start1, start1 + count1));
  const right = Array.from(b.subarray(start2, start2 + count2));
  let i = start1;
  let j = start2;
  for (const part of diffArrays(left, right)) {
    const n = part.count ?? part.value.length;
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
