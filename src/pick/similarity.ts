/**
 * How much of one file's content is found in another, the way git estimates it for rename
 * detection: each file is cut into spans (a line, or 64 bytes when a line is longer), spans
 * are hashed, and the score is the number of bytes of spans they share divided by the
 * larger size. MAX_SCORE is 100 %; git's default rename threshold is 50 %.
 */
import { HASHBASE, WasmSpanTable } from './span-table-wasm.js';

export const MAX_SCORE = 60000;
export const DEFAULT_RENAME_SCORE = 30000;

/**
 * Bytes per span hash, for one file: the distinct hashes in ascending order, and beside each
 * the bytes of the spans that hash to it. Two typed arrays rather than a Map: rename
 * detection fingerprints hundreds of files per pick on large trees, and a Map entry per span
 * was much of the collector's work.
 */
export interface Fingerprint {
  hashes: Uint32Array;
  counts: Uint32Array;
  /** The sum of `counts`: the bytes of all the file's counted spans. */
  spanBytes: number;
}

/** Spans are at most 64 bytes: a span's length fits in the low 7 bits beside its hash. */
const LENGTH_BITS = 128;

/**
 * Where span values (hash × 128 + length) are written, one per span in file order; grown
 * and reused, since only one file is scanned at a time. A scratch grown past KEPT_SPANS for
 * a large file is let go once used (see keepScratchSmall), not held for the process's life.
 */
let spanScratch = new Uint32Array(1024);
const KEPT_SPANS = 1 << 16;

function keepScratchSmall(): void {
  if (spanScratch.length > KEPT_SPANS) spanScratch = new Uint32Array(1024);
}

/**
 * Cuts `data` into spans and writes each as hash × 128 + length into `spanScratch`, in file
 * order; returns how many. The one loop both ways of scoring share, so they cannot drift.
 */
function scanSpans(data: Uint8Array, isText: boolean): number {
  let spans = spanScratch;
  let count = 0;
  let accum1 = 0;
  let accum2 = 0;
  let n = 0;
  const length = data.length;
  // The accumulators are kept as int32 (`| 0`), not uint32 (`>>> 0`): the bits are the same
  // (shifts, xor and addition modulo 2^32 do not care about the sign), but a uint32 above
  // 2^31 is no small integer to V8, and its optimized code spent a tenth more instructions
  // on the same bytes. Only the span's hash is read unsigned.
  for (let i = 0; i < length; i++) {
    const c = data[i]!;
    // A CR that ends a CRLF line does not count in text, so line endings do not hide a rename.
    if (c === 0x0d && isText && i + 1 < length && data[i + 1] === 0x0a) continue;
    const old1 = accum1;
    accum1 = (((accum1 << 7) ^ (accum2 >>> 25)) + c) | 0;
    accum2 = (accum2 << 7) ^ (old1 >>> 25);
    if (++n < 64 && c !== 0x0a) continue;
    const hash = ((accum1 + Math.imul(accum2, 0x61)) >>> 0) % HASHBASE;
    if (count === spans.length) {
      const grown = new Uint32Array(spans.length * 2);
      grown.set(spans);
      spans = spanScratch = grown;
    }
    spans[count++] = hash * LENGTH_BITS + n;
    n = 0;
    accum1 = 0;
    accum2 = 0;
  }
  // A final line without a newline (shorter than 64 bytes) is not counted: git did not count
  // it before 2.44, and git 2.39 is the reference this engine is checked against.
  return count;
}

export function fingerprint(data: Uint8Array, isText: boolean): Fingerprint {
  const count = scanSpans(data, isText);
  // Sorted, so that equal hashes are neighbours.
  const sorted = spanScratch.subarray(0, count).sort();
  const hashes = new Uint32Array(count);
  const counts = new Uint32Array(count);
  let distinct = 0;
  let spanBytes = 0;
  for (let i = 0; i < count; i++) {
    const hash = Math.floor(sorted[i]! / LENGTH_BITS);
    const length = sorted[i]! % LENGTH_BITS;
    spanBytes += length;
    if (distinct > 0 && hashes[distinct - 1] === hash) counts[distinct - 1]! += length;
    else {
      hashes[distinct] = hash;
      counts[distinct++] = length;
    }
  }
  keepScratchSmall();
  return { hashes: hashes.slice(0, distinct), counts: counts.slice(0, distinct), spanBytes };
}

