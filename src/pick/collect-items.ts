import { inferDirectoryRenames } from './directory-renames.js';
import type { ObjectStore } from './object-store.js';
import { planChangedPath, planTargetAddMovedByCommit } from './plan-path-items.js';
import { planCommitRename, planTargetRename, type RenameLayout } from './plan-rename-items.js';
import type { CollectInput, PlannedItem } from './planned-item.js';
import { commitRenamesThatMatter, targetRenamesThatMatter, type CommitChanges } from './relevant-renames.js';
import { dirsTargetRemovedWhereCommitAdds, targetAddsInDirsRemovedByCommit } from './removed-directories.js';
import type { Entry, TreeReader } from './tree-reader.js';

/**
 * Works out which paths need merging and how they line up across renames. The picked
 * commit's own changes drive everything: the target's history is only looked at where it
 * matters (a path the commit touches that the target deleted or moved), so a target far
 * behind costs little more than a near one. Steps:
 *   1. read the commit's changes and the target's entry at each changed path;
 *   2. find each side's file renames, only where the other side's changes make them matter;
 *   3. plan the commit's renames, then the target's, then every other changed path (moved
 *      along a directory the target renamed), then the target's files moved along a
 *      directory the commit renamed.
 */
export async function collectItems(
  store: ObjectStore,
  reader: TreeReader,
  input: CollectInput,
): Promise<PlannedItem[]> {
  const commit = await readCommitChanges(reader, input);

  const dirsTargetRemoved = await dirsTargetRemovedWhereCommitAdds(reader, input, commit.list);
  const targetRenames = await targetRenamesThatMatter(store, reader, input, commit, dirsTargetRemoved);
  const targetAdds = await targetAddsInDirsRemovedByCommit(reader, input, commit.list);
  const commitRenames = await commitRenamesThatMatter(store, reader, input, commit, targetAdds.dirs);

  const layout: RenameLayout = {
    reader,
    ours: input.ours,
    commit,
    commitRenameOf: new Map(commitRenames.map((r) => [r.from, r.to])),
    commitRenameTargets: new Set(commitRenames.map((r) => r.to)),
    targetRenameOf: new Map(targetRenames.map((r) => [r.from, r.to])),
  };
  const items: PlannedItem[] = [];
  for (const rename of commitRenames) items.push(...(await planCommitRename(layout, rename)));
  for (const rename of targetRenames) items.push(...(await planTargetRename(layout, rename)));

  const targetDirRenames = inferDirectoryRenames(targetRenames, dirsTargetRemoved);
  for (const change of commit.list) {
    if (isRenamedPath(layout, change.path)) continue;
    items.push(...(await planChangedPath(layout, change, targetDirRenames)));
  }
  const commitDirRenames = inferDirectoryRenames(commitRenames, targetAdds.dirs);
  for (const [path, entry] of targetAdds.adds) {
    items.push(...planTargetAddMovedByCommit(path, entry, commitDirRenames));
  }
  return items;
}

async function readCommitChanges(reader: TreeReader, input: CollectInput): Promise<CommitChanges> {
  const list = await reader.diff(input.base, input.theirs);
  const targetEntryAt = new Map<string, Entry | null>();
  for (const change of list) targetEntryAt.set(change.path, await reader.file(input.ours, change.path));
  return { list, at: new Map(list.map((c) => [c.path, c])), targetEntryAt };
}

/** Paths a file rename on either side accounts for: the rename planners handle them. */
function isRenamedPath(layout: RenameLayout, path: string): boolean {
  return (
    layout.commitRenameOf.has(path) || layout.commitRenameTargets.has(path) || layout.targetRenameOf.has(path)
  );
}
