import fs from 'node:fs';

const V2_MAGIC = 0xff744f63;
const FANOUT_BYTES = 256 * 4;
/**
 * Lookups an index answers from its file before it reads its tables whole. Two small reads a
 * lookup against reading some 2 MB (for 85k objects) whose every page is a fault: a small
 * pick looks up tens of objects, one that detects renames a thousand or more.
 */
const LOOKUPS_BEFORE_WHOLE = 128;

/** Where an index's tables are, from its header and its size. */
interface Layout {
  version: 1 | 2;
  count: number;
  fanoutAt: number;
  /** Where the first id starts, and the distance between two ids. */
  idsAt: number;
  idStride: number;
  /** Where the first offset is, and the distance between two. */
  offsetsAt: number;
  offsetStride: number;
  largeOffsetsAt: number;
  /** Where a version 2 index's CRC-32 table starts, which lookups never need. */
  crcsAt: number;
  size: number;
}

/** Reads `length` bytes at `position` into `into` (from its start); throws when the file ends first. */
type ReadAt = (into: Buffer, length: number, position: number) => void;

/**
 * A pack's `.idx` file: a lookup is a binary search over the sorted id table, narrowed by
 * the fanout table to the ids that share the id's first byte. Both layouts git has written
 * are read: version 2 (with its table of 64-bit offsets for packs past 2 GiB) and the older
 * version 1.
 *
 * Opened from its file (readPackIndex), an index holds its 1 KiB fanout table and reads the
 * rest as lookups need it: a lookup reads the few ids around where the id should be (ids are
 * hashes, so spread evenly: its place in the fanout's range is a good guess), then its offset.
 * After LOOKUPS_BEFORE_WHOLE lookups it reads its tables whole and answers from memory. Made
 * from a buffer, it answers from that buffer.
 */
export class PackIndex {
  /** How many objects the pack holds. */
  readonly count: number;
  private readonly layout: Layout;
  /** The file's bytes (all but a version 2 index's CRC table), once read whole. */
  private buf: Buffer | undefined;
  /** The header through the fanout table. */
  private readonly head: Buffer;
  private readonly readAt: ReadAt | undefined;
  private readonly closeFile: (() => void) | undefined;
  private lookups = 0;
  private closed = false;
  private scratch = Buffer.alloc(0);

  constructor(buf: Buffer);
  constructor(head: Buffer, size: number, readAt: ReadAt, close: () => void);
  constructor(bytes: Buffer, size?: number, readAt?: ReadAt, close?: () => void) {
    this.layout = layoutOf(bytes, size ?? bytes.length);
    this.count = this.layout.count;
    this.head = bytes;
    if (readAt) {
      this.readAt = readAt;
      this.closeFile = close;
    } else {
      this.buf = bytes;
    }
  }

  /** The pack offset of the object with this 20-byte id, or undefined when the pack lacks it. */
  find(id: Uint8Array): number | undefined {
    const [lo, hi] = this.bucket(id[0]!);
    if (lo === hi) return undefined;
    if (!this.buf && ++this.lookups > LOOKUPS_BEFORE_WHOLE) this.readWhole();
    const buf = this.buf;
    if (buf) {
      const i = lowerBound(buf, this.layout.idsAt, this.layout.idStride, lo, hi, id);
      return i < hi && sameId(buf, this.layout.idsAt + i * this.layout.idStride, id)
        ? this.offsetOf(i)
        : undefined;
    }
    return this.findInFile(id, lo, hi);
  }

  /** Ids starting with a hex prefix (at least 2 digits), up to `limit` of them. */
  withPrefix(prefix: string, limit: number): string[] {
    const id = Buffer.from(prefix.padEnd(40, '0').slice(0, 40), 'hex');
    const [lo, hi] = this.bucket(id[0]!);
    // Every id with this prefix shares its first byte: the fanout's range holds them all.
    const { buf, at } = this.buf ? { buf: this.buf, at: this.layout.idsAt } : this.readIds(lo, hi);
    const stride = this.layout.idStride;
    const base = this.buf ? 0 : lo;
    const found: string[] = [];
    for (let i = lowerBound(buf, at - base * stride, stride, lo, hi, id); i < hi; i++) {
      const from = at + (i - base) * stride;
      const oid = buf.toString('hex', from, from + 20);
      if (!oid.startsWith(prefix) || found.length === limit) break;
      found.push(oid);
    }
    return found;
  }

