import type { ObjectStore } from '../pick/object-store.js';
import type { ConflictResult, FileConflict } from '../pick/types.js';
import { PickSides, treePath } from './pick-sides.js';
import { DecisionIds, planTextFile, type TextFilePlan } from './text-file-plan.js';
import type { PlannedDecision } from './types.js';
import { planWholeFile, type WholeFilePlan } from './whole-file-plan.js';

export type FilePlan = TextFilePlan | WholeFilePlan;

/** Every decision of a conflicted pick, with what each candidate produces. */
export interface ChoicePlan {
  sides: PickSides;
  files: FilePlan[];
  /** In id order: '1', '2', … */
  decisions: PlannedDecision[];
}

/**
 * Works out the decisions of a conflicted pick, deterministically: the same result always
 * gives the same decisions, ids and letters, so an answer written against the conflict
 * issue applies to the same thing later. Files are taken in the order of
 * ConflictResult.conflicts (by path); a file renamed to two places is one decision, placed
 * at its first path.
 */
export async function planChoices(store: ObjectStore, result: ConflictResult): Promise<ChoicePlan> {
  const sides = await PickSides.open(store, result);
  const ids = new DecisionIds();
  const files: FilePlan[] = [];
  const grouped = new Set<FileConflict>();
  for (const conflict of result.conflicts) {
    if (grouped.has(conflict)) continue;
    const text =
      conflict.hunks.length > 0
        ? await planTextFile(sides, conflict, treePath(conflict.path), ids)
        : undefined;
    if (text) {
      files.push(text);
      continue;
    }
    const twin = renameTwin(result.conflicts, conflict);
    if (twin) grouped.add(twin);
    files.push(await planWholeFile(sides, twin ? [conflict, twin] : [conflict], ids));
  }
  const decisions = files.flatMap((f) =>
    f.type === 'whole' ? [f.decision] : [...(f.fileDecision ? [f.fileDecision] : []), ...f.regionDecisions],
  );
  return { sides, files, decisions };
}

/** The other half of a file renamed to two places: the same message, both names, another path. */
function renameTwin(all: readonly FileConflict[], c: FileConflict): FileConflict | undefined {
  if (c.kind !== 'rename' || c.paths.ours === undefined || c.paths.theirs === undefined) return undefined;
  if (c.paths.ours === c.paths.theirs) return undefined;
  return all.find(
    (o) =>
      o !== c &&
      o.kind === 'rename' &&
      o.message === c.message &&
      o.paths.ours === c.paths.ours &&
      o.paths.theirs === c.paths.theirs &&
      [c.paths.ours, c.paths.theirs].includes(o.path) &&
      [c.paths.ours, c.paths.theirs].includes(c.path),
  );
}
