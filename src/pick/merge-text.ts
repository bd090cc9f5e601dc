import { isBackportError } from '../errors.js';
import type { ConflictHunk } from './types.js';
import { diffLines } from './diff-lines.js';
import type { Hunk } from './edit-script.js';
import { displayText } from './lines.js';
import { mergeRegions, type MergeRegion } from './merge-regions.js';
import { internVersions, type InternedLines } from './shared-lines.js';
import { upstreamPatch } from './upstream-patch.js';

export interface MergeLabels {
  ours: string;
  base: string;
  theirs: string;
}

export interface TextMerge {
  clean: boolean;
  /** The merged text; when not clean, conflicting regions carry diff3-style markers. */
  text: string;
  /** The conflicting regions, for the report. */
  hunks: ConflictHunk[];
  /** Set when a diff exceeded the engine's work budget: the whole file is one conflict. */
  tooLarge?: true;
}

/**
 * Three-way merge of one text file, deciding clean or conflicted exactly as git does by
 * default (its "zealous" level: a conflicting region whose two sides end up identical is
 * not a conflict), while writing markers in diff3 style so the base is visible to whoever
 * finishes the job. Texts are latin1-decoded bytes (see lines.ts).
 */
export function mergeText(base: string, ours: string, theirs: string, labels: MergeLabels): TextMerge {
  const interned = internVersions(base, [ours, theirs]);
  const { lines: baseLines, ids: b } = interned.base;
  const [{ lines: oursLines, ids: o }, { lines: theirsLines, ids: t }] = interned.versions as [
    InternedLines,
    InternedLines,
  ];

  let oursHunks: Hunk[];
  let theirsHunks: Hunk[];
  try {
    oursHunks = diffLines(b, o);
    theirsHunks = diffLines(b, t);
  } catch (err) {
    if (!isBackportError(err, 'diff-too-large')) throw err;
    return wholeFileConflict({ baseLines, oursLines, theirsLines }, labels);
  }
  if (oursHunks.length === 0) return { clean: true, text: theirs, hunks: [] };
  if (theirsHunks.length === 0) return { clean: true, text: ours, hunks: [] };

  const sameLines = (oi: number, ti: number, n: number) => {
    for (let k = 0; k < n; k++) if (o[oi + k] !== t[ti + k]) return false;
    return true;
  };
  const regions = mergeRegions(
    oursHunks,
    theirsHunks,
    { base: b.length, ours: o.length, theirs: t.length },
    sameLines,
  );

  const eol = oursLines[0]?.endsWith('\r\n') ? '\r\n' : '\n';
  const out: string[] = [];
  const hunks: ConflictHunk[] = [];
  let at = 0; // next line of ours to copy
  for (const r of regions) {
    for (; at < r.ours; at++) out.push(oursLines[at]!);
    if (r.kind === 'ours') {
      for (let k = 0; k < r.oursCount; k++) out.push(oursLines[r.ours + k]!);
    } else if (r.kind === 'theirs') {
      for (let k = 0; k < r.theirsCount; k++) out.push(theirsLines[r.theirs + k]!);
    } else if (resolvesToSame(r, sameLines)) {
      for (let k = 0; k < r.oursCount; k++) out.push(oursLines[r.ours + k]!);
    } else {
      writeMarkers(out, r, { baseLines, oursLines, theirsLines }, labels, eol);
      hunks.push(conflictHunk(r, baseLines, oursLines, theirsLines, theirsHunks));
    }
    at = r.ours + r.oursCount;
  }
  for (; at < oursLines.length; at++) out.push(oursLines[at]!);
  return { clean: hunks.length === 0, text: out.join(''), hunks };
}

/**
 * The answer when a diff is over the work budget: nothing is aligned, so the whole file is
 * one conflict between the two sides, with the base shown.
 */
function wholeFileConflict(
  files: { baseLines: string[]; oursLines: string[]; theirsLines: string[] },
  labels: MergeLabels,
): TextMerge {
  const { baseLines, oursLines, theirsLines } = files;
  const r: MergeRegion = {
    kind: 'conflict',
    base: 0,
    baseCount: baseLines.length,
    ours: 0,
    oursCount: oursLines.length,
    theirs: 0,
    theirsCount: theirsLines.length,
  };
  const out: string[] = [];
  const eol = oursLines[0]?.endsWith('\r\n') ? '\r\n' : '\n';
  writeMarkers(out, r, files, labels, eol);
  const hunk = conflictHunk(r, baseLines, oursLines, theirsLines, []);
  return { clean: false, text: out.join(''), hunks: [hunk], tooLarge: true };
}

/** git refines each conflict by diffing its two sides; if they are equal there is nothing to resolve. */
function resolvesToSame(r: MergeRegion, same: (oi: number, ti: number, n: number) => boolean): boolean {
  return r.oursCount > 0 && r.oursCount === r.theirsCount && same(r.ours, r.theirs, r.oursCount);
}

function writeMarkers(
  out: string[],
  r: MergeRegion,
  files: { baseLines: string[]; oursLines: string[]; theirsLines: string[] },
  labels: MergeLabels,
  eol: string,
): void {
  const side = (lines: string[], from: number, count: number) => {
    for (let k = 0; k < count; k++) out.push(lines[from + k]!);
    const last = out[out.length - 1];
    if (count > 0 && last !== undefined && !last.endsWith('\n')) out[out.length - 1] = last + eol;
  };
  out.push(`<<<<<<< ${labels.ours}${eol}`);
  side(files.oursLines, r.ours, r.oursCount);
  out.push(`||||||| ${labels.base}${eol}`);
  side(files.baseLines, r.base, r.baseCount);
  out.push(`=======${eol}`);
  side(files.theirsLines, r.theirs, r.theirsCount);
  out.push(`>>>>>>> ${labels.theirs}${eol}`);
}

function conflictHunk(
  r: MergeRegion,
  baseLines: string[],
  oursLines: string[],
  theirsLines: string[],
  theirsHunks: readonly Hunk[],
): ConflictHunk {
  const slice = (lines: string[], from: number, count: number) =>
    lines.slice(from, from + count).map(displayText);
  // The upstream hunks that fall in (or touch) this region's stretch of base.
  const end = r.base + r.baseCount;
  const inside = theirsHunks.filter((h) => h.startA + h.countA >= r.base && h.startA <= end);
  return {
    ours: { start: r.ours + 1, count: r.oursCount },
    base: { start: r.base + 1, count: r.baseCount },
    theirs: { start: r.theirs + 1, count: r.theirsCount },
    baseLines: slice(baseLines, r.base, r.baseCount),
    oursLines: slice(oursLines, r.ours, r.oursCount),
    theirsLines: slice(theirsLines, r.theirs, r.theirsCount),
    patch: upstreamPatch(baseLines, theirsLines, inside),
  };
}
