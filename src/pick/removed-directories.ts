import { ancestors } from './directory-renames.js';
import { entryKind } from './object-store.js';
import type { CollectInput } from './planned-item.js';
import type { Entry, PathChange, TreeReader } from './tree-reader.js';

/**
 * Directories of the base that the target removed and the commit adds files to: the target
 * may have renamed them, and then the commit's new files follow. For each added file only
 * its nearest directory that the base has is considered.
 */
export async function dirsTargetRemovedWhereCommitAdds(
  reader: TreeReader,
  input: CollectInput,
  commitChanges: readonly PathChange[],
): Promise<Set<string>> {
  const removed = new Set<string>();
  for (const change of commitChanges) {
    if (change.a !== null) continue;
    for (const dir of ancestors(change.path)) {
      if (!(await isDir(reader, input.base, dir))) continue;
      if (!(await isDir(reader, input.ours, dir))) removed.add(dir);
      break;
    }
  }
  return removed;
}

/**
 * Directories the commit removed entirely in which the target branch added files since the
 * base, with those files: the commit may have renamed the directory, and then git moves the
 * target's new files along (reporting each as a conflict to check).
 */
export async function targetAddsInDirsRemovedByCommit(
  reader: TreeReader,
  input: CollectInput,
  commitChanges: readonly PathChange[],
): Promise<{ dirs: Set<string>; adds: Map<string, Entry> }> {
  const dirs = new Set<string>();
  const adds = new Map<string, Entry>();
  const seen = new Set<string>();
  for (const change of commitChanges) {
    if (change.b !== null) continue;
    for (const dir of ancestors(change.path)) {
      if (seen.has(dir)) break;
      seen.add(dir);
      if (await isDir(reader, input.theirs, dir)) break;
      const added = await filesTargetAddedIn(reader, input, dir);
      if (added.length === 0) continue;
      dirs.add(dir);
      for (const file of added) adds.set(`${dir}/${file.path}`, file.b!);
    }
  }
  return { dirs, adds };
}

/** Files the target added under `dir` since the base (none when the target has no such directory). */
async function filesTargetAddedIn(
  reader: TreeReader,
  input: CollectInput,
  dir: string,
): Promise<PathChange[]> {
  const inBase = input.base ? await reader.lookup(input.base, dir) : undefined;
  const inOurs = await reader.lookup(input.ours, dir);
  if (!inBase || !inOurs || entryKind(inOurs.mode) !== 'tree' || inBase.oid === inOurs.oid) return [];
  const baseTree = entryKind(inBase.mode) === 'tree' ? inBase.oid : null;
  return (await reader.diff(baseTree, inOurs.oid)).filter((d) => d.a === null && d.b !== null);
}

/** True when `path` lies inside one of `dirs`. */
export function isUnderAny(path: string, dirs: ReadonlySet<string>): boolean {
  for (const dir of dirs) if (path.startsWith(`${dir}/`)) return true;
  return false;
}

async function isDir(reader: TreeReader, root: string | null, path: string): Promise<boolean> {
  if (!root) return false;
  const entry = await reader.lookup(root, path);
  return entry !== undefined && entryKind(entry.mode) === 'tree';
}
