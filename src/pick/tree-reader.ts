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
  private readonly maps = new Map<string, Map<string, TreeEntry>>();

  constructor(readonly store: ObjectStore) {}

  async entries(tree: string): Promise<Map<string, TreeEntry>> {
    let map = this.maps.get(tree);
    if (!map) {
      map = new Map((await this.store.readTree(tree)).map((e) => [e.name, e]));
      this.maps.set(tree, map);
    }
    return map;
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
    const ea = a ? await this.entries(a) : new Map<string, TreeEntry>();
    const eb = b ? await this.entries(b) : new Map<string, TreeEntry>();
    const names = [...new Set([...ea.keys(), ...eb.keys()])].sort();
    for (const name of names) {
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

export function sameEntry(x: Entry | null, y: Entry | null): boolean {
  if (x === null || y === null) return x === y;
  return x.mode === y.mode && x.oid === y.oid;
}