  /** The id of the i-th object in sorted order, as hex. */
  oidAt(i: number): string {
    const buf = this.whole();
    const at = this.layout.idsAt + i * this.layout.idStride;
    return buf.toString('hex', at, at + 20);
  }

  /** The pack offset of the i-th object in sorted order. */
  offsetOf(i: number): number {
    const buf = this.whole();
    return this.decodeOffset(buf.readUInt32BE(this.layout.offsetsAt + i * this.layout.offsetStride), (at) =>
      buf.subarray(at, at + 8),
    );
  }

  /**
   * Releases the file. An index read whole (or made from a buffer) still answers; one that
   * was reading from its file throws, rather than read whatever file has the descriptor next.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.buf) this.closeFile?.();
  }

  /** The range of sorted positions whose ids start with `first`. */
  private bucket(first: number): [number, number] {
    const lo = first === 0 ? 0 : this.head.readUInt32BE(this.layout.fanoutAt + (first - 1) * 4);
    const hi = this.head.readUInt32BE(this.layout.fanoutAt + first * 4);
    if (lo > hi || hi > this.count) throw new Error('pack index has a bad fanout table');
    return [lo, hi];
  }

  /**
   * A lookup from the file: the ids around the guessed place (enough that the id is nearly
   * always among them), or the whole range when it lies past them, then the offset.
   */
  private findInFile(id: Uint8Array, lo: number, hi: number): number | undefined {
    const n = hi - lo;
    const guess =
      lo + Math.floor(((((id[1]! << 24) | (id[2]! << 16) | (id[3]! << 8) | id[4]!) >>> 0) / 2 ** 32) * n);
    // A uniform id's place in a range of n varies by at most sqrt(n)/2 (a standard deviation).
    const half = Math.max(16, Math.ceil(1.5 * Math.sqrt(n)));
    let from = Math.max(lo, guess - half);
    let to = Math.min(hi, guess + half);
    let window = this.readIds(from, to);
    const stride = this.layout.idStride;
    let i = lowerBound(window.buf, window.at - from * stride, stride, from, to, id);
    if ((i === from && from > lo) || (i === to && to < hi)) {
      [from, to] = [lo, hi];
      window = this.readIds(lo, hi);
      i = lowerBound(window.buf, window.at - lo * stride, stride, lo, hi, id);
    }
    if (i >= to || !sameId(window.buf, window.at + (i - from) * stride, id)) return undefined;
    const small = this.read(this.layout.offsetsAt + i * this.layout.offsetStride, 4).readUInt32BE(0);
    return this.decodeOffset(small, (at) => this.read(at, 8));
  }

  /** A version 2 offset, or where it sends to the table of 64-bit ones; exact below 2^53. */
  private decodeOffset(small: number, large: (at: number) => Buffer): number {
    if (this.layout.version === 1 || small < 0x80000000) return small;
    const at = this.layout.largeOffsetsAt + (small & 0x7fffffff) * 8;
    if (at + 8 > this.layout.size - 40) throw new Error('pack index has a bad 64-bit offset entry');
    const bytes = large(at);
    return bytes.readUInt32BE(0) * 0x100000000 + bytes.readUInt32BE(4);
  }

  /** Ids of sorted positions [from, to), read from the file into the scratch buffer. */
  private readIds(from: number, to: number): { buf: Buffer; at: number } {
    const stride = this.layout.idStride;
    return { buf: this.read(this.layout.idsAt + from * stride, (to - from) * stride), at: 0 };
  }

  /** `length` bytes of the file at `position`, in the scratch buffer (valid until the next read). */
  private read(position: number, length: number): Buffer {
    if (this.closed) throw new Error('pack index is closed');
    if (this.scratch.length < length) this.scratch = Buffer.allocUnsafeSlow(Math.max(length, 4096));
    this.readAt!(this.scratch, length, position);
    return this.scratch;
  }

  private whole(): Buffer {
    if (!this.buf) this.readWhole();
    return this.buf!;
  }

