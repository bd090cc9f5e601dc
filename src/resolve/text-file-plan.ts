import type { FileConflict } from '../pick/types.js';
import { fileDiff, regionDiff } from './candidate-diff.js';
import type { PickSides } from './pick-sides.js';
import { regionOptions, type RankedOption } from './rank-region-options.js';
import type { RegionOption } from './region-candidates.js';
import { learnSubstitutions } from './renames-learned.js';
import { assemble, lineEnding, textSegments, type SettledEdit, type TextSegments } from './text-segments.js';
import type { PlannedCandidate, PlannedDecision } from './types.js';

/** Hands out decision ids '1', '2', … in the order decisions are made. */
export class DecisionIds {
  private n = 0;
  next(): string {
    return String(++this.n);
  }
}

/**
 * A conflicted text file: the settled parts of its merge, one decision per conflicting
 * region, and (for content conflicts) one decision for the whole file.
 *
 * How the two levels interact: the file decision comes first and offers "apply the region
 * choices" (A) or "keep the branch's file as it is" (B). Every decision must be answered,
 * except that when the file decision keeps the branch's file, that file's region
 * decisions may be left out (answers given to them are ignored: the whole file is the
 * branch's). An add/add file whose one region is the whole file has no file decision:
 * its single decision already holds "the branch's file" and "upstream's file".
 */
export interface TextFilePlan {
  type: 'text';
  conflict: FileConflict;
  /** The path in the tree (latin1). */
  treePath: string;
  mode: string;
  oursText: string;
  text: TextSegments;
  fileDecision?: PlannedDecision;
  regionDecisions: PlannedDecision[];
}

export async function planTextFile(
  sides: PickSides,
  conflict: FileConflict,
  treePath: string,
  ids: DecisionIds,
): Promise<TextFilePlan | undefined> {
  const base =
    conflict.kind === 'add/add' ? '' : await sides.text(await sides.entry('base', pathOf(conflict, 'base')));
  const oursEntry = await sides.entry('ours', pathOf(conflict, 'ours'));
  const ours = await sides.text(oursEntry);
  const theirs = await sides.text(await sides.entry('theirs', pathOf(conflict, 'theirs')));
  const draft = await sides.entry('draft', treePath);
  if (ours === null || theirs === null || draft === null) return undefined;
  const text = textSegments(base ?? '', ours, theirs);
  if (text.regions.length !== conflict.hunks.length) return undefined;
  const plan: TextFilePlan = {
    type: 'text',
    conflict,
    treePath,
    mode: draft.mode,
    oursText: ours,
    text,
    regionDecisions: [],
  };
  const wholeFile = conflict.kind === 'add/add' && text.regions.length === 1 && text.segments.length === 1;
  if (!wholeFile) plan.fileDecision = { id: ids.next(), path: conflict.path, kind: 'file', candidates: [] };
  const eol = lineEnding(text.oursLines);
  const ctx = {
    oursLines: text.oursLines,
    subs: learnSubstitutions(text.baseLines, text.oursLines, text.oursHunks),
    wholeFile,
  };
  const perRegion = keepSafeReanchors(
    text,
    text.regions.map((r) => regionOptions(r, ctx, eol)),
  );
  text.regions.forEach((r, i) => {
    const options = perRegion[i]!;
    plan.regionDecisions.push({
      id: ids.next(),
      path: conflict.path,
      kind: wholeFile ? 'add/add' : 'region',
      hunk: i,
      candidates: letter(
        options.map((o) => ({
          ...(wholeFile ? asWholeFile(o) : o),
          diff: o.elsewhere
            ? regionDiff(
                text.oursLines,
                { start: o.elsewhere.oursStart, count: o.elsewhere.count },
                o.elsewhere.lines,
              )
            : regionDiff(text.oursLines, { start: r.oursStart, count: r.ours.length }, o.lines),
        })),
      ),
    });
  });
  if (plan.fileDecision) plan.fileDecision.candidates = fileCandidates(plan);
  return plan;
}

/**
 * A re-anchored edit is offered only where it can be made: on lines the merge left as the
 * branch has them (not inside another conflict, not changed by upstream's clean hunks),
 * and on lines no other region's re-anchored edit claims (then the anchor is not unique).
 */
function keepSafeReanchors(text: TextSegments, perRegion: RankedOption[][]): RankedOption[][] {
  const edits = perRegion.flatMap((options, region) =>
    options.flatMap((o) => (o.elsewhere ? [{ region, edit: o.elsewhere }] : [])),
  );
  const overlaps = (a: SettledEdit, b: SettledEdit) =>
    a.oursStart < b.oursStart + b.count && b.oursStart < a.oursStart + a.count;
  const safe = (region: number, edit: SettledEdit) =>
    assemble(text, (i) => text.regions[i]!.ours, [edit]) !== undefined &&
    !edits.some((e) => e.region !== region && overlaps(e.edit, edit));
  return perRegion.map((options, region) =>
    options.filter((o) => o.elsewhere === undefined || safe(region, o.elsewhere)),
  );
}

function fileCandidates(plan: TextFilePlan): PlannedCandidate[] {
  const ids = plan.regionDecisions.map((d) => d.id);
  const range = ids.length === 1 ? `decision ${ids[0]}` : `decisions ${ids[0]}–${ids[ids.length - 1]}`;
  // What the region choices sit on: upstream's clean changes to the rest of the file.
  const settled = assemble(plan.text, (i) => plan.text.regions[i]!.ours)!;
  const clean = settled !== plan.oursText;
  return letter([
    {
      kind: 'apply-regions',
      label: clean
        ? `Apply the choices of ${range}, on top of upstream's clean changes to this file`
        : `Apply the choices of ${range} (upstream changed nothing else in this file)`,
      diff: fileDiff(plan.oursText, settled),
    },
    {
      kind: 'keep-branch-file',
      label: clean
        ? "Keep the branch's file as it is: drop all of upstream's change to it, clean parts included"
        : "Keep the branch's file as it is: drop upstream's change to it",
      diff: '',
      keepBranchFile: true,
    },
  ]);
}

/** An add/add file's one region is the whole file: say so in the labels. */
function asWholeFile(o: RegionOption): RegionOption {
  const labels: Record<string, string> = {
    ours: "Keep the branch's file; drop the file upstream added",
    theirs: "Take the file upstream added; drop the branch's",
    'both-ours-first': "Both files' lines: the branch's, then upstream's",
    'both-theirs-first': "Both files' lines: upstream's, then the branch's",
  };
  return { ...o, label: labels[o.kind] ?? o.label };
}

/** Letters candidates A, B, … in the order given; the first is the recommended one. */
export function letter<T extends Omit<PlannedCandidate, 'id' | 'recommended'>>(
  candidates: readonly T[],
): (T & { id: string; recommended: boolean })[] {
  return candidates.map((c, i) => ({ ...c, id: letterOf(i), recommended: i === 0 }));
}

function letterOf(i: number): string {
  return i < 26 ? String.fromCharCode(65 + i) : `Z${i - 25}`;
}

function pathOf(conflict: FileConflict, side: 'base' | 'ours' | 'theirs'): string | undefined {
  const p = conflict.paths[side];
  return p === undefined ? undefined : Buffer.from(p, 'utf8').toString('latin1');
}
