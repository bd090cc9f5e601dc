import { createHash } from 'node:crypto';
import type { ObjectType } from '../storage/object-format.js';
import { encodePackEntry } from './pack-entry.js';

export interface PackObject {
  type: ObjectType;
  data: Uint8Array;
}

/**
 * A plain pack of whole objects: `PACK`, version 2, the count, one deflated entry per
 * object, and the SHA-1 of all that. No deltas: what the app pushes is a few commits and
 * trees and the blobs it changed, where deltas would save little and cost a search.
 */
export function writePack(objects: readonly PackObject[]): Buffer {
  const head = Buffer.alloc(12);
  head.write('PACK', 0, 'latin1');
  head.writeUInt32BE(2, 4);
  head.writeUInt32BE(objects.length, 8);
  const parts = [head, ...objects.map((o) => encodePackEntry(o.type, o.data))];
  const hash = createHash('sha1');
  for (const part of parts) hash.update(part);
  parts.push(hash.digest());
  return Buffer.concat(parts);
}
