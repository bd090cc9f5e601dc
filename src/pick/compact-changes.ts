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
  // The two files' groups advance in lockstep: the k-th group of one faces the k-th of the other.
  const group = new ChangeGroup(changed);
  const facing = new ChangeGroup(other);
  for (;;) {
    if (group.end !== group.start) slideGroup(lines, group, facing);
    if (!group.next()) break;
    facing.mustGoOn();
  }
}

/**
 * Slides one group as far down as it goes, merging it with neighbours it meets, then back up
 * until it lines up with a change in the other file, if it passed one on the way.
 */
function slideGroup(lines: Int32Array, group: ChangeGroup, facing: ChangeGroup): void {
  let groupSize: number;
  let earliestEnd: number;
  let endMatchingOther: number;
  // Sliding may merge the group with its neighbours; repeat until its size is stable.
  do {
    groupSize = group.end - group.start;
    endMatchingOther = -1;
    while (group.slideUp(lines)) facing.mustGoBack();
    earliestEnd = group.end;
    if (facing.end > facing.start) endMatchingOther = group.end;
    while (group.slideDown(lines)) {
      facing.mustGoOn();
      if (facing.end > facing.start) endMatchingOther = group.end;
    }
  } while (groupSize !== group.end - group.start);

  if (group.end !== earliestEnd && endMatchingOther !== -1) {
    while (facing.end === facing.start) {
      if (!group.slideUp(lines)) throw new Error('compaction lost a matching group');
      facing.mustGoBack();
    }
  }
}

/**
 * A group of one file's change map: the run [start, end) of changed lines. An empty group
 * sits between two unchanged lines, so every unchanged line ends one group.
 */
class ChangeGroup {
  start = 0;
  end = 0;

  constructor(private readonly changed: Uint8Array) {
    while (this.isChanged(this.end)) this.end++;
  }

  /** Moves to the next group; false when this is the last one. */
  next(): boolean {
    if (this.end === this.changed.length) return false;
    this.start = this.end + 1;
    this.end = this.start;
    while (this.isChanged(this.end)) this.end++;
    return true;
  }

  /** Moves to the next group, which must exist (the facing file has as many groups). */
  mustGoOn(): void {
    if (!this.next()) throw new Error('compaction lost track of the other file (moving on)');
  }

  /** Moves to the previous group, which must exist. */
  mustGoBack(): void {
    if (this.start === 0) throw new Error('compaction lost track of the other file (moving back)');
    this.end = this.start - 1;
    this.start = this.end;
    while (this.isChanged(this.start - 1)) this.start--;
  }

  /** Shifts the group up one line when the line above equals its last line, joining any group it meets. */
  slideUp(lines: Int32Array): boolean {
    if (this.start > 0 && lines[this.start - 1] === lines[this.end - 1]) {
      this.changed[--this.start] = 1;
      this.changed[--this.end] = 0;
      while (this.isChanged(this.start - 1)) this.start--;
      return true;
    }
    return false;
  }

  /** Shifts the group down one line when the line below equals its first line, joining any group it meets. */
  slideDown(lines: Int32Array): boolean {
    if (this.end < this.changed.length && lines[this.start] === lines[this.end]) {
      this.changed[this.start++] = 0;
      this.changed[this.end++] = 1;
      while (this.isChanged(this.end)) this.end++;
      return true;
    }
    return false;
  }

  private isChanged(i: number): boolean {
    return i >= 0 && i < this.changed.length && this.changed[i] === 1;
  }
}
