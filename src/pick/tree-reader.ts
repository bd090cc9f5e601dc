import { entryKind, type ObjectStore, type TreeEntry } from './object-store.js';
import { compareRawNames, rawEntry, sameRawModeAndId, type RawTree } from './raw-tree.js';

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
  private readonly sorted = new Map<string, readonly TreeEntry[]>();

  constructor(readonly store: ObjectStore) {}

  /** The tree's entries, one per name, in code-unit order of their names. */
  private async index(tree: string): Promise<readonly TreeEntry[]> {
    let index = this.sorted.get(tree);
    if (!index) {
      index = byName(await this.store.readTree(tree));
      this.sorted.set(tree, index);
    }
    return index;
  }

  /** The entry at `path` (a file, link, submodule or subtree), or undefined. */
  async lookup(root: string, path: string): Promise<TreeEntry | undefined> {
    let tree = root;
    const parts = path.split('/');
    for (let i = 0; i < parts.length; i++) {
      const entry = find(await this.index(tree), parts[i]!);
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
    if (this.store.readRawTree) {
      const ra = a ? await this.store.readRawTree(a) : NO_RAW_ENTRIES;
      const rb = b ? await this.store.readRawTree(b) : NO_RAW_ENTRIES;
      // A tree whose names are not in code-unit order (see byName) is walked parsed.
      if (ra.byteSorted && rb.byteSorted) return this.diffRaw(ra, rb, prefix, out);
    }
    const ea = a ? await this.index(a) : NO_ENTRIES;
    const eb = b ? await this.index(b) : NO_ENTRIES;
    // Both lists are sorted by name: walking them together visits their union in order.
    for (let i = 0, j = 0; i < ea.length || j < eb.length;) {
      // The next name comes from one list, or from both when they share it.
      const fromA = j >= eb.length || (i < ea.length && ea[i]!.name <= eb[j]!.name);
      const fromB = i >= ea.length || (j < eb.length && eb[j]!.name <= ea[i]!.name);
      const x = fromA ? ea[i++] : undefined;
      const y = fromB ? eb[j++] : undefined;
      const below = visit(x, y, prefix, out);
      if (below) await this.diffInto(below.a, below.b, below.prefix, out);
    }
  }

  /**
   * The same walk over two trees' bytes: entries with the same name, mode and id are passed
   * over without a string made for them; the others are parsed and visited as above.
   */
  private async diffRaw(ra: RawTree, rb: RawTree, prefix: string, out: PathChange[]): Promise<void> {
    for (let i = 0, j = 0; i < ra.count || j < rb.count;) {
      let x: TreeEntry | undefined;
      let y: TreeEntry | undefined;
      const order = i >= ra.count ? 1 : j >= rb.count ? -1 : compareRawNames(ra, i, rb, j);
      if (order === 0 && sameRawModeAndId(ra, i, rb, j)) {
        i++;
        j++;
        continue;
      }
      if (order <= 0) x = rawEntry(ra, i++);
      if (order >= 0) y = rawEntry(rb, j++);
      const below = visit(x, y, prefix, out);
      if (below) await this.diffInto(below.a, below.b, below.prefix, out);
    }
  }
}

/**
 * One step of a two-tree diff: `x` and `y` are the entries of one name in `a` and `b` (either
 * may be absent). Files that differ go to `out`; a directory on either side is returned, for
 * the caller to walk below it.
 */
function visit(
  x: TreeEntry | undefined,
  y: TreeEntry | undefined,
  prefix: string,
  out: PathChange[],
): { a: string | null; b: string | null; prefix: string } | undefined {
  const path = prefix + (x ?? y)!.name;
  const xTree = x && entryKind(x.mode) === 'tree';
  const yTree = y && entryKind(y.mode) === 'tree';
  if (xTree || yTree) {
    if (xTree && yTree && x.oid === y.oid) return undefined;
    // A file replaced by a directory (or the reverse) is a delete plus adds.
    if (x && !xTree) out.push({ path, a: { mode: x.mode, oid: x.oid }, b: null });
    if (y && !yTree) out.push({ path, a: null, b: { mode: y.mode, oid: y.oid } });
    return { a: xTree ? x.oid : null, b: yTree ? y.oid : null, prefix: `${path}/` };
  }
  if (x && y && x.mode === y.mode && x.oid === y.oid) return undefined;
  out.push({
    path,
    a: x ? { mode: x.mode, oid: x.oid } : null,
    b: y ? { mode: y.mode, oid: y.oid } : null,
  });
  return undefined;
}

const NO_RAW_ENTRIES: RawTree = {
  bytes: Buffer.alloc(0),
  count: 0,
  marks: new Uint32Array(0),
  byteSorted: true,
};
const NO_ENTRIES: readonly TreeEntry[] = [];

/**
 * Sorted lists by the parsed tree they were built from. A store that caches its parsed trees
 * hands out the same array for a tree each time, so one list serves every pick that walks
 * that tree (large vendored directories made rebuilding it per pick a tenth of a pick's
 * time). Gone with the array when the store drops it.
 */
const sortedLists = new WeakMap<readonly TreeEntry[], readonly TreeEntry[]>();

/**
 * The entries in code-unit order of their names (not git's tree order, which sorts a
 * directory as if its name ended in '/'), the last one kept where a damaged tree repeats a
 * name. Trees nearly always come in that order already (git's differs only where a name
 * continues a directory's name with a character below '/'), and are then used as they are:
 * no copy, no Map. A first pick in a fresh process walks a thousand trees, and a Map and a
 * sorted name list per tree were a tenth of its time there.
 */
export function byName(entries: readonly TreeEntry[]): readonly TreeEntry[] {
  let list = sortedLists.get(entries);
  if (list) return list;
  list = entries;
  for (let i = 1; i < entries.length; i++) {
    if (!(entries[i - 1]!.name < entries[i]!.name)) {
      list = sortedCopy(entries);
      break;
    }
  }
  sortedLists.set(entries, list);
  return list;
}

function sortedCopy(entries: readonly TreeEntry[]): TreeEntry[] {
  // Stable: among repeated names the last stays last, and is the one kept.
  const sorted = [...entries].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  const out: TreeEntry[] = [];
  for (const e of sorted) {
    if (out.length > 0 && out[out.length - 1]!.name === e.name) out[out.length - 1] = e;
    else out.push(e);
  }
  return out;
}

/** The entry named `name` in a list sorted by name (a binary search). */
function find(list: readonly TreeEntry[], name: string): TreeEntry | undefined {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const n = list[mid]!.name;
    if (n === name) return list[mid];
    if (n < name) lo = mid + 1;
    else hi = mid;
  }
  return undefined;
}

export function sameEntry(x: Entry | null, y: Entry | null): boolean {
  if (x === null || y === null) return x === y;
  return x.mode === y.mode && x.oid === y.oid;
}
