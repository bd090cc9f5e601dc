import { createHash, type Hash } from 'node:crypto';
import zlib from 'node:zlib';
import { checkObjectSize, deflateBound, MAX_PACK_INFLATED_BYTES } from '../storage/object-limits.js';

/** Pack entry types as the pack format numbers them. */
export const OBJ_COMMIT = 1;
export const OBJ_TREE = 2;
export const OBJ_BLOB = 3;
export const OBJ_TAG = 4;
export const OBJ_OFS_DELTA = 6;
export const OBJ_REF_DELTA = 7;
export const TYPE_NAMES = ['', 'commit', 'tree', 'blob', 'tag'] as const;

export interface PackEntry {
  /** Where the entry starts in the pack. */
  offset: number;
  type: number;
  /** The inflated size: the object's, or the delta's. */
  size: number;
  /** Where the compressed body starts, and how long it is. */
  dataStart: number;
  dataLength: number;
  /** CRC-32 of the entry's raw bytes (header and compressed body), for the .idx. */
  crc: number;
  /** An ofs-delta's base, as an offset in this pack. */
  baseOffset?: number;
  /** A ref-delta's base, as an object id (hex). */
  baseId?: string;
  /** The object id, once known: at once for whole objects, after resolution for deltas. */
  oid?: Buffer;
  /** A delta's instructions, kept from the scan while they fit the budget. */
  delta?: Buffer;
}

export interface ScannedPack {
  entries: PackEntry[];
  /** The pack's trailing SHA-1, checked against its content. */
  checksum: Buffer;
  /** Where the object data ends (the checksum follows). */
  end: number;
}

/** Deltas kept in memory between the scan and their resolution; the rest are read again. */
const DELTA_BUDGET_BYTES = 64 << 20;
/**
 * What the scanner holds at first: the bytes of entries not yet whole, not the pack, so it
 * grows only for an entry larger than this. A job makes a dozen fetches, most of them a few
 * kilobytes; at 1 MiB each, their buffers were several megabytes of the app's peak memory
 * until the collector found them (a fetch waits on the network long enough for its scanner
 * to reach the old generation).
 */
const INITIAL_BUFFER = 64 << 10;

/**
 * The first pass of indexing a pack, fed with the pack's bytes as they arrive (so indexing
 * runs while the server is still sending). Each entry's header is parsed and its body
 * inflated with node's zlib to find where it ends (`info: true` reports how much input the
 * stream used); whole objects are hashed at once, deltas are set aside for the second pass.
 * The pack's own SHA-1 and each entry's CRC-32 are computed on the way.
 */
export class PackScanner {
  readonly entries: PackEntry[] = [];
  private buf = Buffer.allocUnsafe(INITIAL_BUFFER);
  private start = 0;
  private end = 0;
  /** The pack offset of `buf[start]`. */
  private offset = 0;
  private count = -1;
  private readonly hash: Hash = createHash('sha1');
  private checksum: Buffer | undefined;
  private deltaBytes = 0;
  /** Set after a body proved longer than zlib's bound: wait for this many bytes first. */
  private waitFor = 0;
  /** Bytes inflated so far, against `maxTotalBytes`. */
  private inflatedBytes = 0;
  private readonly maxTotalBytes: number;

  constructor(limits: { maxTotalBytes?: number } = {}) {
    this.maxTotalBytes = limits.maxTotalBytes ?? MAX_PACK_INFLATED_BYTES;
  }

  push(chunk: Buffer): void {
    if (this.checksum && chunk.length > 0) throw new Error('the pack has bytes after its checksum');
    this.append(chunk);
    this.scan(false);
  }

  /** Ends the input: everything must have been a whole pack. */
  finish(): ScannedPack {
    this.scan(true);
    if (!this.checksum) throw new Error('the pack is truncated');
    if (this.end > this.start) throw new Error('the pack has bytes after its checksum');
    return { entries: this.entries, checksum: this.checksum, end: this.offset - 20 };
  }

  private scan(final: boolean): void {
    if (this.count < 0) {
      if (this.end - this.start < 12) {
        if (final) throw new Error('the pack is truncated');
        return;
      }
      const head = this.buf.subarray(this.start, this.start + 12);
      const version = head.readUInt32BE(4);
      if (head.toString('latin1', 0, 4) !== 'PACK' || (version !== 2 && version !== 3)) {
        throw new Error('the data is not a pack');
      }
      this.count = head.readUInt32BE(8);
      this.hash.update(head);
      this.consume(12);
    }
    while (this.entries.length < this.count) {
      if (!this.scanEntry(final)) return;
    }
    if (this.checksum) return;
    if (this.end - this.start < 20) {
      if (final) throw new Error('the pack is truncated');
      return;
    }
    const trailer = Buffer.from(this.buf.subarray(this.start, this.start + 20));
    if (!trailer.equals(this.hash.digest())) throw new Error('the pack does not match its checksum');
    this.checksum = trailer;
    this.consume(20);
  }

