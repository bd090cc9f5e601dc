import zlib from 'node:zlib';
import type { ObjectType } from '../storage/object-format.js';

const TYPE_NUMBERS: Record<ObjectType, number> = { commit: 1, tree: 2, blob: 3, tag: 4 };

/**
 * One whole (undeltified) pack entry: the type and size header (size in 4 bits, then 7-bit
 * groups, least significant first) and the zlib-deflated content. `level` is zlib's
 * compression level (its default, 6, unless said).
 */
export function encodePackEntry(
  type: ObjectType,
  data: Uint8Array,
  level = zlib.constants.Z_DEFAULT_COMPRESSION,
): Buffer {
  const body =
    level === zlib.constants.Z_NO_COMPRESSION ? storedZlib(data) : zlib.deflateSync(data, { level });
  return Buffer.concat([entryHeader(type, data.length), body]);
}

/** The type and size header of a whole pack entry. */
export function entryHeader(type: ObjectType, length: number): Buffer {
  const header: number[] = [];
  let size = length;
  let byte = (TYPE_NUMBERS[type] << 4) | (size & 0x0f);
  size = Math.floor(size / 16);
  while (size > 0) {
    header.push(byte | 0x80);
    byte = size & 0x7f;
    size = Math.floor(size / 128);
  }
  header.push(byte);
  return Buffer.from(header);
}

const STORED_BLOCK = 0xffff;

/**
 * A zlib stream of stored (uncompressed) deflate blocks, written by hand: what
 * `deflateSync(data, { level: 0 })` gives, without setting up a zlib stream per object,
 * which cost a cold backport most of a second for the thousand-odd tree bases a thin pack
 * of a large tree needs.
 */
export function storedZlib(data: Uint8Array): Buffer {
  const blocks = Math.max(1, Math.ceil(data.length / STORED_BLOCK));
  const out = Buffer.allocUnsafe(2 + blocks * 5 + data.length + 4);
  // CMF 0x78 (deflate, 32 KiB window), FLG 0x01: (0x78 * 256 + 0x01) % 31 === 0.
  out[0] = 0x78;
  out[1] = 0x01;
  let at = 2;
  for (let i = 0; i < blocks; i++) {
    const start = i * STORED_BLOCK;
    const length = Math.min(STORED_BLOCK, data.length - start);
    out[at] = i === blocks - 1 ? 1 : 0;
    out.writeUInt16LE(length, at + 1);
    out.writeUInt16LE(~length & 0xffff, at + 3);
    out.set(data.subarray(start, start + length), at + 5);
    at += 5 + length;
  }
  out.writeUInt32BE(adler32(data), at);
  return out;
}

function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  // 5552 bytes is the most that can be summed before the sums could overflow 2^32.
  for (let start = 0; start < data.length; start += 5552) {
    const end = Math.min(data.length, start + 5552);
    for (let i = start; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

export function typeNumber(type: ObjectType): number {
  return TYPE_NUMBERS[type];
}