/**
 * One file's bytes per span hash in a table indexed by the hash itself (hashes are below
 * HASHBASE), to score that file against others without a fingerprint of its own. Rename
 * detection compares each added file with the few deleted files that matter; building,
 * sorting and keeping a fingerprint of every added file was most of a large pick's scoring,
 * and its arrays much of the collector's work. One table is reused file after file: only
 * the entries the last file touched are cleared.
 */
export class LoadedFile {
  /** The loaded file's size in bytes (0 when none is loaded). */
  size = 0;
  /** Where the scan runs when WebAssembly is there (see span-table-wasm.ts); `bytes` is its table. */
  private readonly wasm: WasmSpanTable | undefined;
  private bytes: Uint32Array;
  private touched = new Uint32Array(1024);
  private touchedCount = 0;

  /** `wasm: false` scans in JavaScript, as where WebAssembly is missing (for tests). */
  constructor(options: { wasm?: boolean } = {}) {
    this.wasm = options.wasm === false ? undefined : WasmSpanTable.create();
    this.bytes = this.wasm ? this.wasm.table : new Uint32Array(HASHBASE);
  }

  load(data: Uint8Array, isText: boolean): void {
    if (this.wasm) {
      this.wasm.load(data, isText);
      // A new view when the memory grew or was replaced.
      this.bytes = this.wasm.table;
      this.size = data.byteLength;
      return;
    }
    const bytes = this.bytes;
    for (let i = 0; i < this.touchedCount; i++) bytes[this.touched[i]!] = 0;
    const count = scanSpans(data, isText);
    // At most one entry per hash, however long the file.
    if (this.touched.length < count && this.touched.length < HASHBASE)
      this.touched = new Uint32Array(Math.min(HASHBASE, Math.max(count, this.touched.length * 2)));
    const touched = this.touched;
    const spans = spanScratch;
    let distinct = 0;
    for (let i = 0; i < count; i++) {
      const hash = Math.floor(spans[i]! / LENGTH_BITS);
      if (bytes[hash] === 0) touched[distinct++] = hash;
      bytes[hash]! += spans[i]! % LENGTH_BITS;
    }
    this.touchedCount = distinct;
    this.size = data.byteLength;
    keepScratchSmall();
  }

  /**
   * As `similarity(src, <this file>)`, the same number when it is at least `minScore`; some
   * smaller number when it is not. The walk over the source's hashes stops once the bytes it
   * has left cannot bring the score up to `minScore`: rename detection scores each added
   * file against every deleted one whose size is close enough, and nearly every such pair
   * falls far short, so about half of each walk was spent confirming a foregone answer.
   */
  similarityFrom(src: { size: number; fp: Fingerprint }, minScore = 0): number {
    const max = Math.max(src.size, this.size);
    if (this.size === 0 || max === 0) return 0;
    const { hashes, counts } = src.fp;
    const bytes = this.bytes;
    // floor(copied × MAX_SCORE / max) ≥ minScore exactly when copied × MAX_SCORE ≥ minScore × max.
    const needed = (minScore * max) / MAX_SCORE;
    // Each source span's bytes can add at most themselves to `copied`.
    let left = src.fp.spanBytes;
    let copied = 0;
    for (let i = 0; i < hashes.length; i++) {
      const count = counts[i]!;
      copied += Math.min(count, bytes[hashes[i]!]!);
      left -= count;
      if (copied + left < needed) return Math.floor((copied * MAX_SCORE) / max);
    }
    return Math.floor((copied * MAX_SCORE) / max);
  }
}

/** True when the sizes alone rule out reaching `minScore`, so no content needs reading. */
export function sizesRuleOut(srcSize: number, dstSize: number, minScore: number): boolean {
  const max = Math.max(srcSize, dstSize);
  const delta = max - Math.min(srcSize, dstSize);
  return max * (MAX_SCORE - minScore) < delta * MAX_SCORE;
}

export function similarity(
  src: { size: number; fp: Fingerprint },
  dst: { size: number; fp: Fingerprint },
): number {
  const max = Math.max(src.size, dst.size);
  if (dst.size === 0 || max === 0) return 0;
  // Both hash lists are ascending: one pass over the two finds the shared hashes.
  const a = src.fp;
  const b = dst.fp;
  let copied = 0;
  let j = 0;
  for (let i = 0; i < a.hashes.length && j < b.hashes.length; i++) {
    const hash = a.hashes[i]!;
    while (j < b.hashes.length && b.hashes[j]! < hash) j++;
    if (j < b.hashes.length && b.hashes[j] === hash) copied += Math.min(a.counts[i]!, b.counts[j]!);
  }
  return Math.floor((copied * MAX_SCORE) / max);
}
