import { checkObjectSize } from './object-limits.js';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { applyDelta } from './apply-delta.js';
import type { DeltaBaseCache } from './delta-base-cache.js';
import type { ObjectType } from './object-format.js';
import { PackIndex } from './pack-index.js';

export interface RawObject {
  type: ObjectType;
  data: Buffer;
}

/** What a pack needs from the rest of the object database while it rebuilds an object. */
export interface PackContext {
  cache: DeltaBaseCache;
  /** Reads a ref-delta's base that this pack lacks (a thin pack's base: another pack, or loose). */
  readExternal(id: Buffer): RawObject | undefined;
}

const TYPE_NAMES: readonly (ObjectType | undefined)[] = [undefined, 'commit', 'tree', 'blob', 'tag'];
const OFS_DELTA = 6;
const REF_DELTA = 7;
/** Enough for the header and the whole compressed body of most trees, commits and deltas. */
const FIRST_READ = 4096;
/** git's own limit on delta depth is 4095; anything deeper is a cycle in a damaged pack. */
const MAX_CHAIN = 10_000;

interface Entry {
  type: number;
  data: Buffer;
  baseOffset?: number;
  baseId?: Buffer;
}

/** An entry's header: its type, its inflated size, where its body starts and how much was read. */
interface EntryHeader {
  type: number;
  size: number;
  at: number;
  len: number;
  baseOffset?: number;
  baseId?: Buffer;
}

/**
 * One pack file read in place: positioned reads through a file descriptor, never the whole
 * pack in memory. Reads are synchronous on purpose: an object is a page-cache read and an
 * inflate of microseconds, and the inflate is synchronous anyway, so a trip through the
 * thread pool per object would only add latency.
 *
 * Packed objects are not re-hashed on read (neither does git): each compressed stream
 * carries zlib's Adler-32 checksum, and delta application checks every size, which catches
 * damage; a wrong but well-formed pack would need a SHA-1 per read to catch, at a cost paid
 * on every tree of every pick.
 */
export class PackReader {
  private readonly scratch = Buffer.allocUnsafeSlow(FIRST_READ);
  private closed = false;

  private constructor(
    /** A number unique among the packs of one reader, for cache keys. */
    readonly id: number,
    /** The file name without `.pack` or `.idx`. */
    readonly name: string,
    private readonly path: string,
    readonly index: PackIndex,
    private readonly fd: number,
    /** Where object data ends: the pack's trailing 20-byte checksum follows. */
    private readonly end: number,
  ) {}

