import { isBinary } from './is-binary.js';
import { entryKind, type ObjectStore } from './object-store.js';
import {
  DEFAULT_RENAME_SCORE,
  fingerprint,
  LoadedFile,
  MAX_SCORE,
  similarity,
  sizesRuleOut,
  type Fingerprint,
} from './similarity.js';
import type { Entry } from './tree-reader.js';

export interface RenameSide {
  /** Paths that side deleted, with their base entries, in path order. */
  sources: Array<{ path: string; entry: Entry }>;
  /** Paths that side added, with their entries, in path order. */
  dests: Array<{ path: string; entry: Entry }>;
  /** Sources whose rename matters to the merge (the other side changed them). */
  relevant: ReadonlySet<string>;
  /**
   * Indexes into `dests` in the order git's merge considers them (see rename-order.ts), which
   * breaks ties between equally good destinations; path order when absent. Asked for only
   * when two destinations do tie.
   */
  destOrder?: () => Promise<readonly number[]>;
}

export interface Rename {
  from: string;
  to: string;
  score: number;
}

const CANDIDATES_PER_DEST = 4;
/** git's merge.renameLimit default: beyond sources × dests > limit², only exact renames. */
const RENAME_LIMIT = 7000;

/**
 * Pairs deleted paths with added paths the way git's rename detection does for a merge:
 * identical content first (preferring an unused source with the same file name), then files
 * with the same unique file name at 75 % similarity, then the best remaining pairs at 50 %.
 * Only regular files are compared by content; symlinks and submodules pair only exactly.
 */
export async function detectRenames(store: ObjectStore, side: RenameSide): Promise<Rename[]> {
  const pairing = new Pairing(side);
  if (side.relevant.size === 0 || side.sources.length === 0 || side.dests.length === 0)
    return pairing.renames;
  pairExactRenames(side, pairing, exactTiesPossible(side) ? await destOrder(side) : undefined);
  await store.prefetchBlobs?.(contentCandidates(side, pairing));
  const content = new ContentCache(store);
  try {
    await pairSameNameRenames(side, pairing, content);
    await pairBestRemaining(side, pairing, content);
  } finally {
    content.release();
  }
  return pairing.renames;
}

/** The renames found so far, and which sources and destinations they used. */
class Pairing {
  readonly renames: Rename[] = [];
  readonly usedSource = new Set<number>();
  readonly pairedDest = new Set<number>();

  constructor(private readonly side: RenameSide) {}

  record(source: number, dest: number, score: number): void {
    this.usedSource.add(source);
    this.pairedDest.add(dest);
    this.renames.push({ from: this.side.sources[source]!.path, to: this.side.dests[dest]!.path, score });
  }
}

/** 1. Identical content and kind, preferring an unused source with the same file name. */
function pairExactRenames(side: RenameSide, pairing: Pairing, order: readonly number[] | undefined): void {
  const byContent = new Map<string, number[]>();
  side.sources.forEach((s, i) => {
    const key = exactKey(s.entry);
    const list = byContent.get(key);
    if (list) list.push(i);
    else byContent.set(key, [i]);
  });
  for (const di of order ?? side.dests.keys()) {
    const d = side.dests[di]!;
    const list = byContent.get(exactKey(d.entry));
    if (!list) continue;
    let best = -1;
    let bestScore = -1;
    for (const si of list.slice(0, 100)) {
      if (pairing.usedSource.has(si)) continue;
      const score = 1 + (basename(side.sources[si]!.path) === basename(d.path) ? 1 : 0);
      if (score > bestScore) {
        best = si;
        bestScore = score;
        if (score === 2) break;
      }
    }
    if (best >= 0) pairing.record(best, di, MAX_SCORE);
  }
}

async function destOrder(side: RenameSide): Promise<readonly number[]> {
  return side.destOrder ? await side.destOrder() : [...side.dests.keys()];
}

