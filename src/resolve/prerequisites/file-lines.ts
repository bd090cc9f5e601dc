import { diffLines } from '../../pick/diff-lines.js';
import type { Hunk } from '../../pick/edit-script.js';
import { bytesToText, LineInterner, splitLines } from '../../pick/lines.js';
import { entryKind, type ObjectStore } from '../../pick/object-store.js';
import { DEFAULT_RENAME_SCORE, fingerprint, similarity } from '../../pick/similarity.js';
import { TreeReader } from '../../pick/tree-reader.js';

/**
 * File contents as interned lines, and diffs between them, cached for one search: a
 * region's history reads the same few blobs again and again. One interner serves every
 * blob, so equal lines compare equal across versions.
 */
export class FileLines {
  readonly trees: TreeReader;
  private readonly interner = new LineInterner();
  private readonly lines = new Map<string, Int32Array>();
  private readonly texts = new Map<string, string[]>();

  constructor(readonly store: ObjectStore) {
    this.trees = new TreeReader(store);
  }

  /** The blob id of the regular file or link at `path` in `tree`, or undefined. */
  async blobAt(tree: string, path: string): Promise<string | undefined> {
    const entry = await this.trees.lookup(tree, path);
    return entry && entryKind(entry.mode) !== 'tree' && entryKind(entry.mode) !== 'gitlink'
      ? entry.oid
      : undefined;
  }

  async text(blob: string): Promise<string[]> {
    let text = this.texts.get(blob);
    if (!text) {
      text = splitLines(bytesToText(await this.store.readBlob(blob)));
      this.texts.set(blob, text);
    }
    return text;
  }

  async ids(blob: string): Promise<Int32Array> {
    let ids = this.lines.get(blob);
    if (!ids) {
      ids = this.interner.intern(await this.text(blob));
      this.lines.set(blob, ids);
    }
    return ids;
  }

  async diff(a: string, b: string): Promise<Hunk[]> {
    return diffLines(await this.ids(a), await this.ids(b));
  }

  /**
   * Where `path` of tree `child` came from in tree `parent` when the parent has no such
   * path: the file the child's side deleted that is most like it, as git's rename
   * detection scores similarity (at least 50 %), or undefined when it is new.
   */
  async renamedFrom(parent: string, child: string, path: string, blob: string): Promise<string | undefined> {
    const changes = await this.trees.diff(parent, child);
    const deleted = changes.filter((c) => c.a && !c.b && entryKind(c.a.mode) === 'file').slice(0, 50);
    const exact = deleted.find((c) => c.a!.oid === blob);
    if (exact) return exact.path;
    const data = await this.store.readBlob(blob);
    const dst = { size: data.length, fp: fingerprint(data, true) };
    let best: { path: string; score: number } | undefined;
    for (const c of deleted) {
      const src = await this.store.readBlob(c.a!.oid);
      const score = similarity({ size: src.length, fp: fingerprint(src, true) }, dst);
      if (score >= DEFAULT_RENAME_SCORE && score > (best?.score ?? -1)) best = { path: c.path, score };
    }
    return best?.path;
  }
}

/**
 * For each line of the child that the diff leaves unchanged, its index in the parent
 * (-1 for lines the child added or changed).
 */
export function parentLineOf(hunks: readonly Hunk[], childLength: number): Int32Array {
  const map = new Int32Array(childLength).fill(-1);
  let a = 0;
  let b = 0;
  for (const h of [...hunks, { startA: Infinity, countA: 0, startB: childLength, countB: 0 }]) {
    while (b < h.startB && b < childLength) map[b++] = a++;
    a = h.startA + h.countA;
    b = h.startB + h.countB;
  }
  return map;
}
