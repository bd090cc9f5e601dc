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
  const header: number[] = [];
  let size = data.length;
  let byte = (TYPE_NUMBERS[type] << 4) | (size & 0x0f);
  size = Math.floor(size / 16);
  while (size > 0) {
    header.push(byte | 0x80);
    byte = size & 0x7f;
    size = Math.floor(size / 128);
  }
  header.push(byte);
  return Buffer.concat([Buffer.from(header), zlib.deflateSync(data, { level })]);
}

export function typeNumber(type: ObjectType): number {
  return TYPE_NUMBERS[type];
}
