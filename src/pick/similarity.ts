/**
 * How much of one file's content is found in another, the way git estimates it for rename
 * detection: each file is cut into spans (a line, or 64 bytes when a line is longer), spans
 * are hashed, and the score is the number of bytes of spans they share divided by the
 * larger size. MAX_SCORE is 100 %; git's default rename threshold is 50 %.
 */
export const MAX_SCORE = 60000;
export const DEFAULT_RENAME_SCORE = 30000;
const HASHBASE = 107927;

/**
 * Bytes per span hash, for one file: the distinct hashes in ascending order, and beside each
 * the bytes of the spans that hash to it. Two typed arrays rather than a Map: rename
 * detection fingerprints hundreds of files per pick on large trees, and a Map entry per span
 * was much of the collector's work.
 */
export interface Fingerprint {
  hashes: Uint32Array;
  counts: Uint32Array;
}

/** Spans are at most 64 bytes: a span's length fits in the low 7 bits beside its hash. */
const LENGTH_BITS = 128;

export function fingerprint(data: Uint8Array, isText: boolean): Fingerprint {
  // Each span as hash × 128 + length, sorted so that equal hashes are neighbours.
  let spans = new Uint32Array(Math.min(1024, data.length + 1));
  let count = 0;
  let accum1 = 0;
  let accum2 = 0;
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    // A CR that ends a CRLF line does not count in text, so line endings do not hide a rename.
    if (isText && c === 0x0d && i + 1 < data.length && data[i + 1] === 0x0a) continue;
    const old1 = accum1;
    accum1 = ((accum1 << 7) ^ (accum2 >>> 25)) >>> 0;
    accum2 = ((accum2 << 7) ^ (old1 >>> 25)) >>> 0;
    accum1 = (accum1 + c) >>> 0;
    if (++n < 64 && c !== 0x0a) continue;
    const hash = ((accum1 + Math.imul(accum2, 0x61)) >>> 0) % HASHBASE;
    if (count === spans.length) {
      const grown = new Uint32Array(Math.min(spans.length * 2, data.length + 1));
      grown.set(spans);
      spans = grown;
    }
    spans[count++] = hash * LENGTH_BITS + n;
    n = 0;
    accum1 = 0;
    accum2 = 0;
  }
  // A final line without a newline (shorter than 64 bytes) is not counted: git did not count
  // it before 2.44, and git 2.39 is the reference this engine is checked against.
  const sorted = spans.subarray(0, count).sort();
  const hashes = new Uint32Array(count);
  const counts = new Uint32Array(count);
  let distinct = 0;
  for (let i = 0; i < count; i++) {
    const hash = Math.floor(sorted[i]! / LENGTH_BITS);
    const length = sorted[i]! % LENGTH_BITS;
    if (distinct > 0 && hashes[distinct - 1] === hash) counts[distinct - 1]! += length;
    else {
      hashes[distinct] = hash;
      counts[distinct++] = length;
    }
  }
  return { hashes: hashes.slice(0, distinct), counts: counts.slice(0, distinct) };
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
