import type { ItemConflict, MergeItem } from './merge-entry.js';
import type { Origin } from './result-tree.js';

/** The trees of a pick: the commit's parent (null for a root commit), the target and the commit. */
export interface CollectInput {
  base: string | null;
  ours: string;
  theirs: string;
}

/** A path to merge, with what the merge must also do around it. */
export interface PlannedItem {
  item: MergeItem;
  /** Which side's file this is, for naming it if it must move aside. */
  origin: Origin;
  /** Set when the structure alone (renames, deletes) makes it a conflict. */
  forced?: ItemConflict;
  /** Paths of the target's tree to remove (a rename's old name). */
  removes: string[];
}

/** Where one item of a rename conflict goes; it removes nothing unless told. */
export interface Placement {
  item: MergeItem;
  origin: Origin;
  removes?: string[];
}

/**
 * Items that renames alone make a conflict, explained by `message`. Items given together
 * report one problem (a file renamed to two places), so they share one conflict object.
 */
export function renameConflictItems(message: string, ...placements: Placement[]): PlannedItem[] {
  const forced: ItemConflict = { kind: 'rename', message, hunks: [] };
  return placements.map(({ item, origin, removes }) => ({ item, origin, forced, removes: removes ?? [] }));
}
