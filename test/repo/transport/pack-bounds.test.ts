import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { applyDelta } from '../../../src/repo/storage/apply-delta.js';
import { MAX_OBJECT_BYTES } from '../../../src/repo/storage/object-limits.js';
import { encodePackEntry, entryHeader } from '../../../src/repo/transport/pack-entry.js';
import { PackScanner } from '../../../src/repo/transport/pack-scanner.js';

/** A pack of one blob entry whose header declares `declared` bytes but whose body is `body`. */
function lyingPack(declared: number, body: Buffer): Buffer {
  const head = Buffer.alloc(12);
  head.write('PACK', 0, 'latin1');
  head.writeUInt32BE(2, 4);
  head.writeUInt32BE(1, 8);
  const content = Buffer.concat([head, entryHeader('blob', declared), zlib.deflateSync(body, { level: 9 })]);
  return Buffer.concat([content, createHash('sha1').update(content).digest()]);
}

function deltaHeader(...sizes: number[]): Buffer {
  const out: number[] = [];
  for (let n of sizes) {
    while (n >= 0x80) {
      out.push((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    out.push(n);
  }
  return Buffer.from(out);
}

afterEach(() => {
  jest.restoreAllMocks();
});

describe('inflation is bounded by what the pack declares (defect i)', () => {
  it('stops inflating a body at its declared size instead of inflating 16 MiB', () => {
    // About 16 KB of deflate that inflates to 16 MiB, behind a header that says 10 bytes.
    const pack = lyingPack(10, Buffer.alloc(16 << 20));
    expect(pack.length).toBeLessThan(200_000);
    const inflate = jest.spyOn(zlib, 'inflateSync');
    const scanner = new PackScanner();
    expect(() => {
      scanner.push(pack);
      scanner.finish();
    }).toThrow(/cannot be inflated/);
    const largest = Math.max(
      ...inflate.mock.results.map((r) => (r.value as { buffer?: Buffer })?.buffer?.length ?? 0),
    );
    expect(largest).toBeLessThanOrEqual(11);
  });

  it('refuses a pack entry declaring more than an object may hold, before inflating it', () => {
    const inflate = jest.spyOn(zlib, 'inflateSync');
    for (const declared of [2 ** 32, MAX_OBJECT_BYTES + 1]) {
      const scanner = new PackScanner();
      expect(() => {
        scanner.push(lyingPack(declared, Buffer.from('tiny')));
        scanner.finish();
      }).toThrow(/larger than the .* bytes the app accepts/);
    }
    expect(inflate).not.toHaveBeenCalled();
  });

  it('stops a pack whose objects inflate to more than the fetch may use in all', () => {
    const entries = [1, 2, 3].map((n) => encodePackEntry('blob', Buffer.alloc(1000, n)));
    const head = Buffer.alloc(12);
    head.write('PACK', 0, 'latin1');
    head.writeUInt32BE(2, 4);
    head.writeUInt32BE(3, 8);
    const content = Buffer.concat([head, ...entries]);
    const pack = Buffer.concat([content, createHash('sha1').update(content).digest()]);
    expect(() => {
      const scanner = new PackScanner({ maxTotalBytes: 2500 });
      scanner.push(pack);
      scanner.finish();
    }).toThrow(/more than 2500 bytes in all/);
    const scanner = new PackScanner({ maxTotalBytes: 3000 });
    scanner.push(pack);
    expect(scanner.finish().entries).toHaveLength(3);
  });

  it('refuses a delta whose result would be larger than an object may hold, before allocating it', () => {
    const alloc = jest.spyOn(Buffer, 'allocUnsafeSlow');
    expect(() => applyDelta(new Uint8Array(0), deltaHeader(0, 2 ** 31))).toThrow(
      /larger than the .* bytes the app accepts/,
    );
    expect(alloc).not.toHaveBeenCalled();
  });
});
