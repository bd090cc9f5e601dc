import { collectItems } from './collect-items.js';
import { displayText } from './lines.js';
import { blobsToMerge, mergeEntry, type ItemConflict, type MergedItem } from './merge-entry.js';
import type { MergeLabels } from './merge-text.js';
import type { ObjectStore } from './object-store.js';
import type { PlannedItem } from './planned-item.js';
import { ResultTree } from './result-tree.js';
import { TreeReader } from './tree-reader.js';
import type { FileConflict } from './types.js';

export interface TreeMergeInput {
  /** The commit's parent tree (null for a root commit). */
  base: string | null;
  /** The target's tree. */
  ours: string;
  /** The commit's tree. */
  theirs: string;
  /** Marker labels, plus short names of each side for files moved aside (`path~name`). */
  labels: MergeLabels & { oursName: string; theirsName: string };
}

export interface TreeMerge {
  /** The result tree; when not clean, it holds conflict markers (a draft for a person). */
  tree: string;
  clean: boolean;
  conflicts: FileConflict[];
  /** Paths the commit changed that merged cleanly. */
  merged: string[];
}

/**
 * The three-way tree merge behind a cherry-pick (base = the commit's parent, ours = the
 * target, theirs = the commit). Steps:
 *   1. collect the paths to merge, lining them up across renames on either side;
 *   2. merge each path's entries (text line by line; other kinds by git's rules);
 *   3. apply the results to the target's tree, moving files aside where a directory is in
 *      the way, and report every conflict with what a person needs to finish the job.
 */
export async function mergeTrees(store: ObjectStore, input: TreeMergeInput): Promise<TreeMerge> {
  const { base, ours, theirs } = input;
  if (theirs === base || theirs === ours) return { tree: ours, clean: true, conflicts: [], merged: [] };
  const reader = new TreeReader(store);
  if (ours === base) {
    const merged = (await reader.diff(base, theirs)).map((c) => displayText(c.path));
    return { tree: theirs, clean: true, conflicts: [], merged };
  }

  const planned = await collectItems(store, reader, { base, ours, theirs });
  await store.prefetchBlobs?.(blobsToMerge(planned.filter((p) => !p.forced).map((p) => p.item)));
  const results: Array<{ plan: PlannedItem; result: MergedItem; conflict?: ItemConflict }> = [];
  for (const plan of planned) {
    const result = plan.forced
      ? { entry: plan.item.theirs ?? plan.item.ours, conflict: plan.forced }
      : await mergeEntry(store, plan.item, input.labels);
    results.push({ plan, result, conflict: result.conflict });
  }

  const tree = new ResultTree(store, ours, { ours: input.labels.oursName, theirs: input.labels.theirsName });
  // Removals first, so a directory emptied by the commit does not block a file it adds.
  for (const { plan, result } of results) {
    for (const path of plan.removes) await tree.remove(path);
    if (result.entry === null) await tree.remove(plan.item.path);
  }
  const sorted = [...results].sort((x, y) => (x.plan.item.path < y.plan.item.path ? -1 : 1));
  for (const { plan, result } of sorted) {
    // Setting an entry the target already has is harmless: the tree id comes out the same.
    if (result.entry !== null) await tree.set(plan.item.path, result.entry, plan.origin);
    if (result.aside) {
      await tree.set(`${plan.item.path}~${sanitize(input.labels.theirsName)}`, result.aside, 'theirs');
    }
  }

  const conflicts = new Map<string, FileConflict>();
  for (const { plan, conflict } of results) {
    if (!conflict) continue;
    const paths: FileConflict['paths'] = {};
    const p = plan.item.paths;
    if (p.base ?? plan.item.base) paths.base = displayText(p.base ?? plan.item.path);
    if (p.ours ?? plan.item.ours) paths.ours = displayText(p.ours ?? plan.item.path);
    if (p.theirs ?? plan.item.theirs) paths.theirs = displayText(p.theirs ?? plan.item.path);
    addConflict(conflicts, {
      path: displayText(plan.item.path),
      kind: conflict.kind,
      message: displayText(conflict.message),
      paths,
      hunks: conflict.hunks,
    });
  }
  for (const c of tree.collisions) {
    const side = c.origin === 'ours' ? 'the target branch' : 'the picked commit';
    addConflict(conflicts, {
      path: displayText(c.path),
      kind: 'directory',
      message: displayText(
        `${c.path} is a file in ${side} but a directory on the other side; the file was moved to ${c.movedTo}.`,
      ),
      paths: {},
      hunks: [],
    });
  }
  const conflicted = new Set(conflicts.keys());
  const merged = [...new Set(results.map((r) => displayText(r.plan.item.path)))]
    .filter((p) => !conflicted.has(p))
    .sort();
  return {
    tree: await tree.write(),
    clean: conflicts.size === 0,
    conflicts: [...conflicts.values()].sort((a, b) => (a.path < b.path ? -1 : 1)),
    merged,
  };
}

/** Two problems at one path become one conflict that mentions both. */
function addConflict(all: Map<string, FileConflict>, c: FileConflict): void {
  const existing = all.get(c.path);
  if (!existing) {
    all.set(c.path, c);
    return;
  }
  existing.message = `${existing.message} ${c.message}`;
  if (c.kind === 'directory') existing.kind = 'directory';
  existing.hunks.push(...c.hunks);
}

function sanitize(name: string): string {
  return name.replace(/[/\0]/g, '_');
}
