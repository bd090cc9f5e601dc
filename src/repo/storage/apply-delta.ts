import { checkObjectSize } from './object-limits.js';

/**
 * Rebuilds an object from its delta base and a git delta: two sizes (base, result) as
 * little-endian base-128 numbers, then instructions that either copy a range of the base or
 * insert the bytes that follow. Every size and range is checked, so a damaged delta throws
 * rather than producing a plausible but wrong object.
 */
export function applyDelta(base: Uint8Array, delta: Uint8Array): Buffer {
  // The two sizes and the copy operands are read in line, not through helper closures: a
  // closure made per call is an allocation on every delta of every read (and under tsx,
  // which names each one as it is made, a property definition too).
  let at = 0;
  let baseSize = 0;
  for (let scale = 1; ; scale *= 128) {
    if (at >= delta.length) throw new Error('delta ends inside its header');
    const byte = delta[at++]!;
    baseSize += (byte & 0x7f) * scale;
    if (byte < 0x80) break;
    if (scale >= 2 ** 49) throw new Error('delta header size is too large');
  }
  if (baseSize !== base.length) {
    throw new Error(`delta expects a base of ${baseSize} bytes, got ${base.length}`);
  }
  let resultSize = 0;
  for (let scale = 1; ; scale *= 128) {
    if (at >= delta.length) throw new Error('delta ends inside its header');
    const byte = delta[at++]!;
    resultSize += (byte & 0x7f) * scale;
    if (byte < 0x80) break;
    if (scale >= 2 ** 49) throw new Error('delta header size is too large');
  }
  checkObjectSize(resultSize, 'the delta result');
  // Not from Buffer's shared pool: results are kept in caches, and a pooled slice would pin
  // the whole pool slab.
  const out = Buffer.allocUnsafeSlow(resultSize);
  let written = 0;
  while (at < delta.length) {
    const op = delta[at++]!;
    if (op & 0x80) {
      // Copy: bits 0-3 say which offset bytes follow, bits 4-6 which size bytes.
      let offset = 0;
      let size = 0;
      for (let bit = 0; bit < 4; bit++) {
        if (!(op & (1 << bit))) continue;
        if (at >= delta.length) throw new Error('delta ends inside a copy instruction');
        offset += delta[at++]! * 2 ** (8 * bit);
      }
      for (let bit = 0; bit < 3; bit++) {
        if (!(op & (0x10 << bit))) continue;
        if (at >= delta.length) throw new Error('delta ends inside a copy instruction');
        size += delta[at++]! << (8 * bit);
      }
      if (size === 0) size = 0x10000;
      if (offset + size > base.length || written + size > resultSize) {
        throw new Error('delta copies outside its base or past its result');
      }
      copyBytes(base, offset, size, out, written);
      written += size;
    } else if (op !== 0) {
      if (at + op > delta.length || written + op > resultSize) {
        throw new Error('delta inserts past its end or its result');
      }
      copyBytes(delta, at, op, out, written);
      at += op;
      written += op;
    } else {
      throw new Error('delta has a reserved zero instruction');
    }
  }
  if (written !== resultSize) throw new Error(`delta made ${written} bytes, expected ${resultSize}`);
  return out;
}

/**
 * Short copies byte by byte: a delta of a source file is mostly copies and inserts of a line
 * or two, and `out.set(x.subarray(…))` makes a typed-array view per instruction, garbage the
 * collector must sweep (it was a tenth of a pick's time on real histories). Long copies go
 * through `set`, whose memmove wins once the view's cost is spread over enough bytes.
 */
function copyBytes(from: Uint8Array, start: number, length: number, to: Uint8Array, at: number): void {
  if (length > 64) {
    to.set(from.subarray(start, start + length), at);
    return;
  }
  for (let i = 0; i < length; i++) to[at + i] = from[start + i]!;
}
