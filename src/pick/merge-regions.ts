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

/** Walks both sides' hunks in base order, turning them into regions. */
export function mergeRegions(
  oursHunks: readonly Hunk[],
  theirsHunks: readonly Hunk[],
  lines: { base: number; ours: number; theirs: number },
  same: (oursAt: number, theirsAt: number, count: number) => boolean,
): MergeRegion[] {
  const regions: MergeRegion[] = [];
  let i = 0;
  let j = 0;
  while (i < oursHunks.length && j < theirsHunks.length) {
    const o = oursHunks[i]!;
    const t = theirsHunks[j]!;
    if (o.startA + o.countA < t.startA) {
      // Only ours changed here; theirs is offset as it is just before its next change.
      append(regions, oursOnly(o, t.startB - t.startA));
      i++;
      continue;
    }
    if (t.startA + t.countA < o.startA) {
      append(regions, theirsOnly(t, o.startB - o.startA));
      j++;
      continue;
    }
    if (!sameEdit(o, t, same)) append(regions, overlap(o, t));
    // Move past whichever hunk ends first in base (both when they end together).
    const oEnd = o.startA + o.countA;
    const tEnd = t.startA + t.countA;
    if (oEnd >= tEnd) j++;
    if (tEnd >= oEnd) i++;
  }
  // Past the other side's last change, its offset is its total length difference.
  for (; i < oursHunks.length; i++) append(regions, oursOnly(oursHunks[i]!, lines.theirs - lines.base));
  for (; j < theirsHunks.length; j++) append(regions, theirsOnly(theirsHunks[j]!, lines.ours - lines.base));
  return regions;
}

/**
 * Adds a region. One that touches the previous region in ours' or theirs' coordinates joins
 * it instead; joining two regions of different kinds makes a conflict.
 */
function append(regions: MergeRegion[], r: MergeRegion): void {
  const last = regions[regions.length - 1];
  if (last && (r.ours <= last.ours + last.oursCount || r.theirs <= last.theirs + last.theirsCount)) {
    if (r.kind !== last.kind) last.kind = 'conflict';
    last.baseCount = r.base + r.baseCount - last.base;
    last.oursCount = r.ours + r.oursCount - last.ours;
    last.theirsCount = r.theirs + r.theirsCount - last.theirs;
  } else {
    regions.push(r);
  }
}

/**
 * A change made by one side only; the other side's position is the base position shifted
 * by that side's offset (the line count its own earlier changes added or removed).
 */
function oursOnly(o: Hunk, theirsShift: number): MergeRegion {
  return {
    kind: 'ours',
    base: o.startA,
    baseCount: o.countA,
    ours: o.startB,
    oursCount: o.countB,
    theirs: o.startA + theirsShift,
    theirsCount: o.countA,
  };
}

/** The mirror of `oursOnly`. */
function theirsOnly(t: Hunk, oursShift: number): MergeRegion {
  return {
    kind: 'theirs',
    base: t.startA,
    baseCount: t.countA,
    ours: t.startA + oursShift,
    oursCount: t.countA,
    theirs: t.startB,
    theirsCount: t.countB,
  };
}

/** Both sides replaced the same base lines with the same lines: no region at all. */
function sameEdit(o: Hunk, t: Hunk, same: (oursAt: number, theirsAt: number, count: number) => boolean) {
  return (
    o.startA === t.startA &&
    o.countA === t.countA &&
    o.countB === t.countB &&
    same(o.startB, t.startB, o.countB)
  );
}

/**
 * A conflict over two hunks that touch or overlap: both sides are stretched over the union
 * of the two base ranges. Outside its own hunk a side is unchanged, so base lines map one to
 * one onto it.
 */
function overlap(o: Hunk, t: Hunk): MergeRegion {
  const start = Math.min(o.startA, t.startA);
  const end = Math.max(o.startA + o.countA, t.startA + t.countA);
  const oursStart = o.startB - (o.startA - start);
  const theirsStart = t.startB - (t.startA - start);
  return {
    kind: 'conflict',
    base: start,
    baseCount: end - start,
    ours: oursStart,
    oursCount: o.startB + o.countB + (end - (o.startA + o.countA)) - oursStart,
    theirs: theirsStart,
    theirsCount: t.startB + t.countB + (end - (t.startA + t.countA)) - theirsStart,
  };
}
