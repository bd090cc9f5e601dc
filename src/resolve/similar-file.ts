import { isBinary } from '../pick/is-binary.js';
import { bytesToText, textToBytes } from '../pick/lines.js';
import { mergeText } from '../pick/merge-text.js';
import { entryKind } from '../pick/object-store.js';
import {
  DEFAULT_RENAME_SCORE,
  fingerprint,
  MAX_SCORE,
  similarity,
  sizesRuleOut,
  type Fingerprint,
} from '../pick/similarity.js';
import type { Entry, PathChange } from '../pick/tree-reader.js';
import type { PickSides } from './pick-sides.js';

/**
 * How many of the branch's changed files are read at most, nearest the deleted path first
 * (same folder, then same name, then the rest in path order), so a branch far behind costs
 * a bounded time; a file past the limit is not offered.
 */
const MAX_COMPARED = 200;

export interface SimilarFile {
  /** The branch file (latin1 path). */
  path: string;
  /** Similarity to the deleted file, 0–100. */
  percent: number;
  /** The branch file with upstream's edit merged in. */
  entry: Entry;
}

/**
 * For a file the branch deleted and upstream edited: the file the branch added or changed
 * since base that is most like the deleted one (the branch may have moved the code there),
 * by git's rename similarity, at least git's default rename threshold. Returned only when
 * upstream's edit merges into it cleanly; otherwise there is no honest candidate to offer.
 */
export async function similarBranchFile(
  sides: PickSides,
  deleted: string,
  base: Entry,
  theirs: Entry,
): Promise<SimilarFile | undefined> {
  const baseData = await sides.store.readBlob(base.oid);
  if (isBinary(baseData)) return undefined;
  const src = { size: baseData.length, fp: fingerprint(baseData, true) };
  let best: { path: string; entry: Entry; score: number } | undefined;
  const seen = branchFiles(sides);
  const changes = [...(await seen.changes)];
  const near = (path: string) =>
    dirOf(path) === dirOf(deleted) ? 0 : nameOf(path) === nameOf(deleted) ? 1 : 2;
  changes.sort((x, y) => near(x.path) - near(y.path) || (x.path < y.path ? -1 : 1));
  for (const change of changes.slice(0, MAX_COMPARED)) {
    const entry = change.b!;
    // Sizes first: a file whose size alone rules it out is neither read nor fingerprinted
    // (about half of them on the bench repository).
    if (sizesRuleOut(src.size, await seen.size(entry.oid), DEFAULT_RENAME_SCORE)) continue;
    const dst = await seen.print(entry.oid);
    if (!dst) continue;
    const score = similarity(src, dst);
    if (score >= DEFAULT_RENAME_SCORE && (!best || score > best.score))
      best = { path: change.path, entry, score };
  }
  if (!best) return undefined;
  const bestData = await sides.store.readBlob(best.entry.oid);
  const theirsText = bytesToText(await sides.store.readBlob(theirs.oid));
  const merged = mergeText(bytesToText(baseData), bytesToText(bestData), theirsText, {
    ours: 'ours',
    base: 'base',
    theirs: 'theirs',
  });
  if (!merged.clean) return undefined;
  const oid = await sides.store.writeBlob(textToBytes(merged.text));
  return {
    path: best.path,
    percent: Math.floor((best.score * 100) / MAX_SCORE),
    entry: { mode: best.entry.mode, oid },
  };
}

/** The branch's changed files and their fingerprints, read once per pick however many files it deleted. */
interface BranchFiles {
  changes: Promise<PathChange[]>;
  /** A blob's size, from its pack entry's header where it can be (see ObjectStore.blobSize). */
  size(oid: string): Promise<number>;
  print(oid: string): Promise<{ size: number; fp: Fingerprint } | null>;
}

const cache = new WeakMap<PickSides, BranchFiles>();

function branchFiles(sides: PickSides): BranchFiles {
  let files = cache.get(sides);
  if (files) return files;
  const prints = new Map<string, Promise<{ size: number; fp: Fingerprint } | null>>();
  const sizes = new Map<string, Promise<number>>();
  files = {
    changes: sides.reader
      .diff(sides.trees.base, sides.trees.ours)
      .then((all) => all.filter((c) => c.b !== null && entryKind(c.b.mode) === 'file')),
    size(oid) {
      let size = sizes.get(oid);
      if (!size) {
        const store = sides.store;
        size = store.blobSize ? store.blobSize(oid) : store.readBlob(oid).then((data) => data.byteLength);
        sizes.set(oid, size);
      }
      return size;
    },
    print(oid) {
      let p = prints.get(oid);
      if (!p) {
        p = sides.store
          .readBlob(oid)
          .then((data) => (isBinary(data) ? null : { size: data.length, fp: fingerprint(data, true) }));
        prints.set(oid, p);
      }
      return p;
    },
  };
  cache.set(sides, files);
  return files;
}

const dirOf = (path: string) => path.slice(0, path.lastIndexOf('/') + 1);
const nameOf = (path: string) => path.slice(path.lastIndexOf('/') + 1);