  /** Opens a pack with its index; throws when either is missing or damaged. */
  static open(id: number, name: string, packPath: string, idxPath: string): PackReader {
    const index = new PackIndex(fs.readFileSync(idxPath));
    const fd = fs.openSync(packPath, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const head = Buffer.alloc(12);
      const got = fs.readSync(fd, head, 0, 12, 0);
      const version = head.readUInt32BE(4);
      if (got < 12 || head.toString('latin1', 0, 4) !== 'PACK' || (version !== 2 && version !== 3)) {
        throw new Error(`${packPath} is not a pack file`);
      }
      if (head.readUInt32BE(8) !== index.count) {
        throw new Error(`${packPath} holds ${head.readUInt32BE(8)} objects, its index ${index.count}`);
      }
      return new PackReader(id, name, packPath, index, fd, size - 20);
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
  }

  close(): void {
    // Twice would close whatever file has reused the descriptor number since.
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
  }

  /** Rebuilds the object at `offset`, walking its delta chain down to a whole object. */
  read(offset: number, ctx: PackContext): RawObject {
    const deltas: { offset: number; data: Buffer }[] = [];
    let at = offset;
    let base: RawObject | undefined;
    while (!base) {
      if (deltas.length > MAX_CHAIN) throw new Error('delta chain is too long (a cycle?)');
      const cached = ctx.cache.get(this.id, at);
      if (cached) {
        base = cached;
        break;
      }
      const entry = this.entry(at);
      const type = TYPE_NAMES[entry.type];
      if (type) {
        base = { type, data: entry.data };
        if (deltas.length > 0) ctx.cache.set(this.id, at, base);
        break;
      }
      deltas.push({ offset: at, data: entry.data });
      if (entry.baseOffset !== undefined) {
        at = entry.baseOffset;
        continue;
      }
      const baseId = entry.baseId!;
      const local = this.index.find(baseId);
      if (local !== undefined) {
        at = local;
        continue;
      }
      base = ctx.readExternal(baseId);
      if (!base) throw new Error(`the delta base ${baseId.toString('hex')} is missing`);
    }
    for (let i = deltas.length - 1; i >= 0; i--) {
      base = { type: base.type, data: applyDelta(base.data, deltas[i]!.data) };
      // Everything below the requested object is some delta's base: worth keeping.
      if (i > 0) ctx.cache.set(this.id, deltas[i]!.offset, base);
    }
    return base;
  }

  /**
   * The size of the object at `offset` without rebuilding it: a whole object's size is in
   * its entry header, and a delta's result size is the second number at the start of the
   * delta, so only its first bytes are inflated. Undefined when those bytes do not suffice.
   */
  size(offset: number): number | undefined {
    const head = this.header(offset);
    if (TYPE_NAMES[head.type]) return head.size;
    const start = Buffer.from(this.scratch.subarray(head.at, Math.min(head.len, head.at + 256)));
    let data: Buffer;
    try {
      data = zlib.inflateSync(start, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    } catch {
      return undefined;
    }
    let at = 0;
    const varint = (): number | undefined => {
      let value = 0;
      let scale = 1;
      for (;;) {
        if (at >= data.length) return undefined;
        const byte = data[at++]!;
        value += (byte & 0x7f) * scale;
        scale *= 128;
        if (!(byte & 0x80)) return value;
      }
    };
    if (varint() === undefined) return undefined;
    return varint();
  }

  /** Parses the entry header at `offset` and inflates its body (an object or a delta). */
  private entry(offset: number): Entry {
    const head = this.header(offset);
    const entry: Entry = { type: head.type, data: this.scratch };
    if (head.baseOffset !== undefined) entry.baseOffset = head.baseOffset;
    if (head.baseId !== undefined) entry.baseId = head.baseId;
    entry.data = this.inflate(offset, head.at, head.size, head.len);
    return entry;
  }

  /** Reads the entry header at `offset` into the scratch buffer and parses it. */
  private header(offset: number): EntryHeader {
    if (offset < 12 || offset >= this.end) throw new Error(`no pack entry at offset ${offset}`);
    const buf = this.scratch;
    const len = this.readAt(buf, Math.min(FIRST_READ, this.end - offset), offset);
    let at = 0;
    const next = (): number => {
      if (at >= len) throw new Error(`pack entry header at ${offset} is too long`);
      return buf[at++]!;
    };
    let byte = next();
    const type = (byte >> 4) & 7;
    let size = byte & 0x0f;
    let scale = 16;
    while (byte & 0x80) {
      byte = next();
      size += (byte & 0x7f) * scale;
      scale *= 128;
    }
    const entry: EntryHeader = { type, size, at: 0, len };
    if (type === OFS_DELTA) {
      // The base's distance back, in git's "offset encoding": each continuation adds one.
      byte = next();
      let back = byte & 0x7f;
      while (byte & 0x80) {
        byte = next();
        back = (back + 1) * 128 + (byte & 0x7f);
      }
      entry.baseOffset = offset - back;
      if (back === 0 || entry.baseOffset < 12) throw new Error(`bad delta base offset at ${offset}`);
    } else if (type === REF_DELTA) {
      if (at + 20 > len) throw new Error(`pack entry header at ${offset} is truncated`);
      entry.baseId = Buffer.from(buf.subarray(at, at + 20));
      at += 20;
    } else if (!TYPE_NAMES[type]) {
      throw new Error(`unknown pack entry type ${type} at ${offset}`);
    }
    checkObjectSize(size, `pack entry at ${offset}`);
    entry.at = at;
    return entry;
  }

  /**
   * Inflates the body that starts `headerLength` bytes after `offset`. The compressed length
   * is not stored anywhere, but zlib never makes data grow past its documented bound, so
   * one read of that many bytes holds the whole stream; a stream from an odd encoder that
   * runs longer is read again, twice as far, until it ends.
   */
  private inflate(offset: number, headerLength: number, size: number, firstLength: number): Buffer {
    const available = this.end - offset;
    let want = Math.min(headerLength + deflateBound(size), available);
    let buf = this.scratch;
    let len = firstLength;
    for (;;) {
      if (want > len) {
        buf = Buffer.allocUnsafeSlow(want);
        len = this.readAt(buf, want, offset);
      }
      try {
        // Output sized to the object so it is one exact allocation, and no larger than it
        // claims to be.
        const data = zlib.inflateSync(buf.subarray(headerLength, len), {
          chunkSize: Math.max(64, size + 1),
          maxOutputLength: Math.max(1, size),
        });
        if (data.length !== size) throw new Error(`pack entry at ${offset} inflates to the wrong size`);
        return data;
      } catch (err) {
        const truncated = (err as { code?: string }).code === 'Z_BUF_ERROR';
        if (!truncated || len >= available) throw err;
        want = Math.min(len * 2, available);
      }
    }
  }

  private readAt(buf: Buffer, length: number, position: number): number {
    let got = 0;
    while (got < length) {
      const n = fs.readSync(this.fd, buf, got, length - got, position + got);
      if (n === 0) break;
      got += n;
    }
    if (got < length) throw new Error(`${this.path} is shorter than its index says`);
    return got;
  }
}

/** zlib's compressBound(): the most deflate can turn `n` bytes into, with its wrapper. */
function deflateBound(n: number): number {
  return n + Math.floor(n / 4096) + Math.floor(n / 16384) + Math.floor(n / 33554432) + 13;
}
