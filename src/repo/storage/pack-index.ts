import fs from 'node:fs';

const V2_MAGIC = 0xff744f63;
const FANOUT_BYTES = 256 * 4;

/**
 * A pack's `.idx` file, kept as the file's own bytes: a lookup is a binary search over the
 * sorted id table inside the buffer, narrowed by the fanout table, so opening an index with
 * 100k ids costs one read and no per-id allocation. Both layouts git has written are read:
 * version 2 (with its table of 64-bit offsets for packs past 2 GiB) and the older version 1.
 */
export class PackIndex {
  /** How many objects the pack holds. */
  readonly count: number;
  private readonly version: 1 | 2;
  private readonly fanoutAt: number;
  /** Where the first id starts, and the distance between two ids. */
  private readonly idsAt: number;
  private readonly idStride: number;
  private readonly offsetsAt: number;
  private readonly largeOffsetsAt: number;

  constructor(private readonly buf: Buffer) {
    const v2 = buf.length >= 8 && buf.readUInt32BE(0) === V2_MAGIC;
    if (v2 && buf.readUInt32BE(4) !== 2)
      throw new Error(`unsupported pack index version ${buf.readUInt32BE(4)}`);
    const fanoutAt = v2 ? 8 : 0;
    if (buf.length < fanoutAt + FANOUT_BYTES + 40) throw new Error('pack index is truncated');
    this.version = v2 ? 2 : 1;
    this.count = buf.readUInt32BE(fanoutAt + 255 * 4);
    const n = this.count;
    if (v2) {
      this.idsAt = fanoutAt + FANOUT_BYTES;
      this.idStride = 20;
      // ids, then a CRC-32 per object, then a 4-byte offset per object.
      this.offsetsAt = this.idsAt + n * 20 + n * 4;
      this.largeOffsetsAt = this.offsetsAt + n * 4;
      if (buf.length < this.largeOffsetsAt + 40) throw new Error('pack index is truncated');
    } else {
      // Version 1 interleaves a 4-byte offset and the id for each object.
      this.idsAt = FANOUT_BYTES + 4;
      this.idStride = 24;
      this.offsetsAt = FANOUT_BYTES;
      this.largeOffsetsAt = 0;
      if (buf.length < FANOUT_BYTES + n * 24 + 40) throw new Error('pack index is truncated');
    }
    this.fanoutAt = fanoutAt;
  }

  /** The pack offset of the object with this 20-byte id, or undefined when the pack lacks it. */
  find(id: Uint8Array): number | undefined {
    const i = this.lowerBound(id);
    if (i >= this.count) return undefined;
    const at = this.idsAt + i * this.idStride;
    for (let k = 0; k < 20; k++) if (this.buf[at + k] !== id[k]) return undefined;
    return this.offsetOf(i);
  }

  /** Ids starting with a hex prefix (at least 2 digits), up to `limit` of them. */
  withPrefix(prefix: string, limit: number): string[] {
    const found: string[] = [];
    for (
      let i = this.lowerBound(Buffer.from(prefix.padEnd(40, '0').slice(0, 40), 'hex'));
      i < this.count;
      i++
    ) {
      const oid = this.oidAt(i);
      if (!oid.startsWith(prefix) || found.length === limit) break;
      found.push(oid);
    }
    return found;
  }

  /**
   * The position of the first id not below `id`: a binary search over the sorted id table,
   * narrowed by the fanout table to the ids sharing `id`'s first byte.
   */
  private lowerBound(id: Uint8Array): number {
    const first = id[0]!;
    let lo = first === 0 ? 0 : this.buf.readUInt32BE(this.fanoutAt + (first - 1) * 4);
    let hi = this.buf.readUInt32BE(this.fanoutAt + first * 4);
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.idsAt + mid * this.idStride;
      if (this.entryBefore(at, id)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * True when the id stored at `at` sorts before `id`. Compared here byte by byte: ids
   * differ within their first bytes, and `Buffer.compare` with offsets costs a trip into
   * C++ (with argument checks) at every step of every lookup.
   */
  private entryBefore(at: number, id: Uint8Array): boolean {
    const buf = this.buf;
    for (let k = 0; k < 20; k++) {
      const x = buf[at + k]!;
      const y = id[k]!;
      if (x !== y) return x < y;
    }
    return false;
  }

  /** The id of the i-th object in sorted order, as hex. */
  oidAt(i: number): string {
    const at = this.idsAt + i * this.idStride;
    return this.buf.toString('hex', at, at + 20);
  }

  /** The pack offset of the i-th object in sorted order. */
  offsetOf(i: number): number {
    if (this.version === 1) return this.buf.readUInt32BE(this.offsetsAt + i * 24);
    const small = this.buf.readUInt32BE(this.offsetsAt + i * 4);
    if (small < 0x80000000) return small;
    // The high bit sends us to the 64-bit table; offsets stay exact below 2^53 bytes.
    const at = this.largeOffsetsAt + (small & 0x7fffffff) * 8;
    if (at + 8 > this.buf.length - 40) throw new Error('pack index has a bad 64-bit offset entry');
    return this.buf.readUInt32BE(at) * 0x100000000 + this.buf.readUInt32BE(at + 4);
  }
}

/**
 * Reads a pack's `.idx` for lookups: all of it but a version 2 index's table of CRC-32s (4
 * bytes an object, a seventh of the file), which only verifying the pack needs. The buffer
 * has the file's size, so PackIndex's offsets hold; the CRC part is left unwritten, and
 * memory never written is never faulted in (a first pick's process pays for each page it
 * touches). Throws as PackIndex does, and when the file ends before its size said.
 */
export function readPackIndex(path: string): PackIndex {
  const fd = fs.openSync(path, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const buf = Buffer.allocUnsafeSlow(size);
    const head = Math.min(size, 8 + FANOUT_BYTES);
    readRange(fd, buf, 0, head);
    const v2 = head >= 8 && buf.readUInt32BE(0) === V2_MAGIC && head === 8 + FANOUT_BYTES;
    const count = v2 ? buf.readUInt32BE(8 + 255 * 4) : 0;
    const crcsAt = 8 + FANOUT_BYTES + count * 20;
    const offsetsAt = crcsAt + count * 4;
    if (v2 && offsetsAt <= size) {
      readRange(fd, buf, head, crcsAt);
      readRange(fd, buf, offsetsAt, size);
    } else {
      readRange(fd, buf, head, size);
    }
    return new PackIndex(buf);
  } finally {
    fs.closeSync(fd);
  }
}

/** Fills buf[from, to) with the file's bytes at the same offsets. */
function readRange(fd: number, buf: Buffer, from: number, to: number): void {
  for (let at = from; at < to;) {
    const n = fs.readSync(fd, buf, at, to - at, at);
    if (n === 0) throw new Error('pack index is truncated');
    at += n;
  }
}
