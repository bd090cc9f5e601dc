import { diffLines } from '../pick/diff-lines.js';
import type { Hunk } from '../pick/edit-script.js';
import { LineInterner, splitLines } from '../pick/lines.js';
import { mergeRegions } from '../pick/merge-regions.js';

/** One conflicting region with its three versions (latin1 lines, each with its terminator). */
export interface RegionSides {
  base: string[];
  ours: string[];
  theirs: string[];
  /** Where the region starts in the branch's file (0-based). */
  oursStart: number;
}

/**
 * A stretch of the merged file: settled lines (with, for each, its index in the branch's
 * file, or -1 for a line upstream's clean change brought), or the conflicting region of
 * that index.
 */
export type Segment = { lines: string[]; ours: number[] } | { region: number };

/** An edit of settled lines, by their place in the branch's file (a re-anchored upstream edit). */
export interface SettledEdit {
  oursStart: number;
  count: number;
  lines: readonly string[];
}

export interface TextSegments {
  baseLines: string[];
  oursLines: string[];
  theirsLines: string[];
  segments: Segment[];
  regions: RegionSides[];
  /** The branch's changes to the file (base → ours), which the merge computed anyway. */
  oursHunks: Hunk[];
}

/**
 * The merge of one text file cut at its conflicts: the same regions, decided the same way,
 * as the engine's mergeText (pick/merge-text.ts), so region i here is FileConflict.hunks[i].
 * Texts are latin1-decoded bytes, so a resolved file keeps every byte of the settled parts.
 */
export function textSegments(base: string, ours: string, theirs: string): TextSegments {
  const baseLines = splitLines(base);
  const oursLines = splitLines(ours);
  const theirsLines = splitLines(theirs);
  const interner = new LineInterner();
  const b = interner.intern(baseLines);
  const o = interner.intern(oursLines);
  const t = interner.intern(theirsLines);
  const same = (oi: number, ti: number, n: number) => {
    for (let k = 0; k < n; k++) if (o[oi + k] !== t[ti + k]) return false;
    return true;
  };
  const oursHunks = diffLines(b, o);
  const theirsHunks = diffLines(b, t);
  const segments: Segment[] = [];
  const regions: RegionSides[] = [];
  if (oursHunks.length === 0 || theirsHunks.length === 0) {
    const lines = oursHunks.length === 0 ? theirsLines : oursLines;
    segments.push({ lines, ours: lines.map((_, i) => (oursHunks.length === 0 ? -1 : i)) });
    return { baseLines, oursLines, theirsLines, segments, regions, oursHunks };
  }
  const merged = mergeRegions(
    oursHunks,
    theirsHunks,
    { base: b.length, ours: o.length, theirs: t.length },
    same,
  );
  let settled: { lines: string[]; ours: number[] } = { lines: [], ours: [] };
  const keep = (from: number, count: number) => {
    for (let k = 0; k < count; k++) {
      settled.lines.push(oursLines[from + k]!);
      settled.ours.push(from + k);
    }
  };
  let at = 0;
  for (const r of merged) {
    keep(at, r.ours - at);
    const resolvesToSame =
      r.oursCount > 0 && r.oursCount === r.theirsCount && same(r.ours, r.theirs, r.oursCount);
    if (r.kind === 'theirs') {
      for (let k = 0; k < r.theirsCount; k++) {
        settled.lines.push(theirsLines[r.theirs + k]!);
        settled.ours.push(-1);
      }
    } else if (r.kind === 'ours' || resolvesToSame) {
      keep(r.ours, r.oursCount);
    } else {
      if (settled.lines.length > 0) segments.push(settled);
      settled = { lines: [], ours: [] };
      segments.push({ region: regions.length });
      regions.push({
        base: baseLines.slice(r.base, r.base + r.baseCount),
        ours: oursLines.slice(r.ours, r.ours + r.oursCount),
        theirs: theirsLines.slice(r.theirs, r.theirs + r.theirsCount),
        oursStart: r.ours,
      });
    }
    at = r.ours + r.oursCount;
  }
  keep(at, oursLines.length - at);
  if (settled.lines.length > 0) segments.push(settled);
  return { baseLines, oursLines, theirsLines, segments, regions, oursHunks };
}

/**
 * Joins runs of lines into one text. A run whose last line has no terminator (the end of a
 * file) gets the file's line ending when more lines follow, so two sides put one after the
 * other never fuse into one line.
 */
export function joinRuns(runs: readonly (readonly string[])[], eol: string): string {
  const out: string[] = [];
  for (const run of runs) {
    if (run.length === 0) continue;
    const last = out[out.length - 1];
    if (last !== undefined && !last.endsWith('\n')) out[out.length - 1] = last + eol;
    out.push(...run);
  }
  return out.join('');
}

export function lineEnding(lines: readonly string[]): string {
  return lines[0]?.endsWith('\r\n') ? '\r\n' : '\n';
}

/**
 * The merged file with each region replaced by the lines chosen for it, and settled lines
 * edited where a choice moved upstream's edit to them. An edit whose lines are not all
 * settled branch lines, in one run, returns undefined.
 */
export function assemble(
  text: TextSegments,
  chosen: (region: number) => readonly string[],
  edits: readonly SettledEdit[] = [],
): string | undefined {
  const eol = lineEnding(text.oursLines);
  const runs: (readonly string[])[] = [];
  let applied = 0;
  for (const s of text.segments) {
    if (!('lines' in s)) {
      runs.push(chosen(s.region));
      continue;
    }
    let lines = s.lines;
    let ours = s.ours;
    for (const e of [...edits].sort((x, y) => y.oursStart - x.oursStart)) {
      const at = ours.indexOf(e.oursStart);
      if (at === -1) continue;
      for (let k = 0; k < e.count; k++) if (ours[at + k] !== e.oursStart + k) return undefined;
      lines = [...lines.slice(0, at), ...e.lines, ...lines.slice(at + e.count)];
      ours = [...ours.slice(0, at), ...e.lines.map(() => -1), ...ours.slice(at + e.count)];
      applied++;
    }
    runs.push(lines);
  }
  return applied === edits.length ? joinRuns(runs, eol) : undefined;
}
