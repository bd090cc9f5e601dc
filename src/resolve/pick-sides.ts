import { isBinary } from '../pick/is-binary.js';
import { bytesToText } from '../pick/lines.js';
import { entryKind, type ObjectStore } from '../pick/object-store.js';
import { TreeReader, type Entry } from '../pick/tree-reader.js';
import type { ConflictResult } from '../pick/types.js';

/** A path as the tree holds it: FileConflict paths are display text (UTF-8), trees latin1. */
export function treePath(display: string): string {
  return Buffer.from(display, 'utf8').toString('latin1');
}

/**
 * The three trees a conflicted pick merged (the commit's parent, the target as the pick
 * found it, the commit) and the draft tree, read through one TreeReader. A merge commit is
 * taken against its first parent: the conflict result does not record another mainline.
 */
export class PickSides {
  private constructor(
    readonly store: ObjectStore,
    readonly reader: TreeReader,
    readonly trees: { base: string | null; ours: string; theirs: string; draft: string },
  ) {}

  static async open(store: ObjectStore, result: ConflictResult): Promise<PickSides> {
    const commit = await store.readCommit(result.commit);
    const parent = commit.parents[0];
    const base = parent ? (await store.readCommit(parent)).tree : null;
    const ours = (await store.readCommit(result.onto)).tree;
    return new PickSides(store, new TreeReader(store), {
      base,
      ours,
      theirs: commit.tree,
      draft: result.markerTree,
    });
  }

  /** The file-level entry at `path` (latin1) on one side, or null. */
  entry(side: 'base' | 'ours' | 'theirs' | 'draft', path: string | undefined): Promise<Entry | null> {
    if (path === undefined) return Promise.resolve(null);
    return this.reader.file(this.trees[side], path);
  }

  /** The entry's content as latin1 text, or null when it is absent, not a regular file, or binary. */
  async text(entry: Entry | null): Promise<string | null> {
    if (!entry || entryKind(entry.mode) !== 'file') return null;
    const data = await this.store.readBlob(entry.oid);
    return isBinary(data) ? null : bytesToText(data);
  }
}
