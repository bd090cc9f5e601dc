/**
 * How much of one file's content is found in another, the way git estimates it for rename
 * detection: each file is cut into spans (a line, or 64 bytes when a line is longer), spans
 * are hashed, and the score is the number of bytes of spans they share divided by the
 * larger size. MAX_SCORE is 100 %; git's default rename threshold is 50 %.
 */
export const MAX_SCORE = 60000;
export const DEFAULT_RENAME_SCORE = 30000;
const HASHBASE = 107927;

/** Bytes per span hash, for one file. */
export type Fingerprint = Map<number, number>;

export function fingerprint(data: Uint8Array, isText: boolean): Fingerprint {
  const counts: Fingerprint = new Map();
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
    counts.set(hash, (counts.get(hash) ?? 0) + n);
    n = 0;
    accum1 = 0;
    accum2 = 0;
  }
  // A final line without a newline (shorter than 64 bytes) is not counted: git did not count
  // it before 2.44, and git 2.39 is the reference this engine is checked against.
  return counts;
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
  let copied = 0;
  for (const [hash, srcCount] of src.fp) {
    const dstCount = dst.fp.get(hash);
    if (dstCount !== undefined) copied += Math.min(srcCount, dstCount);
  }
  return Math.floor((copied * MAX_SCORE) / max);
}
