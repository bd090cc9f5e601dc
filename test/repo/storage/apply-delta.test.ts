import { describe, expect, it } from '@jest/globals';
import { applyDelta } from '../../../src/repo/storage/apply-delta.js';

/** A size in a delta header: little-endian base-128. */
function size(n: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    bytes.push(byte);
  } while (n > 0);
  return bytes;
}

const delta = (...parts: (number | number[] | string)[]) =>
  Uint8Array.from(
    parts.flatMap((p) =>
      typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : typeof p === 'number' ? [p] : p,
    ),
  );

describe('applyDelta', () => {
  const base = Buffer.from('hello world');

  it('copies ranges of the base and inserts new bytes in order', () => {
    // copy 6..11 ("world"), insert ", ", copy 0..5 ("hello")
    const d = delta(size(11), size(12), 0x91, 6, 5, 2, ', ', 0x90, 5);
    expect(applyDelta(base, d).toString()).toBe('world, hello');
  });

  it('reads only the offset and size bytes its instruction names', () => {
    const big = Buffer.alloc(70000);
    for (let i = 0; i < big.length; i++) big[i] = i % 251;
    // offset byte 1 only (offset 0x0100), size byte 1 only (size 0x0200)
    const d = delta(size(big.length), size(0x200), 0x80 | 0x02 | 0x20, 0x01, 0x02);
    expect(applyDelta(big, d).equals(big.subarray(0x100, 0x300))).toBe(true);
  });

  it('takes a copy of size zero to mean 64 KiB', () => {
    const big = Buffer.alloc(0x10000 + 10, 7);
    big[0] = 1;
    const out = applyDelta(big, delta(size(big.length), size(0x10000), 0x80));
    expect(out.length).toBe(0x10000);
    expect(out[0]).toBe(1);
  });

  it('rejects a delta made for a base of another size', () => {
    expect(() => applyDelta(base, delta(size(12), size(1), 1, 'x'))).toThrow(/base of 12 bytes/);
  });

  it('rejects copies outside the base and inserts past the end', () => {
    expect(() => applyDelta(base, delta(size(11), size(5), 0x91, 8, 5))).toThrow(/outside its base/);
    expect(() => applyDelta(base, delta(size(11), size(5), 5, 'ab'))).toThrow(/inserts past/);
  });

  it('rejects the reserved zero instruction and a result of the wrong length', () => {
    expect(() => applyDelta(base, delta(size(11), size(1), 0))).toThrow(/reserved/);
    expect(() => applyDelta(base, delta(size(11), size(3), 1, 'x'))).toThrow(/made 1 bytes, expected 3/);
  });

  it('rejects a delta cut inside its header or an instruction', () => {
    expect(() => applyDelta(base, delta(0x8b))).toThrow(/header/);
    expect(() => applyDelta(base, delta(size(11), size(5), 0x91, 6))).toThrow(/copy instruction/);
  });
});
