import { createHash } from 'node:crypto';
import type { PackEntry } from './pack-scanner.js';

/** git writes offsets past 2^31 - 1 to the 64-bit table (its default `off32_limit`). */
const OFF32_LIMIT = 0x7fffffff;

/**
 * A version 2 `.idx`, laid out as `git index-pack` writes it: magic and version, the
 * 256-entry fanout, the sorted ids, their CRC-32s, their 31-bit offsets (or, with the high
 * bit set, an index into the table of 64-bit offsets that follows), then the pack's
 * checksum and the index's own.
 */
export function writePackIndex(
  entries: readonly Pick<PackEntry, 'offset' | 'crc' | 'oid'>[],
  packChecksum: Buffer,
): Buffer {
  const n = entries.length;
  const order = entries.map((e, i) => {
    if (!e.oid) throw new Error(`the pack entry at ${e.offset} has no object id`);
    return i;
  });
  order.sort((a, b) => Buffer.compare(entries[a]!.oid!, entries[b]!.oid!));
  const large = entries.filter((e) => e.offset > OFF32_LIMIT).length;
  const out = Buffer.alloc(8 + 1024 + n * 28 + large * 8 + 40);
  out.writeUInt32BE(0xff744f63, 0);
  out.writeUInt32BE(2, 4);
  const idsAt = 8 + 1024;
  const crcsAt = idsAt + n * 20;
  const offsetsAt = crcsAt + n * 4;
  const largeAt = offsetsAt + n * 4;
  const fanout = new Uint32Array(256);
  let nextLarge = 0;
  for (let k = 0; k < n; k++) {
    const e = entries[order[k]!]!;
    e.oid!.copy(out, idsAt + k * 20);
    fanout[e.oid![0]!]!++;
    out.writeUInt32BE(e.crc >>> 0, crcsAt + k * 4);
    if (e.offset > OFF32_LIMIT) {
      out.writeUInt32BE((0x80000000 | nextLarge) >>> 0, offsetsAt + k * 4);
      out.writeUInt32BE(Math.floor(e.offset / 0x100000000), largeAt + nextLarge * 8);
      out.writeUInt32BE(e.offset % 0x100000000, largeAt + nextLarge * 8 + 4);
      nextLarge++;
    } else {
      out.writeUInt32BE(e.offset, offsetsAt + k * 4);
    }
  }
  let running = 0;
  for (let b = 0; b < 256; b++) {
    running += fanout[b]!;
    out.writeUInt32BE(running, 8 + b * 4);
  }
  const checksumAt = largeAt + large * 8;
  packChecksum.copy(out, checksumAt);
  createHash('sha1')
    .update(out.subarray(0, checksumAt + 20))
    .digest()
    .copy(out, checksumAt + 20);
  return out;
}
