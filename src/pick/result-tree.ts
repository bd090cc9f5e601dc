import { entryKind, TREE_MODE, type ObjectStore, type TreeEntry } from './object-store.js';
import type { Entry } from './tree-reader.js';

export type Origin = 'ours' | 'theirs';

interface Leaf {
  leaf: Entry;
  origin: Origin;
}
/**
 * Both fields are always present (undefined until known): adding `node` to an object made
 * without it changed its hidden class mid-pick, and V8 threw away writeDir's optimized code.
 */
interface Dir {
  /** The unchanged subtree's id, until it is opened for editing. */
  oid: string | undefined;
  node: Map<string, Leaf | Dir> | undefined;
}

/** A file that had to move because a directory was in its way (git's file/directory rule). */
export interface Collision {
  /** Where the file wanted to be. */
  path: string;
  /** Where it was put instead. */
  movedTo: string;
  /** Which side the moved file came from. */
  origin: Origin;
}

/**
 * The merge result, built as edits on top of the target's tree: only edited directories are
 * rewritten; everything else keeps its tree id. When a file and a directory want the same
 * path, the directory stays and the file moves to `<path>~<side>`, as git does, and the
 * collision is reported.
 */
export class ResultTree {
  private readonly root: Dir;
  readonly collisions: Collision[] = [];

  constructor(
    private readonly store: ObjectStore,
    oursTree: string,
    private readonly sideNames: Record<Origin, string>,
  ) {
    this.root = { oid: oursTree, node: undefined };
  }

  async remove(path: string): Promise<void> {
    const parts = path.split('/');
    let dir = this.root;
    for (let i = 0; i < parts.length - 1; i++) {
      const next = (await this.open(dir)).get(parts[i]!);
      if (!next || 'leaf' in next) return;
      dir = next;
    }
    const node = await this.open(dir);
    const last = node.get(parts[parts.length - 1]!);
    if (last && 'leaf' in last) node.delete(parts[parts.length - 1]!);
  }

  /** Puts a file-level entry at `path`; returns where it actually went. */
  async set(path: string, entry: Entry, origin: Origin): Promise<string> {
    const parts = path.split('/');
    let dir = this.root;
    for (let i = 0; i < parts.length - 1; i++) {
      const node = await this.open(dir);
      const name = parts[i]!;
      let next = node.get(name);
      if (next && 'leaf' in next) {
        // A file stands where this path needs a directory: move the file aside.
        const here = parts.slice(0, i + 1).join('/');
        const movedName = this.asideName(node, name, next.origin);
        node.set(movedName, next);
        this.collisions.push({
          path: here,
          movedTo: `${parts.slice(0, i).concat(movedName).join('/')}`,
          origin: next.origin,
        });
        next = undefined;
      }
      if (!next) {
        next = { oid: undefined, node: new Map() };
        node.set(name, next);
      }
      dir = next;
    }
    const node = await this.open(dir);
    const name = parts[parts.length - 1]!;
    const existing = node.get(name);
    if (existing && !('leaf' in existing) && !(await this.isEmpty(existing))) {
      const movedName = this.asideName(node, name, origin);
      node.set(movedName, { leaf: entry, origin });
      const movedTo = parts.slice(0, -1).concat(movedName).join('/');
      this.collisions.push({ path, movedTo, origin });
      return movedTo;
    }
    node.set(name, { leaf: entry, origin });
    return path;
  }

  /** Writes every edited tree and returns the root tree id. */
  async write(): Promise<string> {
    return (await this.writeDir(this.root)) ?? (await this.store.writeTree([]));
  }

  private async writeDir(dir: Dir): Promise<string | undefined> {
    if (!dir.node) return dir.oid;
    const entries: TreeEntry[] = [];
    for (const [name, child] of dir.node) {
      // Keys in the order parseTree gives them: the store caches these arrays beside parsed
      // ones, and entries of one shape keep the tree walkers' property reads monomorphic (two
      // shapes made V8 throw away and recompile their optimized code).
      if ('leaf' in child) {
        entries.push({ mode: child.leaf.mode, name, oid: child.leaf.oid });
      } else {
        const oid = await this.writeDir(child);
        // git never records an empty directory.
        if (oid !== undefined && !(await this.isEmpty(child))) entries.push({ mode: TREE_MODE, name, oid });
      }
    }
    if (entries.length === 0) return undefined;
    return this.store.writeTree(entries);
  }

  private async open(dir: Dir): Promise<Map<string, Leaf | Dir>> {
    if (!dir.node) {
      const node = new Map<string, Leaf | Dir>();
      if (dir.oid) {
        for (const e of await this.store.readTree(dir.oid)) {
          node.set(
            e.name,
            entryKind(e.mode) === 'tree'
              ? { oid: e.oid, node: undefined }
              : { leaf: { mode: e.mode, oid: e.oid }, origin: 'ours' },
          );
        }
      }
      dir.node = node;
    }
    return dir.node;
  }

  private async isEmpty(dir: Dir): Promise<boolean> {
    if (!dir.node) return dir.oid === undefined;
    for (const child of dir.node.values()) {
      if ('leaf' in child || !(await this.isEmpty(child))) return false;
    }
    return true;
  }

  private asideName(node: Map<string, Leaf | Dir>, name: string, origin: Origin): string {
    const label = this.sideNames[origin].replace(/[/\0]/g, '_');
    let candidate = `${name}~${label}`;
    for (let n = 1; node.has(candidate); n++) candidate = `${name}~${label}_${n}`;
    return candidate;
  }
}
