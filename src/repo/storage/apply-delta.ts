import { checkObjectSize } from './object-limits.js';

/**
 * Rebuilds an object from its delta base and a git delta: two sizes (base, result) as
 * little-endian base-128 numbers, then instructions that either copy a range of the base or
 * insert the bytes that follow. Every size and range is checked, so a damaged delta throws
 * rather than producing a plausible but wrong object.
 */
export function applyDelta(base: Uint8Array, delta: Uint8Array): Buffer {
  let at = 0;
  const readSize = (): number => {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (at >= delta.length) throw new Error('delta ends inside its header');
      const byte = delta[at++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
      if (scale > 2 ** 49) throw new Error('delta header size is too large');
    }
  };
  const baseSize = readSize();
  if (baseSize !== base.length) {
    throw new Error(`delta expects a base of ${baseSize} bytes, got ${base.length}`);
  }
  const resultSize = readSize();
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
        if (op & (1 << bit)) offset += nextByte() * 2 ** (8 * bit);
      }
      for (let bit = 0; bit < 3; bit++) {
        if (op & (0x10 << bit)) size += nextByte() << (8 * bit);
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

  function nextByte(): number {
    if (at >= delta.length) throw new Error('delta ends inside a copy instruction');
    return delta[at++]!;
  }
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
