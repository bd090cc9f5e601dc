import { diffLines } from '../pick/diff-lines.js';
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

/** A stretch of the merged file: settled lines, or the conflicting region of that index. */
export type Segment = { lines: string[] } | { region: number };

export interface TextSegments {
  baseLines: string[];
  oursLines: string[];
  theirsLines: string[];
  segments: Segment[];
  regions: RegionSides[];
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
    segments.push({ lines: oursHunks.length === 0 ? theirsLines : oursLines });
    return { baseLines, oursLines, theirsLines, segments, regions };
  }
  const merged = mergeRegions(
    oursHunks,
    theirsHunks,
    { base: b.length, ours: o.length, theirs: t.length },
    same,
  );
  let settled: string[] = [];
  let at = 0;
  for (const r of merged) {
    for (; at < r.ours; at++) settled.push(oursLines[at]!);
    const resolvesToSame =
      r.oursCount > 0 && r.oursCount === r.theirsCount && same(r.ours, r.theirs, r.oursCount);
    if (r.kind === 'theirs') {
      settled.push(...theirsLines.slice(r.theirs, r.theirs + r.theirsCount));
    } else if (r.kind === 'ours' || resolvesToSame) {
      settled.push(...oursLines.slice(r.ours, r.ours + r.oursCount));
    } else {
      if (settled.length > 0) segments.push({ lines: settled });
      settled = [];
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
  for (; at < oursLines.length; at++) settled.push(oursLines[at]!);
  if (settled.length > 0) segments.push({ lines: settled });
  return { baseLines, oursLines, theirsLines, segments, regions };
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

/** The merged file with each region replaced by the lines chosen for it. */
export function assemble(text: TextSegments, chosen: (region: number) => readonly string[]): string {
  const eol = lineEnding(text.oursLines);
  return joinRuns(
    text.segments.map((s) => ('lines' in s ? s.lines : chosen(s.region))),
    eol,
  );
}
