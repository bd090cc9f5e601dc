import { describe, expect, it } from '@jest/globals';
import zlib from 'node:zlib';
import { encodePackEntry, storedZlib } from '../../../src/repo/transport/pack-entry.js';

/** Bytes that do not repeat in a short cycle, so a stray block boundary would show. */
function bytes(n: number): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = (i * 7919 + (i >> 9)) & 0xff;
  return out;
}

describe('storedZlib', () => {
  it.each([0, 1, 5552, 5553, 65535, 65536, 65537, 200_000])(
    'is a zlib stream that inflates back to the %i bytes given (block and checksum boundaries)',
    (n) => {
      const data = bytes(n);
      const stream = storedZlib(data);
      expect(zlib.inflateSync(stream).equals(data)).toBe(true);
      // Stored blocks cost five bytes each, plus the two-byte header and the Adler-32.
      expect(stream.length).toBe(2 + Math.max(1, Math.ceil(n / 65535)) * 5 + n + 4);
    },
  );

  it("is what zlib's own level 0 writes for a small object", () => {
    const data = bytes(3000);
    expect(storedZlib(data).equals(zlib.deflateSync(data, { level: 0 }))).toBe(true);
  });

  it('is the body of a pack entry encoded without compression', () => {
    const data = bytes(70_000);
    const entry = encodePackEntry('tree', data, zlib.constants.Z_NO_COMPRESSION);
    expect(entry.subarray(entry.length - storedZlib(data).length).equals(storedZlib(data))).toBe(true);
  });
});
