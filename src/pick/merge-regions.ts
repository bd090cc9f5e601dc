import type { Hunk } from './edit-script.js';

/**
 * How git's three-way line merge divides a file, computed from the two diffs base→ours and
 * base→theirs. A region is a stretch where ours changed (`ours`), theirs changed (`theirs`),
 * or both did in a way that touches or overlaps (`conflict`). Edits that touch count as a
 * conflict even when they do not overlap, and two sides making the very same edit at the
 * very same place need no region at all: both are git's rules, and both are kept.
 * Positions are 0-based line indexes into base, ours and theirs.
 */
export interface MergeRegion {
  kind: 'ours' | 'theirs' | 'conflict';
  base: number;
  baseCount: number;
  ours: number;
  oursCount: number;
  theirs: number;
  theirsCount: number;
}

export function mergeRegions(
  oursHunks: readonly Hunk[],
  theirsHunks: readonly Hunk[],
  lines: { base: number; ours: number; theirs: number },
  same: (oursAt: number, theirsAt: number, count: number) => boolean,
): MergeRegion[] {
  const regions: MergeRegion[] = [];

  // A new region that touches the previous one in ours' or theirs' coordinates joins it;
  // joining two regions of different kinds makes a conflict.
  const append = (r: MergeRegion) => {
    const last = regions[regions.length - 1];
    if (last && (r.ours <= last.ours + last.oursCount || r.theirs <= last.theirs + last.theirsCount)) {
      if (r.kind !== last.kind) last.kind = 'conflict';
      last.baseCount = r.base + r.baseCount - last.base;
      last.oursCount = r.ours + r.oursCount - last.ours;
      last.theirsCount = r.theirs + r.theirsCount - last.theirs;
    } else {
      regions.push({ ...r });
    }
  };

  // A change made by one side only; the other side's position is the base position shifted
  // by that side's offset (the line count its own earlier changes added or removed).
  const oursOnly = (o: Hunk, theirsShift: number): MergeRegion => ({
    kind: 'ours',
    base: o.startA,
    baseCount: o.countA,
    ours: o.startB,
    oursCount: o.countB,
    theirs: o.startA + theirsShift,
    theirsCount: o.countA,
  });
  const theirsOnly = (t: Hunk, oursShift: number): MergeRegion => ({
    kind: 'theirs',
    base: t.startA,
    baseCount: t.countA,
    ours: t.startA + oursShift,
    oursCount: t.countA,
    theirs: t.startB,
    theirsCount: t.countB,
  });

  let i = 0;
  let j = 0;
  while (i < oursHunks.length && j < theirsHunks.length) {
    const o = oursHunks[i]!;
    const t = theirsHunks[j]!;
    if (o.startA + o.countA < t.startA) {
      // Only ours changed here; theirs is offset as it is just before its next change.
      append(oursOnly(o, t.startB - t.startA));
      i++;
      continue;
    }
    if (t.startA + t.countA < o.startA) {
      append(theirsOnly(t, o.startB - o.startA));
      j++;
      continue;
    }
    const identical =
      o.startA === t.startA &&
      o.countA === t.countA &&
      o.countB === t.countB &&
      same(o.startB, t.startB, o.countB);
    if (!identical) {
      // Stretch both sides over the union of the two base ranges; outside its own hunk a
      // side is unchanged, so base lines map one to one onto it.
      const start = Math.min(o.startA, t.startA);
      const end = Math.max(o.startA + o.countA, t.startA + t.countA);
      const oursStart = o.startB - (o.startA - start);
      const theirsStart = t.startB - (t.startA - start);
      append({
        kind: 'conflict',
        base: start,
        baseCount: end - start,
        ours: oursStart,
        oursCount: o.startB + o.countB + (end - (o.startA + o.countA)) - oursStart,
        theirs: theirsStart,
        theirsCount: t.startB + t.countB + (end - (t.startA + t.countA)) - theirsStart,
      });
    }
    const oEnd = o.startA + o.countA;
    const tEnd = t.startA + t.countA;
    if (oEnd >= tEnd) j++;
    if (tEnd >= oEnd) i++;
  }
  // Past the other side's last change, its offset is its total length difference.
  for (; i < oursHunks.length; i++) append(oursOnly(oursHunks[i]!, lines.theirs - lines.base));
  for (; j < theirsHunks.length; j++) append(theirsOnly(theirsHunks[j]!, lines.ours - lines.base));
  return regions;
}
