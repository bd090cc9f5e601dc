import fs from 'node:fs';

/**
 * The size of one cached block; blocks start at multiples of it. Small: the entries a pick
 * reads (trees, deltas, blob headers) lie close together at the scale of a few kilobytes, not
 * of tens. Replaying the reads of first picks on the generated 100 MB repository, 64 KiB blocks
 * (4 MiB in all) read 36 MB of pack for 548 misses; 8 KiB blocks (1 MiB) read 6 MB for 752,
 * and a fresh process faults in a quarter of the memory.
 */
export const BLOCK_BYTES = 8 << 10;
const DEFAULT_BLOCKS = 128;
/** Ranges longer than a block are read into one reused buffer up to this size, past it into their own. */
const SPILL_MAX = 1 << 20;

/** Bytes of a pack: `buf[from .. from + length)` holds the file's bytes from the asked offset. */
export interface PackBytes {
  buf: Buffer;
  from: number;
  length: number;
}

/**
 * Recently read 8 KiB blocks of pack files, least recently used first out, shared by all
 * the packs of one reader (`blocks` × 8 KiB in all, 1 MiB by default). Node cannot map a
 * file into memory as git does, and a system call per object was a large part of a pick's
 * time: a pick reads thousands of small entries (trees, deltas, blob headers), and those of
 * one commit's trees and of one file's history lie close together in the pack.
 */
export class PackBlocks {
  private readonly blocks = new Map<number | string, Buffer>();
  /** Where a range that straddles two blocks is copied to; overwritten by the next such read. */
  private readonly joined = Buffer.allocUnsafeSlow(BLOCK_BYTES * 2);
  /**
   * Where a range longer than a block is read (a large tree, a blob), grown as needed up to
   * SPILL_MAX; overwritten by the next such read. A buffer per read was fresh memory each time.
   */
  private spill: Buffer | undefined;

  constructor(private readonly limit = DEFAULT_BLOCKS) {}

  /**
   * The `length` bytes at `offset` of the pack open as `fd` (`pack` tells packs apart), or
   * fewer where the file ends at `fileEnd`. The bytes may be a view into a cached block or
   * into a buffer the next call overwrites: use them before asking for more. Ranges longer
   * than a block are read on their own, uncached.
   */
  read(pack: number, fd: number, fileEnd: number, offset: number, length: number): PackBytes {
    const want = Math.min(length, fileEnd - offset);
    if (want <= 0) return { buf: this.joined, from: 0, length: 0 };
    if (want > BLOCK_BYTES) {
      const buf = this.spillFor(want);
      if (readFully(fd, buf, want, offset) < want) throw new Error('the pack file ends early');
      return { buf, from: 0, length: want };
    }
    if (offset < 0) throw new Error(`no pack bytes at offset ${offset}`);
    const first = Math.floor(offset / BLOCK_BYTES);
    const last = Math.floor((offset + want - 1) / BLOCK_BYTES);
    const block = this.block(pack, fd, fileEnd, first);
    const from = offset - first * BLOCK_BYTES;
    if (first === last) return { buf: block, from, length: Math.min(want, block.length - from) };
    const head = block.copy(this.joined, 0, from);
    const next = this.block(pack, fd, fileEnd, last);
    const tail = next.copy(this.joined, head, 0, Math.min(next.length, want - head));
    return { buf: this.joined, from: 0, length: head + tail };
  }

  private spillFor(length: number): Buffer {
    if (length > SPILL_MAX) return Buffer.allocUnsafeSlow(length);
    if (!this.spill || this.spill.length < length) {
      this.spill = Buffer.allocUnsafeSlow(
        Math.min(SPILL_MAX, Math.max(length, (this.spill?.length ?? 0) * 2)),
      );
    }
    return this.spill;
  }

  /** Blocks held now (for tests). */
  get size(): number {
    return this.blocks.size;
  }

  /** Drops the blocks of one pack (closed, or replaced by a file of the same number). */
  forget(pack: number): void {
    for (const key of [...this.blocks.keys()]) if (packOf(key) === pack) this.blocks.delete(key);
  }

  private block(pack: number, fd: number, fileEnd: number, index: number): Buffer {
    const key = blockKey(pack, index);
    const hit = this.blocks.get(key);
    if (hit) {
      this.blocks.delete(key);
      this.blocks.set(key, hit);
      return hit;
    }
    const start = index * BLOCK_BYTES;
    const length = Math.min(BLOCK_BYTES, fileEnd - start);
    // The block that leaves makes room for this one: its memory is reused, not reallocated
    // (a new buffer per read costs page faults and the collector's time). Nothing
    // holds on to it: what `read` returns is used before the next read.
    let memory: Buffer;
    if (this.blocks.size >= this.limit) {
      const [oldest, old] = this.blocks.entries().next().value!;
      this.blocks.delete(oldest);
      memory =
        old.buffer.byteLength === BLOCK_BYTES ? Buffer.from(old.buffer) : Buffer.allocUnsafeSlow(BLOCK_BYTES);
    } else {
      memory = Buffer.allocUnsafeSlow(BLOCK_BYTES);
    }
    const buf = memory.subarray(0, length);
    if (readFully(fd, buf, length, start) < length) throw new Error('the pack file ends early');
    this.blocks.set(key, buf);
    return buf;
  }
}

/** One number per (pack, block) while both fit a double exactly; a string past that. */
function blockKey(pack: number, index: number): number | string {
  return pack < 2 ** 20 && index < 2 ** 32 ? pack * 2 ** 32 + index : `${pack}:${index}`;
}

function packOf(key: number | string): number {
  return typeof key === 'number' ? Math.floor(key / 2 ** 32) : Number(key.slice(0, key.indexOf(':')));
}

function readFully(fd: number, buf: Buffer, length: number, position: number): number {
  let got = 0;
  while (got < length) {
    const n = fs.readSync(fd, buf, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}