/** True when two destinations have the same content as some source (they could tie). */
function exactTiesPossible(side: RenameSide): boolean {
  const sourceKeys = new Set(side.sources.map((s) => exactKey(s.entry)));
  const seen = new Set<string>();
  for (const d of side.dests) {
    const key = exactKey(d.entry);
    if (!sourceKeys.has(key)) continue;
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}

/** 2. A file name that only one unpaired source and one unpaired destination have, at a stricter threshold. */
async function pairSameNameRenames(side: RenameSide, pairing: Pairing, content: ContentCache): Promise<void> {
  const { usedSource, pairedDest } = pairing;
  const minBasenameScore = DEFAULT_RENAME_SCORE + Math.floor((MAX_SCORE - DEFAULT_RENAME_SCORE) / 2);
  const srcByName = uniqueBasenames(side.sources.map((s, i) => (usedSource.has(i) ? undefined : s.path)));
  const dstByName = uniqueBasenames(side.dests.map((d, i) => (pairedDest.has(i) ? undefined : d.path)));
  for (let si = 0; si < side.sources.length; si++) {
    const src = side.sources[si]!;
    if (usedSource.has(si) || !side.relevant.has(src.path)) continue;
    const name = basename(src.path);
    const di = dstByName.get(name);
    if (di === undefined || srcByName.get(name) !== si || pairedDest.has(di)) continue;
    const score = await content.score(src.entry, side.dests[di]!.entry, minBasenameScore);
    if (score >= minBasenameScore) pairing.record(si, di, score);
  }
}

/**
 * 3. Best remaining pairs: each destination keeps its top candidates, then the best pairs
 *    overall are taken greedily. Skipped beyond the rename limit.
 */
async function pairBestRemaining(side: RenameSide, pairing: Pairing, content: ContentCache): Promise<void> {
  const { usedSource, pairedDest } = pairing;
  // Plain loops and object literals: a spread copies whatever shape its input has, and
  // `.map(...).filter` on an empty side met an array of another elements kind; both made V8
  // deoptimize this function ("wrong map") and compile it again.
  const sources: Array<{ path: string; entry: Entry; i: number }> = [];
  for (let i = 0; i < side.sources.length; i++) {
    const s = side.sources[i]!;
    if (!usedSource.has(i) && side.relevant.has(s.path)) sources.push({ path: s.path, entry: s.entry, i });
  }
  const dests: Array<{ path: string; entry: Entry; i: number }> = [];
  for (let i = 0; i < side.dests.length; i++) {
    const d = side.dests[i]!;
    if (!pairedDest.has(i)) dests.push({ path: d.path, entry: d.entry, i });
  }
  if (sources.length === 0 || dests.length === 0 || sources.length * dests.length > RENAME_LIMIT ** 2) return;
  const candidates: Candidate[] = [];
  for (const d of dests) {
    const top: Candidate[] = [];
    // Only files are scored (others score 0), and a pair whose sizes rule it out is not
    // awaited: most destinations of a large diff are too large or too small for every
    // source, and an await per pair was much of their cost.
    const dstSize = entryKind(d.entry.mode) === 'file' ? await content.size(d.entry.oid) : -1;
    for (const s of sources) {
      if (dstSize < 0 || entryKind(s.entry.mode) !== 'file') continue;
      const srcSize = content.knownSize(s.entry.oid) ?? (await content.size(s.entry.oid));
      if (sizesRuleOut(srcSize, dstSize, DEFAULT_RENAME_SCORE)) continue;
      const score = await content.scoreToLoaded(s.entry.oid, d.entry.oid, DEFAULT_RENAME_SCORE);
      if (score < DEFAULT_RENAME_SCORE) continue;
      const nameScore = basename(s.path) === basename(d.path) ? 1 : 0;
      top.push({ s: s.i, d: d.i, score, nameScore, order: 0 });
      top.sort(byScore);
      if (top.length > CANDIDATES_PER_DEST) top.pop();
    }
    for (const c of top)
      candidates.push({ s: c.s, d: c.d, score: c.score, nameScore: c.nameScore, order: candidates.length });
  }
  candidates.sort((a, b) => byScore(a, b) || a.order - b.order);
  if (tiesAcrossDests(candidates)) {
    // Discovered in git's order of destinations instead, which decides between equals.
    const rank = new Map((await destOrder(side)).map((d, r) => [d, r]));
    candidates.sort((a, b) => byScore(a, b) || rank.get(a.d)! - rank.get(b.d)! || a.order - b.order);
  }
  for (const c of candidates) {
    if (pairedDest.has(c.d) || usedSource.has(c.s)) continue;
    pairing.record(c.s, c.d, c.score);
  }
}

/** True when, in score order, two neighbours from different destinations score the same. */
function tiesAcrossDests(sorted: readonly Candidate[]): boolean {
  for (let i = 1; i < sorted.length; i++)
    if (byScore(sorted[i - 1]!, sorted[i]!) === 0 && sorted[i - 1]!.d !== sorted[i]!.d) return true;
  return false;
}

/** A possible rename of source `s` to destination `d`; `order` keeps ties in discovery order. */
interface Candidate {
  s: number;
  d: number;
  score: number;
  nameScore: number;
  order: number;
}

function byScore(a: { score: number; nameScore: number }, b: { score: number; nameScore: number }): number {
  return b.score - a.score || b.nameScore - a.nameScore;
}

/**
 * Exact renames only pair entries of the same kind (file, symlink, submodule): the key is the
 * id for a file, the id and the kind otherwise. Files are nearly all of them, and a string
 * built per source and destination was much of a large diff's exact pass.
 */
function exactKey(entry: Entry): string {
  const kind = entryKind(entry.mode);
  return kind === 'file' ? entry.oid : `${entry.oid} ${kind}`;
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** File name → index, for names that occur exactly once among the given paths. */
function uniqueBasenames(paths: Array<string | undefined>): Map<string, number> {
  const seen = new Map<string, number>();
  paths.forEach((p, i) => {
    if (p === undefined) return;
    const name = basename(p);
    seen.set(name, seen.has(name) ? -1 : i);
  });
  for (const [name, i] of seen) if (i === -1) seen.delete(name);
  return seen;
}

/**
 * The blobs steps 2 and 3 may compare: relevant unpaired sources and unpaired destinations
 * (files only), or none beyond the rename limit, where only exact renames count.
 */
function contentCandidates(side: RenameSide, pairing: Pairing): string[] {
  // Plain loops: this runs over every added file of a large diff, for a store that may not
  // even fetch (filters, spreads and maps were a visible share of such picks).
  const sources: Array<{ path: string; entry: Entry }> = [];
  for (let i = 0; i < side.sources.length; i++) {
    const s = side.sources[i]!;
    if (!pairing.usedSource.has(i) && side.relevant.has(s.path) && entryKind(s.entry.mode) === 'file')
      sources.push(s);
  }
  if (sources.length === 0) return [];
  const dests: Array<{ path: string; entry: Entry }> = [];
  for (let i = 0; i < side.dests.length; i++) {
    const d = side.dests[i]!;
    if (!pairing.pairedDest.has(i) && entryKind(d.entry.mode) === 'file') dests.push(d);
  }
  if (dests.length === 0) return [];
  const oids: string[] = [];
  for (const s of sources) oids.push(s.entry.oid);
  if (sources.length * dests.length > RENAME_LIMIT ** 2) {
    // Only same-name pairs are compared then (step 2).
    const names = new Set(sources.map((s) => basename(s.path)));
    for (const d of dests) if (names.has(basename(d.path))) oids.push(d.entry.oid);
    return oids;
  }
  for (const d of dests) oids.push(d.entry.oid);
  return oids;
}

/**
 * A LoadedFile's table is 430 KB: allocated (and zeroed) once, not per rename detection, which
 * most picks run twice. Concurrent picks each take their own; one is kept for the next.
 */
let spareLoadedFile: LoadedFile | undefined;

/**
 * Reads and fingerprints each blob once, however many pairs it is scored in. Step 3's
 * destinations are not fingerprinted: each is loaded once into a LoadedFile and scored
 * against the sources' fingerprints (it visits the destinations one after another).
 */
class ContentCache {
  private readonly prints = new Map<string, { size: number; fp: Fingerprint }>();
  private readonly sizes = new Map<string, number>();
  /** Taken when a destination is first loaded, and handed back for the next rename detection. */
  private loaded: LoadedFile | undefined = undefined;
  private loadedOid: string | undefined = undefined;

  constructor(private readonly store: ObjectStore) {}

  release(): void {
    if (this.loaded) spareLoadedFile = this.loaded;
    this.loaded = undefined;
    this.loadedOid = undefined;
  }

  async score(src: Entry, dst: Entry, minScore: number): Promise<number> {
    if (entryKind(src.mode) !== 'file' || entryKind(dst.mode) !== 'file') return 0;
    if (sizesRuleOut(await this.size(src.oid), await this.size(dst.oid), minScore)) return 0;
    return similarity(await this.print(src.oid), await this.print(dst.oid));
  }

  /**
   * `similarity()` of two files' contents, the same number when it reaches `minScore` (a
   * smaller one when not), with `dst` loaded (once, while the calls stay with it) rather
   * than fingerprinted. Sizes and kinds are the caller's to check.
   */
  async scoreToLoaded(src: string, dst: string, minScore: number): Promise<number> {
    const from = this.prints.get(src) ?? (await this.print(src));
    const printed = this.prints.get(dst);
    if (printed) return similarity(from, printed);
    if (!this.loaded) {
      this.loaded = spareLoadedFile ?? new LoadedFile();
      spareLoadedFile = undefined;
    }
    if (this.loadedOid !== dst) {
      this.loadedOid = undefined;
      const data = await this.store.readBlob(dst);
      this.loaded.load(data, !isBinary(data));
      this.loadedOid = dst;
    }
    return this.loaded.similarityFrom(from, minScore);
  }

  /** A size already asked for, without an await. */
  knownSize(oid: string): number | undefined {
    return this.sizes.get(oid);
  }

  async size(oid: string): Promise<number> {
    let size = this.sizes.get(oid);
    if (size === undefined) {
      size = this.store.blobSize
        ? await this.store.blobSize(oid)
        : (await this.store.readBlob(oid)).byteLength;
      this.sizes.set(oid, size);
    }
    return size;
  }

  private async print(oid: string): Promise<{ size: number; fp: Fingerprint }> {
    let p = this.prints.get(oid);
    if (!p) {
      const data = await this.store.readBlob(oid);
      p = { size: data.byteLength, fp: fingerprint(data, !isBinary(data)) };
      this.prints.set(oid, p);
    }
    return p;
  }
}