  /**
   * Reads the tables into one buffer of the file's size, so that the layout's offsets hold,
   * all but a version 2 index's CRC table (a seventh of it), which is left unwritten: memory
   * never written is never faulted in. Then the file is closed.
   */
  private readWhole(): void {
    if (this.closed) throw new Error('pack index is closed');
    const { size, crcsAt, offsetsAt, version } = this.layout;
    const buf = Buffer.allocUnsafeSlow(size);
    this.head.copy(buf, 0, 0, this.head.length);
    const fill = (from: number, to: number) => {
      if (to > from) this.readAt!(buf.subarray(from, to), to - from, from);
    };
    if (version === 2) {
      fill(this.head.length, crcsAt);
      fill(offsetsAt, size);
    } else {
      fill(this.head.length, size);
    }
    this.closeFile?.();
    this.buf = buf;
  }
}

/** The tables' places, checked against the file's size. */
function layoutOf(head: Buffer, size: number): Layout {
  const v2 = head.length >= 8 && head.readUInt32BE(0) === V2_MAGIC;
  if (v2 && head.readUInt32BE(4) !== 2)
    throw new Error(`unsupported pack index version ${head.readUInt32BE(4)}`);
  const fanoutAt = v2 ? 8 : 0;
  if (size < fanoutAt + FANOUT_BYTES + 40 || head.length < fanoutAt + FANOUT_BYTES)
    throw new Error('pack index is truncated');
  const count = head.readUInt32BE(fanoutAt + 255 * 4);
  if (v2) {
    const idsAt = fanoutAt + FANOUT_BYTES;
    // ids, then a CRC-32 per object, then a 4-byte offset per object.
    const crcsAt = idsAt + count * 20;
    const offsetsAt = crcsAt + count * 4;
    const largeOffsetsAt = offsetsAt + count * 4;
    if (size < largeOffsetsAt + 40) throw new Error('pack index is truncated');
    return {
      version: 2,
      count,
      fanoutAt,
      idsAt,
      idStride: 20,
      offsetsAt,
      offsetStride: 4,
      largeOffsetsAt,
      crcsAt,
      size,
    };
  }
  // Version 1 interleaves a 4-byte offset and the id for each object.
  if (size < FANOUT_BYTES + count * 24 + 40) throw new Error('pack index is truncated');
  return {
    version: 1,
    count,
    fanoutAt,
    idsAt: FANOUT_BYTES + 4,
    idStride: 24,
    offsetsAt: FANOUT_BYTES,
    offsetStride: 24,
    largeOffsetsAt: 0,
    crcsAt: size,
    size,
  };
}

/**
 * The first of sorted positions [lo, hi) whose id is not below `id`, the id of position i
 * being at `base + i * stride` in `buf`. Compared here byte by byte: ids differ within their
 * first bytes, and `Buffer.compare` with offsets costs a trip into C++ (with argument checks)
 * at every step of every lookup.
 */
function lowerBound(
  buf: Buffer,
  base: number,
  stride: number,
  lo: number,
  hi: number,
  id: Uint8Array,
): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (idBefore(buf, base + mid * stride, id)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** True when the id stored at `at` sorts before `id`. */
function idBefore(buf: Buffer, at: number, id: Uint8Array): boolean {
  for (let k = 0; k < 20; k++) {
    const x = buf[at + k]!;
    const y = id[k]!;
    if (x !== y) return x < y;
  }
  return false;
}

function sameId(buf: Buffer, at: number, id: Uint8Array): boolean {
  for (let k = 0; k < 20; k++) if (buf[at + k] !== id[k]) return false;
  return true;
}

/**
 * Opens a pack's `.idx` for lookups: its header and fanout table are read now, the rest as
 * lookups need it (see PackIndex), through a descriptor kept open until `close()` or until
 * the tables are read whole. Throws as PackIndex does, and when the file ends before its
 * size said.
 */
export function readPackIndex(path: string): PackIndex {
  const fd = fs.openSync(path, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const readAt: ReadAt = (into, length, position) => {
      for (let at = 0; at < length;) {
        const n = fs.readSync(fd, into, at, length - at, position + at);
        if (n === 0) throw new Error('pack index is truncated');
        at += n;
      }
    };
    const head = Buffer.allocUnsafe(Math.min(size, 8 + FANOUT_BYTES));
    readAt(head, head.length, 0);
    // A version 1 index has no header: its fanout table starts the file.
    const v2 = head.length >= 8 && head.readUInt32BE(0) === V2_MAGIC;
    let closed = false;
    return new PackIndex(
      v2 ? head : head.subarray(0, Math.min(head.length, FANOUT_BYTES)),
      size,
      readAt,
      () => {
        if (!closed) fs.closeSync(fd);
        closed = true;
      },
    );
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
}
