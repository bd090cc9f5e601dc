import { detectRenames, type Rename } from './detect-renames.js';
import { ancestors, applyDirectoryRename, inferDirectoryRenames } from './directory-renames.js';
import type { ItemConflict, MergeItem } from './merge-entry.js';
import { entryKind, type ObjectStore } from './object-store.js';
import type { Origin } from './result-tree.js';
import { sameEntry, type Entry, type PathChange, type TreeReader } from './tree-reader.js';

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

export interface CollectInput {
  base: string | null;
  ours: string;
  theirs: string;
}

/**
 * Works out which paths need merging and how they line up across renames. The picked
 * commit's own changes drive everything: the target's history is only looked at where it
 * matters (a path the commit touches that the target deleted or moved), so a target far
 * behind costs little more than a near one.
 */
export async function collectItems(
  store: ObjectStore,
  reader: TreeReader,
  input: CollectInput,
): Promise<PlannedItem[]> {
  const { base, ours } = input;
  const theirsChanges = await reader.diff(base, input.theirs);
  const theirsAt = new Map(theirsChanges.map((c) => [c.path, c]));
  const oursAt = new Map<string, Entry | null>();
  for (const c of theirsChanges) oursAt.set(c.path, await reader.file(ours, c.path));

  // Directories the target removed that the commit adds files to: maybe a directory rename.
  const removedByOurs = new Set<string>();
  for (const c of theirsChanges) {
    if (c.a !== null) continue;
    for (const dir of ancestors(c.path)) {
      if (await isDir(reader, base, dir)) {
        if (!(await isDir(reader, ours, dir))) removedByOurs.add(dir);
        break;
      }
    }
  }

  // The target's renames matter only for paths the commit changed that the target lacks.
  let oursRenames: Rename[] = [];
  const needOurs =
    theirsChanges.some((c) => c.a !== null && oursAt.get(c.path) === null) || removedByOurs.size > 0;
  if (needOurs) {
    const oursChanges = await reader.diff(base, ours);
    const relevant = new Set<string>();
    for (const c of oursChanges) {
      if (c.a === null || c.b !== null) continue;
      const underRemoved = [...removedByOurs].some((d) => c.path.startsWith(`${d}/`));
      if (theirsAt.has(c.path) || underRemoved) relevant.add(c.path);
    }
    oursRenames = await detectRenames(store, sidesOf(oursChanges, relevant));
  }

  // The commit's renames matter where the target changed the old path, and in directories
  // the commit removed while the target added files there (a directory rename may move them).
  const oursAddsInRemoved = await targetAddsInDirsRemovedBy(reader, input, theirsChanges);
  const theirsRelevant = new Set(
    theirsChanges
      .filter((c) => c.a !== null && c.b === null)
      .filter(
        (c) =>
          !sameEntry(oursAt.get(c.path)!, c.a) ||
          [...oursAddsInRemoved.dirs].some((d) => c.path.startsWith(`${d}/`)),
      )
      .map((c) => c.path),
  );
  const theirsRenames = await detectRenames(store, sidesOf(theirsChanges, theirsRelevant));
  const theirDirRenames = inferDirectoryRenames(theirsRenames, oursAddsInRemoved.dirs);

  const removedDirs = new Set([...removedByOurs].filter(Boolean));
  const dirRenames = inferDirectoryRenames(oursRenames, removedDirs);
  const ourRenameOf = new Map(oursRenames.map((r) => [r.from, r.to]));
  const theirRenameOf = new Map(theirsRenames.map((r) => [r.from, r.to]));
  const theirRenameTargets = new Set(theirsRenames.map((r) => r.to));
  const oursFile = async (path: string) => oursAt.get(path) ?? (await reader.file(ours, path));
  const items: PlannedItem[] = [];

  for (const r of theirsRenames) {
    const b = theirsAt.get(r.from)!.a;
    const t = theirsAt.get(r.to)!.b;
    const u = ourRenameOf.get(r.from);
    const paths = { base: r.from, theirs: r.to };
    if (u !== undefined && u !== r.to) {
      const message = `${r.from} was renamed to ${u} on the target branch and to ${r.to} by the picked commit.`;
      const o = await reader.file(ours, u);
      const forced: ItemConflict = { kind: 'rename', message, hunks: [] };
      items.push({
        item: { path: u, base: b, ours: o, theirs: null, paths: { ...paths, ours: u } },
        origin: 'ours',
        forced,
        removes: [],
      });
      items.push({
        item: { path: r.to, base: b, ours: null, theirs: t, paths: { ...paths, ours: u } },
        origin: 'theirs',
        forced,
        removes: [],
      });
      continue;
    }
    const o = u !== undefined ? await reader.file(ours, u) : oursAt.get(r.from)!;
    if (o === null) {
      const message = `${r.from} was renamed to ${r.to} by the picked commit but deleted on the target branch.`;
      items.push({
        item: { path: r.to, base: b, ours: null, theirs: t, paths },
        origin: 'theirs',
        forced: { kind: 'rename', message, hunks: [] },
        removes: [],
      });
      continue;
    }
    const existing = u === undefined ? oursAt.get(r.to)! : null;
    const planned: PlannedItem = {
      item: { path: r.to, base: b, ours: o, theirs: t, paths: { ...paths, ours: u ?? r.from } },
      origin: 'theirs',
      removes: u === undefined ? [r.from] : [],
    };
    if (existing !== null) {
      planned.forced = {
        kind: 'rename',
        message: `${r.from} was renamed to ${r.to} by the picked commit, but the target branch already has a different ${r.to}.`,
        hunks: [],
      };
      planned.item.ours = existing;
    }
    items.push(planned);
  }

  for (const r of oursRenames) {
    if (theirRenameOf.has(r.from)) continue;
    const c = theirsAt.get(r.from);
    if (!c) continue; // the commit did not touch it: the target's rename stands as it is
    const o = await reader.file(ours, r.to);
    const paths = { base: r.from, ours: r.to, theirs: r.from };
    if (c.b === null) {
      const message = `${r.from} was renamed to ${r.to} on the target branch but deleted by the picked commit.`;
      items.push({
        item: { path: r.to, base: c.a, ours: o, theirs: null, paths },
        origin: 'ours',
        forced: { kind: 'rename', message, hunks: [] },
        removes: [],
      });
      continue;
    }
    const planned: PlannedItem = {
      item: { path: r.to, base: c.a, ours: o, theirs: c.b, paths },
      origin: 'ours',
      removes: [],
    };
    const clash = theirsAt.get(r.to);
    if (clash && clash.a === null && !theirRenameTargets.has(r.to)) {
      planned.forced = {
        kind: 'rename',
        message: `${r.from} was renamed to ${r.to} on the target branch, but the picked commit adds a different ${r.to}.`,
        hunks: [],
      };
    }
    items.push(planned);
  }

  for (const c of theirsChanges) {
    if (theirRenameOf.has(c.path) || theirRenameTargets.has(c.path) || ourRenameOf.has(c.path)) continue;
    const moved = c.a === null ? applyDirectoryRename(c.path, dirRenames) : undefined;
    if (moved !== undefined) {
      const dir = ancestors(c.path).find((d) => dirRenames.has(d))!;
      items.push({
        item: {
          path: moved,
          base: null,
          ours: await oursFile(moved),
          theirs: c.b,
          paths: { theirs: c.path },
        },
        origin: 'theirs',
        forced: {
          kind: 'rename',
          message: `${c.path} was added by the picked commit inside ${dir}/, which the target branch renamed to ${dirRenames.get(dir)}/; it was put at ${moved}.`,
          hunks: [],
        },
        removes: [],
      });
      continue;
    }
    items.push({
      item: { path: c.path, base: c.a, ours: oursAt.get(c.path)!, theirs: c.b, paths: {} },
      origin: 'theirs',
      removes: [],
    });
  }
  for (const [path, entry] of oursAddsInRemoved.adds) {
    const moved = applyDirectoryRename(path, theirDirRenames);
    if (moved === undefined) continue;
    const dir = ancestors(path).find((d) => theirDirRenames.has(d))!;
    const to = theirDirRenames.get(dir)!;
    items.push({
      item: { path: moved, base: null, ours: entry, theirs: null, paths: { ours: path } },
      origin: 'ours',
      forced: {
        kind: 'rename',
        message: `${path} was added on the target branch inside ${dir}/, which the picked commit renamed to ${to}/; it was put at ${moved}.`,
        hunks: [],
      },
      removes: [path],
    });
  }
  return items;
}