  /** Scans one entry if enough of it is here; false when it must wait for more bytes. */
  private scanEntry(final: boolean): boolean {
    const avail = this.end - this.start;
    if (!final && avail < this.waitFor) return false;
    const buf = this.buf;
    let at = this.start;
    const limit = this.end;
    const next = (): number => (at < limit ? buf[at++]! : -1);
    let byte = next();
    if (byte < 0) return this.short(final);
    const type = (byte >> 4) & 7;
    let size = byte & 0x0f;
    let scale = 16;
    while (byte & 0x80) {
      byte = next();
      if (byte < 0) return this.short(final);
      size += (byte & 0x7f) * scale;
      scale *= 128;
    }
    const entry: PackEntry = { offset: this.offset, type, size, dataStart: 0, dataLength: 0, crc: 0 };
    if (type === OBJ_OFS_DELTA) {
      byte = next();
      if (byte < 0) return this.short(final);
      let back = byte & 0x7f;
      while (byte & 0x80) {
        byte = next();
        if (byte < 0) return this.short(final);
        back = (back + 1) * 128 + (byte & 0x7f);
      }
      entry.baseOffset = this.offset - back;
      if (back === 0 || entry.baseOffset < 12) throw new Error(`bad delta base offset at ${this.offset}`);
    } else if (type === OBJ_REF_DELTA) {
      if (limit - at < 20) return this.short(final);
      entry.baseId = buf.toString('hex', at, at + 20);
      at += 20;
    } else if (type < OBJ_COMMIT || type > OBJ_TAG) {
      throw new Error(`unknown pack entry type ${type} at ${this.offset}`);
    }
    const headerLength = at - this.start;
    // Checked before waiting or inflating: a few bytes of header can claim gigabytes.
    checkObjectSize(size, `the pack entry at ${this.offset}`);
    if (this.inflatedBytes + size > this.maxTotalBytes) {
      throw new Error(`the pack inflates to more than ${this.maxTotalBytes} bytes in all`);
    }
    // A whole deflate stream is never longer than zlib's bound: wait until that much is here.
    const bound = headerLength + deflateBound(size);
    if (!final && avail < Math.max(bound, this.waitFor)) return false;
    // Normally only the bound's bytes go in. Once a body proved longer than the bound (a
    // valid stream, e.g. of many small stored blocks), or at the end of the input, everything
    // held goes in: zlib stops at the stream's end and says how much it used.
    const inputEnd = final || this.waitFor > 0 ? limit : Math.min(limit, this.start + bound);
    let inflated: { buffer: Buffer; engine: { bytesWritten: number } };
    try {
      inflated = zlib.inflateSync(buf.subarray(at, inputEnd), {
        info: true,
        chunkSize: Math.max(64, size + 1),
        // Never more than declared (+1, to tell "too long" from "exact").
        maxOutputLength: size + 1,
      }) as unknown as typeof inflated;
    } catch (err) {
      const truncated = (err as { code?: string }).code === 'Z_BUF_ERROR';
      if (truncated && !final) {
        // An odd encoder went past the bound: wait for twice as much and try again.
        this.waitFor = avail * 2;
        return false;
      }
      if (truncated) throw new Error('the pack is truncated', { cause: err });
      throw new Error(`the pack entry at ${this.offset} cannot be inflated`, { cause: err });
    }
    this.waitFor = 0;
    this.inflatedBytes += size;
    const data = inflated.buffer;
    if (data.length !== size) throw new Error(`the pack entry at ${this.offset} inflates to the wrong size`);
    const used = inflated.engine.bytesWritten;
    const raw = buf.subarray(this.start, at + used);
    entry.dataStart = this.offset + headerLength;
    entry.dataLength = used;
    entry.crc = zlib.crc32(raw);
    this.hash.update(raw);
    if (type <= OBJ_TAG) {
      entry.oid = hashObject(type, data);
    } else if (this.deltaBytes + data.length <= DELTA_BUDGET_BYTES) {
      entry.delta = data;
      this.deltaBytes += data.length;
    }
    this.entries.push(entry);
    this.consume(raw.length);
    return true;
  }

  private short(final: boolean): boolean {
    if (final) throw new Error('the pack is truncated');
    return false;
  }

  private consume(n: number): void {
    this.start += n;
    this.offset += n;
    if (this.start === this.end) this.start = this.end = 0;
  }

  private append(chunk: Buffer): void {
    if (chunk.length === 0) return;
    const held = this.end - this.start;
    if (this.end + chunk.length > this.buf.length) {
      if (held + chunk.length <= this.buf.length / 2) {
        this.buf.copy(this.buf, 0, this.start, this.end);
      } else {
        const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, held + chunk.length));
        this.buf.copy(bigger, 0, this.start, this.end);
        this.buf = bigger;
      }
      this.start = 0;
      this.end = held;
    }
    chunk.copy(this.buf, this.end);
    this.end += chunk.length;
  }
}

/** git's object id: SHA-1 of `<type> <size>\0` and the content. */
export function hashObject(type: number, data: Buffer): Buffer {
  return createHash('sha1').update(`${TYPE_NAMES[type]} ${data.length}\0`).update(data).digest();
}
