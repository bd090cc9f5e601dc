/**
 * Slides each group of changed lines to a canonical position, as git's diff does after the
 * core algorithm. A group can often slide (inserting "b\n" before or after another "b\n" is
 * the same edit); git slides it as far down as it goes, then back up to line up with a
 * change in the other file if it can. Diffs and merges depend on that placement, so it is
 * reproduced exactly (without the optional indent heuristic, which merges do not use).
 *
 * `changed` and `other` are the change maps of the file being compacted and of the file it
 * was compared with; both are updated in place.
 */
export function compactChanges(lines: Int32Array, changed: Uint8Array, other: Uint8Array): void {
  const n = changed.length;
  const no = other.length;
  const isChanged = (i: number) => i >= 0 && i < n && changed[i] === 1;
  const otherChanged = (i: number) => i >= 0 && i < no && other[i] === 1;

  // A group is the run [start, end) of changed lines; an empty group sits between two
  // unchanged lines. The two files' groups advance in lockstep.
  let gStart = 0;
  let gEnd = 0;
  while (isChanged(gEnd)) gEnd++;
  let oStart = 0;
  let oEnd = 0;
  while (otherChanged(oEnd)) oEnd++;

  const nextGroup = (): boolean => {
    if (gEnd === n) return false;
    gStart = gEnd + 1;
    gEnd = gStart;
    while (isChanged(gEnd)) gEnd++;
    return true;
  };
  const nextOther = (): void => {
    if (oEnd === no) throw new Error('compaction lost track of the other file (moving on)');
    oStart = oEnd + 1;
    oEnd = oStart;
    while (otherChanged(oEnd)) oEnd++;
  };
  const previousOther = (): void => {
    if (oStart === 0) throw new Error('compaction lost track of the other file (moving back)');
    oEnd = oStart - 1;
    oStart = oEnd;
    while (otherChanged(oStart - 1)) oStart--;
  };
  const slideUp = (): boolean => {
    if (gStart > 0 && lines[gStart - 1] === lines[gEnd - 1]) {
      changed[--gStart] = 1;
      changed[--gEnd] = 0;
      while (isChanged(gStart - 1)) gStart--;
      return true;
    }
    return false;
  };
  const slideDown = (): boolean => {
    if (gEnd < n && lines[gStart] === lines[gEnd]) {
      changed[gStart++] = 0;
      changed[gEnd++] = 1;
      while (isChanged(gEnd)) gEnd++;
      return true;
    }
    return false;
  };

  for (;;) {
    if (gEnd !== gStart) {
      let groupSize: number;
      let earliestEnd: number;
      let endMatchingOther: number;
      // Sliding may merge the group with its neighbours; repeat until its size is stable.
      do {
        groupSize = gEnd - gStart;
        endMatchingOther = -1;
        while (slideUp()) previousOther();
        earliestEnd = gEnd;
        if (oEnd > oStart) endMatchingOther = gEnd;
        while (slideDown()) {
          nextOther();
          if (oEnd > oStart) endMatchingOther = gEnd;
        }
      } while (groupSize !== gEnd - gStart);

      if (gEnd !== earliestEnd && endMatchingOther !== -1) {
        while (oEnd === oStart) {
          if (!slideUp()) throw new Error('compaction lost a matching group');
          previousOther();
        }
      }
    }
    if (!nextGroup()) break;
    nextOther();
  }
}
