import { ancestors, applyDirectoryRename } from './directory-renames.js';
import type { RenameLayout } from './plan-rename-items.js';
import { renameConflictItems, type PlannedItem } from './planned-item.js';
import type { Entry, PathChange } from './tree-reader.js';

/**
 * The item for a path the commit changed that no file rename covers. A file the commit adds
 * inside a directory the target renamed goes into the renamed directory, as a conflict for
 * a person to check; anything else merges in place.
 */
export async function planChangedPath(
  layout: RenameLayout,
  change: PathChange,
  targetDirRenames: ReadonlyMap<string, string>,
): Promise<PlannedItem[]> {
  const { commit } = layout;
  const moved = change.a === null ? applyDirectoryRename(change.path, targetDirRenames) : undefined;
  if (moved === undefined) {
    const ours = commit.targetEntryAt.get(change.path)!;
    return [
      {
        item: { path: change.path, base: change.a, ours, theirs: change.b, paths: {} },
        origin: 'theirs',
        removes: [],
      },
    ];
  }
  const dir = ancestors(change.path).find((d) => targetDirRenames.has(d))!;
  const ours = commit.targetEntryAt.get(moved) ?? (await layout.reader.file(layout.ours, moved));
  return renameConflictItems(
    `${change.path} was added by the picked commit inside ${dir}/, which the target branch renamed to ${targetDirRenames.get(dir)}/; it was put at ${moved}.`,
    {
      item: { path: moved, base: null, ours, theirs: change.b, paths: { theirs: change.path } },
      origin: 'theirs',
    },
  );
}

/**
 * The item for a file the target added inside a directory the commit renamed: git moves it
 * into the renamed directory and reports it as a conflict to check. Nothing when no
 * directory rename covers it.
 */
export function planTargetAddMovedByCommit(
  path: string,
  entry: Entry,
  commitDirRenames: ReadonlyMap<string, string>,
): PlannedItem[] {
  const moved = applyDirectoryRename(path, commitDirRenames);
  if (moved === undefined) return [];
  const dir = ancestors(path).find((d) => commitDirRenames.has(d))!;
  return renameConflictItems(
    `${path} was added on the target branch inside ${dir}/, which the picked commit renamed to ${commitDirRenames.get(dir)!}/; it was put at ${moved}.`,
    {
      item: { path: moved, base: null, ours: entry, theirs: null, paths: { ours: path } },
      origin: 'ours',
      removes: [path],
    },
  );
}
