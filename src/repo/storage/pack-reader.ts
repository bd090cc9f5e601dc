import { checkObjectSize, deflateBound } from './object-limits.js';
import fs from 'node:fs';
import { applyDelta } from './apply-delta.js';
import type { DeltaBaseCache } from './delta-base-cache.js';
import { createInflater } from './inflater.js';
import type { ObjectType } from './object-format.js';
import { BLOCK_BYTES, PackBlocks } from './pack-blocks.js';
import { readPackIndex, type PackIndex } from './pack-index.js';

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
/** The most an entry's header takes: a type and size varint, then a base offset or id. */
const HEADER_MAX = 32;
/** Shared by every pack: reads are synchronous, so one stream is never used twice at once. */
const inflater = createInflater();
/** git's own limit on delta depth is 4095; anything deeper is a cycle in a damaged pack. */
const MAX_CHAIN = 10_000;

/** An entry's header: its type, its inflated size and where its body starts (from the entry's start). */
interface EntryHeader {
  type: number;
  size: number;
  at: number;
  baseOffset?: number;
  baseId?: Buffer;
}

/**
 * One pack file read in place: positioned reads through a file descriptor, in blocks a
 * shared PackBlocks keeps a few of, never the whole pack in memory. Reads are synchronous on purpose: an object is a page-cache read and an
 * inflate of microseconds, and the inflate is synchronous anyway, so a trip through the
 * thread pool per object would only add latency.
 *
 * Packed objects are not re-hashed on read (neither does git): each compressed stream
 * carries zlib's Adler-32 checksum, and delta application checks every size, which catches
 * damage; a wrong but well-formed pack would need a SHA-1 per read to catch, at a cost paid
 * on every tree of every pick.
 */
