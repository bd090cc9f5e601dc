import type { RawTree, TreeEntry } from './object-store.js';

export type { RawTree };

/*
 * Tree objects read in place: entries are located once, compared as bytes, and turned into
 * strings only when asked for (see RawTree in object-store.ts).
 */

/** Indexes a tree object's entries; throws on a truncated entry, as `parseTree` does. */
export function indexTree(content: Uint8Array): RawTree {
  const bytes = Buffer.isBuffer(content)
    ? content
    : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  const end = bytes.length;
  // An entry takes at least 24 bytes (a mode, a space, a one-byte name, a NUL, an id).
  let marks = new Uint32Array(2 * Math.max(1, Math.ceil(end / 24)));
  let count = 0;
  let byteSorted = true;
  let at = 0;
  while (at < end) {
    let space = at;
    while (space < end && bytes[space] !== 0x20) space++;
    let nul = space + 1;
    while (nul < end && bytes[nul] !== 0) nul++;
    if (space >= end || nul >= end || nul + 21 > end) throw new Error('truncated tree entry');
    if (2 * count + 2 > marks.length) {
      const grown = new Uint32Array(marks.length * 2);
      grown.set(marks);
      marks = grown;
    }
    if (byteSorted && count > 0) {
      const prevSpace = marks[2 * count - 2]!;
      const prevNul = marks[2 * count - 1]!;
      byteSorted = compareBytes(bytes, prevSpace + 1, prevNul, bytes, space + 1, nul) < 0;
    }
    marks[2 * count] = space;
    marks[2 * count + 1] = nul;
    count++;
    at = nul + 21;
  }
  return { bytes, count, marks, byteSorted };
}

/** Entry `i` as the parsed entry `parseTree` gives for it. */
export function rawEntry(tree: RawTree, i: number): TreeEntry {
  const { bytes, marks } = tree;
  const space = marks[2 * i]!;
  const nul = marks[2 * i + 1]!;
  const start = entryStart(tree, i);
  return {
    mode: knownMode(bytes, start, space) ?? padMode(bytes.toString('latin1', start, space)),
    name: bytes.toString('latin1', space + 1, nul),
    oid: bytes.toString('hex', nul + 1, nul + 21),
  };
}

/** True when entry `i` is a directory (mode 40000, or 040000 as `rawEntry` pads it). */
export function rawIsTree(tree: RawTree, i: number): boolean {
  const { bytes } = tree;
  let at = entryStart(tree, i);
  const space = tree.marks[2 * i]!;
  if (space - at === 6 && bytes[at] === 0x30) at++;
  return space - at === 5 && bytes[at] === 0x34 && bytes.readUInt32BE(at + 1) === 0x30303030;
}

/** Entry `i`'s name, as `rawEntry` gives it. */
export function rawName(tree: RawTree, i: number): string {
  return tree.bytes.toString('latin1', tree.marks[2 * i]! + 1, tree.marks[2 * i + 1]!);
}

/** Entry `i`'s id, as `rawEntry` gives it. */
export function rawId(tree: RawTree, i: number): string {
  const nul = tree.marks[2 * i + 1]!;
  return tree.bytes.toString('hex', nul + 1, nul + 21);
}

/** Compares entry `i`'s name in `a` with entry `j`'s in `b`, byte by byte. */
export function compareRawNames(a: RawTree, i: number, b: RawTree, j: number): number {
  return compareBytes(
    a.bytes,
    a.marks[2 * i]! + 1,
    a.marks[2 * i + 1]!,
    b.bytes,
    b.marks[2 * j]! + 1,
    b.marks[2 * j + 1]!,
  );
}

/** True when entry `i` of `a` and entry `j` of `b` have the same mode bytes and id. */
export function sameRawModeAndId(a: RawTree, i: number, b: RawTree, j: number): boolean {
  const x = a.bytes;
  const y = b.bytes;
  const xs = entryStart(a, i);
  const ys = entryStart(b, j);
  const xSpace = a.marks[2 * i]!;
  const ySpace = b.marks[2 * j]!;
  if (xSpace - xs !== ySpace - ys) return false;
  for (let k = 0; k < xSpace - xs; k++) if (x[xs + k] !== y[ys + k]) return false;
  const xId = a.marks[2 * i + 1]! + 1;
  const yId = b.marks[2 * j + 1]! + 1;
  for (let k = 0; k < 20; k++) if (x[xId + k] !== y[yId + k]) return false;
  return true;
}

function entryStart(tree: RawTree, i: number): number {
  return i === 0 ? 0 : tree.marks[2 * i - 1]! + 21;
}

/** Byte order of x[xs, xe) and y[ys, ye): negative, zero or positive. */
function compareBytes(x: Uint8Array, xs: number, xe: number, y: Uint8Array, ys: number, ye: number): number {
  const n = Math.min(xe - xs, ye - ys);
  for (let k = 0; k < n; k++) {
    const d = x[xs + k]! - y[ys + k]!;
    if (d !== 0) return d;
  }
  return xe - xs - (ye - ys);
}

const MODE_FILE = '100644';
const MODE_EXECUTABLE = '100755';
const MODE_TREE = '040000';

/**
 * The three modes nearly every entry has, as shared strings: a large tree has tens of
 * thousands of entries, and a new mode string for each is garbage the collector must sweep.
 */
function knownMode(buf: Buffer, from: number, to: number): string | undefined {
  if (to - from === 5) {
    // 40000: a directory, written without its leading zero.
    return buf[from] === 0x34 && buf.readUInt32BE(from + 1) === 0x30303030 ? MODE_TREE : undefined;
  }
  if (to - from !== 6 || buf.readUInt32BE(from) !== 0x31303036) return undefined; // 1006
  if (buf[from + 4] === 0x34 && buf[from + 5] === 0x34) return MODE_FILE; // 44
  if (buf[from + 4] === 0x37 && buf[from + 5] === 0x35) return MODE_EXECUTABLE; // 55
  return undefined;
}

function padMode(mode: string): string {
  return mode.length === 5 ? `0${mode}` : mode;
}
