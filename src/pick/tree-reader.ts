import { entryKind, type ObjectStore, type TreeEntry } from './object-store.js';

/** A file-level entry: a blob, a symlink or a submodule commit. */
export interface Entry {
  mode: string;
  oid: string;
}

/** One path whose entry differs between two trees (null: absent on that side). */
export interface PathChange {
  path: string;
  a: Entry | null;
  b: Entry | null;
}

/**
 * Tree walking for the merge: path lookups and two-tree diffs that skip identical subtrees
 * by id, so the cost follows the size of the change, not the size of the repository.
 */
export class TreeReader {
  private readonly maps = new Map<string, TreeIndex>();

  constructor(readonly store: ObjectStore) {}

  async entries(tree: string): Promise<ReadonlyMap<string, TreeEntry>> {
    return (await this.index(tree)).byName;
  }

  private async index(tree: string): Promise<TreeIndex> {
    let index = this.maps.get(tree);
    if (!index) {
      index = indexOf(await this.store.readTree(tree));
      this.maps.set(tree, index);
    }
    return index;
  }

  /** The entry at `path` (a file, link, submodule or subtree), or undefined. */
  async lookup(root: string, path: string): Promise<TreeEntry | undefined> {
    let tree = root;
    const parts = path.split('/');
    for (let i = 0; i < parts.length; i++) {
      const entry = (await this.entries(tree)).get(parts[i]!);
      if (!entry) return undefined;
      if (i === parts.length - 1) return entry;
      if (entryKind(entry.mode) !== 'tree') return undefined;
      tree = entry.oid;
    }
    return undefined;
  }

  /** The file-level entry at `path`, or null when absent or a directory. */
  async file(root: string | null, path: string): Promise<Entry | null> {
    if (!root) return null;
    const e = await this.lookup(root, path);
    return e && entryKind(e.mode) !== 'tree' ? { mode: e.mode, oid: e.oid } : null;
  }

  /** Every file-level path that differs between tree `a` and tree `b`, in path order. */
  async diff(a: string | null, b: string | null): Promise<PathChange[]> {
    const out: PathChange[] = [];
    await this.diffInto(a, b, '', out);
    return out;
  }

  private async diffInto(
    a: string | null,
    b: string | null,
    prefix: string,
    out: PathChange[],
  ): Promise<void> {
    if (a === b) return;
    const { names: na, byName: ea } = a ? await this.index(a) : NO_TREE;
    const { names: nb, byName: eb } = b ? await this.index(b) : NO_TREE;
    // Both name lists are sorted: walking them together visits their union in order.
    for (let i = 0, j = 0; i < na.length || j < nb.length;) {
      let name: string;
      if (j >= nb.length || (i < na.length && na[i]! < nb[j]!)) name = na[i++]!;
      else if (i >= na.length || nb[j]! < na[i]!) name = nb[j++]!;
      else {
        name = na[i++]!;
        j++;
      }
      const x = ea.get(name);
      const y = eb.get(name);
      const path = prefix + name;
      const xTree = x && entryKind(x.mode) === 'tree';
      const yTree = y && entryKind(y.mode) === 'tree';
      if (xTree || yTree) {
        if (xTree && yTree && x.oid === y.oid) continue;
        // A file replaced by a directory (or the reverse) is a delete plus adds.
        if (x && !xTree) out.push({ path, a: { mode: x.mode, oid: x.oid }, b: null });
        if (y && !yTree) out.push({ path, a: null, b: { mode: y.mode, oid: y.oid } });
        await this.diffInto(xTree ? x.oid : null, yTree ? y.oid : null, `${path}/`, out);
        continue;
      }
      if (x && y && x.mode === y.mode && x.oid === y.oid) continue;
      out.push({
        path,
        a: x ? { mode: x.mode, oid: x.oid } : null,
        b: y ? { mode: y.mode, oid: y.oid } : null,
      });
    }
  }
}

/** A tree's entries by name, and its names in code-unit order (not git's tree order). */
interface TreeIndex {
  byName: ReadonlyMap<string, TreeEntry>;
  names: readonly string[];
}

const NO_TREE: TreeIndex = { byName: new Map(), names: [] };

/**
 * Indexes by the parsed tree they were built from. A store that caches its parsed trees hands
 * out the same array for a tree each time, so one index serves every pick that walks that
 * tree, instead of a Map and a sorted name list rebuilt per pick for each (large vendored
 * directories made that a tenth of a pick's time). Gone with the array when the store drops it.
 */
const indexes = new WeakMap<readonly TreeEntry[], TreeIndex>();

function indexOf(entries: readonly TreeEntry[]): TreeIndex {
  let index = indexes.get(entries);
  if (!index) {
    const byName = new Map(entries.map((e) => [e.name, e]));
    index = { byName, names: [...byName.keys()].sort() };
    indexes.set(entries, index);
  }
  return index;
}

export function sameEntry(x: Entry | null, y: Entry | null): boolean {
  if (x === null || y === null) return x === y;
  return x.mode === y.mode && x.oid === y.oid;
}
