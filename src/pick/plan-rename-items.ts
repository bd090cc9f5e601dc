import type { Rename } from './detect-renames.js';
import { renameConflictItems, type PlannedItem } from './planned-item.js';
import type { CommitChanges } from './relevant-renames.js';
import type { TreeReader } from './tree-reader.js';

/** Both sides' changes and file renames, as the planners consult them. */
export interface RenameLayout {
  reader: TreeReader;
  /** The target's tree. */
  ours: string;
  commit: CommitChanges;
  /** The commit's renames, old path → new path. */
  commitRenameOf: ReadonlyMap<string, string>;
  /** The new paths of the commit's renames. */
  commitRenameTargets: ReadonlySet<string>;
  /** The target's renames, old path → new path. */
  targetRenameOf: ReadonlyMap<string, string>;
}

/**
 * The items for a file the commit renamed. Its change lands at the new path, merged with
 * the target's version wherever the target has it (under the old path, or under its own
 * new name if it renamed the file too); the structure conflicts when the target renamed it
 * elsewhere, deleted it, or already has a different file at the new path.
 */
export async function planCommitRename(layout: RenameLayout, rename: Rename): Promise<PlannedItem[]> {
  const { commit, reader } = layout;
  const { from, to } = rename;
  const base = commit.at.get(from)!.a;
  const theirs = commit.at.get(to)!.b;
  const targetTo = layout.targetRenameOf.get(from);
  const paths = { base: from, theirs: to };
  if (targetTo !== undefined && targetTo !== to) {
    const ours = await reader.file(layout.ours, targetTo);
    return renameConflictItems(
      `${from} was renamed to ${targetTo} on the target branch and to ${to} by the picked commit.`,
      {
        item: { path: targetTo, base, ours, theirs: null, paths: { ...paths, ours: targetTo } },
        origin: 'ours',
      },
      { item: { path: to, base, ours: null, theirs, paths: { ...paths, ours: targetTo } }, origin: 'theirs' },
    );
  }
  const ours =
    targetTo !== undefined ? await reader.file(layout.ours, targetTo) : commit.targetEntryAt.get(from)!;
  if (ours === null) {
    return renameConflictItems(
      `${from} was renamed to ${to} by the picked commit but deleted on the target branch.`,
      { item: { path: to, base, ours: null, theirs, paths }, origin: 'theirs' },
    );
  }
  const item = { path: to, base, ours, theirs, paths: { ...paths, ours: targetTo ?? from } };
  // Only the target's old name is removed: a file it renamed the same way is already in place.
  const removes = targetTo === undefined ? [from] : [];
  const existing = targetTo === undefined ? commit.targetEntryAt.get(to)! : null;
  if (existing !== null) {
    return renameConflictItems(
      `${from} was renamed to ${to} by the picked commit, but the target branch already has a different ${to}.`,
      { item: { ...item, ours: existing }, origin: 'theirs', removes },
    );
  }
  return [{ item, origin: 'theirs', removes }];
}

/**
 * The items for a file the target renamed and the commit changed (and did not rename): the
 * commit's change follows the file to its new name. The structure conflicts when the
 * commit deleted the file, or adds a different file at the target's new name.
 */
export async function planTargetRename(layout: RenameLayout, rename: Rename): Promise<PlannedItem[]> {
  const { from, to } = rename;
  if (layout.commitRenameOf.has(from)) return [];
  const change = layout.commit.at.get(from);
  if (!change) return []; // the commit did not touch it: the target's rename stands as it is
  const ours = await layout.reader.file(layout.ours, to);
  const item = {
    path: to,
    base: change.a,
    ours,
    theirs: change.b,
    paths: { base: from, ours: to, theirs: from },
  };
  if (change.b === null) {
    return renameConflictItems(
      `${from} was renamed to ${to} on the target branch but deleted by the picked commit.`,
      { item, origin: 'ours' },
    );
  }
  const clash = layout.commit.at.get(to);
  if (clash && clash.a === null && !layout.commitRenameTargets.has(to)) {
    return renameConflictItems(
      `${from} was renamed to ${to} on the target branch, but the picked commit adds a different ${to}.`,
      { item, origin: 'ours' },
    );
  }
  return [{ item, origin: 'ours', removes: [] }];
}