export class PackReader {
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
    private readonly blocks: PackBlocks,
  ) {}

  /**
   * Opens a pack with its index; throws when either is missing or damaged. `blocks` caches
   * its bytes (one per reader, shared by its packs; a pack of its own when not given).
   */
  static open(
    id: number,
    name: string,
    packPath: string,
    idxPath: string,
    blocks = new PackBlocks(),
  ): PackReader {
    const index = readPackIndex(idxPath);
    let fd: number;
    try {
      fd = fs.openSync(packPath, 'r');
    } catch (err) {
      index.close();
      throw err;
    }
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
      return new PackReader(id, name, packPath, index, fd, size - 20, blocks);
    } catch (err) {
      fs.closeSync(fd);
      index.close();
      throw err;
    }
  }

  close(): void {
    // Twice would close whatever file has reused the descriptor number since.
    if (this.closed) return;
    this.closed = true;
    this.blocks.forget(this.id);
    fs.closeSync(this.fd);
    this.index.close();
  }

  /**
   * Rebuilds the object at `offset`, walking its delta chain down to a whole object. The walk
   * reads only the deltas' headers; each delta is inflated when it is applied, into one
   * scratch buffer, since it is garbage right after (as git does): a fresh buffer per delta
   * was a large share of a pick's allocations.
   */
  read(offset: number, ctx: PackContext): RawObject {
    const deltas: { offset: number; head: EntryHeader }[] = [];
    let at = offset;
    let base: RawObject | undefined;
    while (!base) {
      if (deltas.length > MAX_CHAIN) throw new Error('delta chain is too long (a cycle?)');
      const cached = ctx.cache.get(this.id, at);
      if (cached) {
        base = cached;
        break;
      }
      const head = this.header(at);
      const type = TYPE_NAMES[head.type];
      if (type) {
        base = { type, data: this.inflate(at, head.at, head.size) };
        if (deltas.length > 0) ctx.cache.set(this.id, at, base);
        break;
      }
      deltas.push({ offset: at, head });
      if (head.baseOffset !== undefined) {
        at = head.baseOffset;
        continue;
      }
      const baseId = head.baseId!;
      const local = this.index.find(baseId);
      if (local !== undefined) {
        at = local;
        continue;
      }
      base = ctx.readExternal(baseId);
      if (!base) throw new Error(`the delta base ${baseId.toString('hex')} is missing`);
    }
    for (let i = deltas.length - 1; i >= 0; i--) {
      const { offset: deltaAt, head } = deltas[i]!;
      const delta = this.inflate(deltaAt, head.at, head.size, deltaScratch(head.size));
      base = { type: base.type, data: applyDelta(base.data, delta) };
      // Everything below the requested object is some delta's base: worth keeping.
      if (i > 0) ctx.cache.set(this.id, deltaAt, base);
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
    const body = this.bytes(offset + head.at, 256);
    // Two varints of at most 10 bytes each: the base's size, then the result's.
    const data = inflater.inflatePrefix(body.buf.subarray(body.from, body.from + body.length), 20);
    if (!data) return undefined;
    const first = readVarint(data, 0);
    return first && readVarint(data, first.next)?.value;
  }

  /** Parses the entry header at `offset`. */
  private header(offset: number): EntryHeader {
    if (offset < 12 || offset >= this.end) throw new Error(`no pack entry at offset ${offset}`);
    const { buf, from: start, length } = this.bytes(offset, HEADER_MAX);
    const limit = start + length;
    let i = start;
    if (i >= limit) throw new Error(`pack entry header at ${offset} is too long`);
    let byte = buf[i++]!;
    const type = (byte >> 4) & 7;
    let size = byte & 0x0f;
    let scale = 16;
    while (byte & 0x80) {
      if (i >= limit) throw new Error(`pack entry header at ${offset} is too long`);
      byte = buf[i++]!;
      size += (byte & 0x7f) * scale;
      scale *= 128;
    }
    const entry: EntryHeader = { type, size, at: 0 };
    if (type === OFS_DELTA) {
      // The base's distance back, in git's "offset encoding": each continuation adds one.
      if (i >= limit) throw new Error(`pack entry header at ${offset} is too long`);
      byte = buf[i++]!;
      let back = byte & 0x7f;
      while (byte & 0x80) {
        if (i >= limit) throw new Error(`pack entry header at ${offset} is too long`);
        byte = buf[i++]!;
        back = (back + 1) * 128 + (byte & 0x7f);
      }
      entry.baseOffset = offset - back;
      if (back === 0 || entry.baseOffset < 12) throw new Error(`bad delta base offset at ${offset}`);
    } else if (type === REF_DELTA) {
      if (i + 20 > limit) throw new Error(`pack entry header at ${offset} is truncated`);
      entry.baseId = Buffer.from(buf.subarray(i, i + 20));
      i += 20;
    } else if (!TYPE_NAMES[type]) {
      throw new Error(`unknown pack entry type ${type} at ${offset}`);
    }
    checkObjectSize(size, `pack entry at ${offset}`);
    entry.at = i - start;
    return entry;
  }

  /** Up to `length` bytes at `offset`, fewer where object data ends (see PackBlocks.read). */
  private bytes(offset: number, length: number) {
    try {
      return this.blocks.read(this.id, this.fd, this.end, offset, length);
    } catch (err) {
      throw new Error(`${this.path} cannot be read at ${offset}: ${(err as Error).message}`, { cause: err });
    }
  }

  /**
   * Inflates the body that starts `headerLength` bytes after `offset`. Its compressed length
   * is not stored anywhere. A small object is given as many bytes as zlib's documented bound
   * allows for its size, which hold any stream zlib wrote, even where they straddle two
   * blocks: a first try with the rest of its block failed for every object that crossed
   * into the next, and each failure cost a thrown error. A large one is tried with the bytes
   * left in its block first (its stream may be far shorter than the bound), then with the
   * bound. One from an odd encoder that runs longer is read again, twice as far, until it ends.
   */
  private inflate(offset: number, headerLength: number, size: number, scratch?: Buffer): Buffer {
    const start = offset + headerLength;
    const available = this.end - start;
    const bound = Math.min(deflateBound(size), available);
    let want = bound <= BLOCK_BYTES ? bound : Math.min(bound, BLOCK_BYTES - (start % BLOCK_BYTES));
    for (;;) {
      const { buf, from, length } = this.bytes(start, want);
      try {
        return inflater.inflateAt(buf, from, length, size, scratch);
      } catch (err) {
        const truncated = (err as { code?: string }).code === 'Z_BUF_ERROR';
        if (!truncated || want >= available) {
          throw new Error(`pack entry at ${offset} cannot be inflated: ${(err as Error).message}`, {
            cause: err,
          });
        }
        want = want < bound ? bound : Math.min(want * 2, available);
      }
    }
  }
}

/** Deltas up to this size are inflated into the shared scratch; larger ones get their own buffer. */
const SCRATCH_MAX = 1 << 20;
/** Where deltas are inflated before they are applied; reads are synchronous, so one is enough. */
let scratch = Buffer.allocUnsafeSlow(64 << 10);

function deltaScratch(size: number): Buffer | undefined {
  if (size >= SCRATCH_MAX) return undefined;
  if (scratch.length <= size)
    scratch = Buffer.allocUnsafeSlow(Math.min(SCRATCH_MAX, Math.max(size + 1, scratch.length * 2)));
  return scratch;
}

/** A git varint (7 bits a byte, least significant first) at `at`, and where the next starts. */
function readVarint(data: Uint8Array, at: number): { value: number; next: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let i = at; i < data.length; i++) {
    const byte = data[i]!;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if (!(byte & 0x80)) return { value, next: i + 1 };
  }
  return undefined;
}
