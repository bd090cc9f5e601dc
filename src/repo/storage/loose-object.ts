import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { ObjectType } from './object-format.js';
import type { RawObject } from './pack-reader.js';

const TYPES = new Set<string>(['blob', 'tree', 'commit', 'tag']);

/**
 * Reads the loose object `objects/xx/yyyy…`, or returns undefined when there is no such
 * file. Loose objects are re-hashed: they are few (what a pick or a fetch of a few objects
 * wrote), and an interrupted write or a hand edit leaves exactly this kind of damage.
 */
export function readLooseObject(objectsDir: string, oid: string): RawObject | undefined {
  let file: Buffer;
  try {
    file = fs.readFileSync(path.join(objectsDir, oid.slice(0, 2), oid.slice(2)));
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return undefined;
    throw err;
  }
  const raw = zlib.inflateSync(file);
  const space = raw.indexOf(0x20);
  const nul = raw.indexOf(0, space + 1);
  const type = raw.toString('latin1', 0, space);
  const sizeText = raw.toString('latin1', space + 1, nul);
  if (space <= 0 || nul === -1 || !TYPES.has(type) || !/^\d+$/.test(sizeText)) {
    throw new Error(`loose object ${oid} has no valid header`);
  }
  if (Number(sizeText) !== raw.length - nul - 1) {
    throw new Error(`loose object ${oid} is not the size its header says`);
  }
  if (createHash('sha1').update(raw).digest('hex') !== oid) {
    throw new Error(`loose object ${oid} does not hash to its name`);
  }
  // A copy, so that caches holding it do not also hold inflate's larger output buffer.
  const data = Buffer.allocUnsafeSlow(raw.length - nul - 1);
  raw.copy(data, 0, nul + 1);
  return { type: type as ObjectType, data };
}

/**
 * Writes an object as git does a loose one (`objects/xx/yyyy…`, zlib-deflated, read-only),
 * unless it is there already: an object's name is its content's hash, so one already there
 * is this one. Written whole under a temporary name in the same folder, then renamed, so
 * that no reader sees half an object.
 */
export function writeLooseObject(
  objectsDir: string,
  oid: string,
  type: ObjectType,
  content: Uint8Array,
): void {
  const dir = path.join(objectsDir, oid.slice(0, 2));
  const file = path.join(dir, oid.slice(2));
  if (fs.existsSync(file)) return;
  fs.mkdirSync(dir, { recursive: true });
  const header = Buffer.from(`${type} ${content.byteLength}\0`, 'latin1');
  const temporary = path.join(dir, `tmp_obj_${process.pid}_${Math.random().toString(36).slice(2)}`);
  try {
    fs.writeFileSync(temporary, zlib.deflateSync(Buffer.concat([header, content])), { mode: 0o444 });
    fs.renameSync(temporary, file);
  } catch (err) {
    fs.rmSync(temporary, { force: true });
    // Written meanwhile by another process (a rename onto it fails on Windows): the same object.
    if (!fs.existsSync(file)) throw err;
  }
}