/**
 * Directories the commit removed entirely in which the target branch added files since the
 * base, with those files: the commit may have renamed the directory, and then git moves the
 * target's new files along (reporting each as a conflict to check).
 */
async function targetAddsInDirsRemovedBy(
  reader: TreeReader,
  input: CollectInput,
  theirsChanges: readonly PathChange[],
): Promise<{ dirs: Set<string>; adds: Map<string, Entry> }> {
  const dirs = new Set<string>();
  const adds = new Map<string, Entry>();
  const seen = new Set<string>();
  for (const c of theirsChanges) {
    if (c.b !== null) continue;
    for (const dir of ancestors(c.path)) {
      if (seen.has(dir)) break;
      seen.add(dir);
      if (await isDir(reader, input.theirs, dir)) break;
      const inBase = input.base ? await reader.lookup(input.base, dir) : undefined;
      const inOurs = await reader.lookup(input.ours, dir);
      if (!inBase || !inOurs || entryKind(inOurs.mode) !== 'tree' || inBase.oid === inOurs.oid) continue;
      const added = (
        await reader.diff(entryKind(inBase.mode) === 'tree' ? inBase.oid : null, inOurs.oid)
      ).filter((d) => d.a === null && d.b !== null);
      if (added.length === 0) continue;
      dirs.add(dir);
      for (const d of added) adds.set(`${dir}/${d.path}`, d.b!);
    }
  }
  return { dirs, adds };
}

function sidesOf(changes: readonly PathChange[], relevant: ReadonlySet<string>) {
  return {
    sources: changes.filter((c) => c.a !== null && c.b === null).map((c) => ({ path: c.path, entry: c.a! })),
    dests: changes.filter((c) => c.a === null && c.b !== null).map((c) => ({ path: c.path, entry: c.b! })),
    relevant,
  };
}

async function isDir(reader: TreeReader, root: string | null, path: string): Promise<boolean> {
  if (!root) return false;
  const e = await reader.lookup(root, path);
  return e !== undefined && entryKind(e.mode) === 'tree';
}
