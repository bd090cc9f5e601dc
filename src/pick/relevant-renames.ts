import { detectRenames, type Rename, type RenameSide } from './detect-renames.js';
import { ancestors, dirname } from './directory-renames.js';
import type { CollectInput } from './planned-item.js';
import { isUnderAny } from './removed-directories.js';
import { mergeOrtOrder } from './rename-order.js';
import { sameEntry, type Entry, type PathChange, type TreeReader } from './tree-reader.js';
import type { ObjectStore } from './object-store.js';

/** The picked commit's changes, indexed by path, with what the target holds at each. */
export interface CommitChanges {
  list: readonly PathChange[];
  at: ReadonlyMap<string, PathChange>;
  targetEntryAt: ReadonlyMap<string, Entry | null>;
}

/**
 * The target's renames, looked for only where they matter: for paths the commit changed
 * that the target lacks, and under directories the target removed where the commit adds
 * files. Otherwise the target's history is not diffed at all.
 */
export async function targetRenamesThatMatter(
  store: ObjectStore,
  reader: TreeReader,
  input: CollectInput,
  commit: CommitChanges,
  dirsTargetRemoved: ReadonlySet<string>,
): Promise<Rename[]> {
  const targetLacksAChangedPath = commit.list.some(
    (c) => c.a !== null && commit.targetEntryAt.get(c.path) === null,
  );
  if (!targetLacksAChangedPath && dirsTargetRemoved.size === 0) return [];
  const targetChanges = await reader.diff(input.base, input.ours);
  const relevant = new Set<string>();
  for (const change of targetChanges) {
    if (change.a === null || change.b !== null) continue;
    if (commit.at.has(change.path) || isUnderAny(change.path, dirsTargetRemoved)) relevant.add(change.path);
  }
  const side = renameSide(targetChanges, relevant);
  side.destOrder = () => destinationOrder(reader, side, [input.base, input.theirs]);
  return detectRenames(store, side);
}

/**
 * The commit's renames, where they matter: where the target changed the old path, and in
 * directories the commit removed while the target added files there (a directory rename
 * may move them).
 */
export async function commitRenamesThatMatter(
  store: ObjectStore,
  reader: TreeReader,
  input: CollectInput,
  commit: CommitChanges,
  dirsWithTargetAdds: ReadonlySet<string>,
): Promise<Rename[]> {
  const relevant = new Set<string>();
  for (const change of commit.list) {
    if (change.a === null || change.b !== null) continue;
    const targetChangedIt = !sameEntry(commit.targetEntryAt.get(change.path)!, change.a);
    if (targetChangedIt || isUnderAny(change.path, dirsWithTargetAdds)) relevant.add(change.path);
  }
  const side = renameSide(commit.list, relevant);
  side.destOrder = () => destinationOrder(reader, side, [input.base, input.ours]);
  return detectRenames(store, side);
}

/**
 * The order git's merge gives this side's added paths, needed only when several could tie:
 * directories that neither the base nor the other side (`others`) has come last. Only each
 * path's shallowest such directory counts, so the walk from the root stops there: the
 * directories below it are never looked up (a new vendored tree has hundreds). That
 * directory depends only on the path's parent, so it is found once per parent: the files
 * of one directory share it, and listing every file's ancestors again was most of this.
 */
async function destinationOrder(
  reader: TreeReader,
  side: RenameSide,
  others: ReadonlyArray<string | null>,
): Promise<number[]> {
  const isNew = new Map<string, boolean>();
  const topByParent = new Map<string, string | undefined>();
  const topNew = new Map<string, string | undefined>();
  for (const d of side.dests) {
    const parent = dirname(d.path);
    let top = topByParent.get(parent);
    if (top === undefined && !topByParent.has(parent)) {
      const dirs = ancestors(d.path);
      for (let i = dirs.length - 1; i >= 0 && top === undefined; i--) {
        const dir = dirs[i]!;
        let absent = isNew.get(dir);
        if (absent === undefined) {
          absent = true;
          for (const tree of others) if (tree && (await reader.lookup(tree, dir))) absent = false;
          isNew.set(dir, absent);
        }
        if (absent) top = dir;
      }
      topByParent.set(parent, top);
    }
    topNew.set(d.path, top);
  }
  return mergeOrtOrder(
    side.dests.map((d) => d.path),
    (path) => topNew.get(path),
  );
}

/**
 * One side's deletions and additions, the candidates for its renames. `destOrder` is there
 * from the start: set later, it changed the object's hidden class, and V8 deoptimized
 * pairBestRemaining ("wrong map") and compiled it again.
 */
function renameSide(changes: readonly PathChange[], relevant: ReadonlySet<string>): RenameSide {
  return {
    destOrder: undefined,
    sources: changes.filter((c) => c.a !== null && c.b === null).map((c) => ({ path: c.path, entry: c.a! })),
    dests: changes.filter((c) => c.a === null && c.b !== null).map((c) => ({ path: c.path, entry: c.b! })),
    relevant,
  };
}
