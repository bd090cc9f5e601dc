import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { RawObject } from '../storage/pack-reader.js';
import { resolveDeltas } from './delta-resolver.js';
import { encodePackEntry, typeNumber } from './pack-entry.js';
import { writePackIndex } from './pack-index-writer.js';
import { PackScanner, type PackEntry, type ScannedPack } from './pack-scanner.js';

export interface IndexedPack {
  /** `pack-<checksum>`: the file names without `.pack` / `.idx`. */
  name: string;
  objects: number;
  /** Bases a thin pack lacked, copied in from the repository. */
  thinBases: number;
}

/**
 * Receives a pack into `objects/pack/` the way `git index-pack --stdin --fix-thin` does:
 * the bytes go to a temporary file and through the first indexing pass as they arrive;
 * `finish()` resolves the deltas, completes a thin pack, writes the `.idx` and gives both
 * files their final names (index last: readers look for it first). `resolve()` first lets
 * a caller fetch the thin pack's bases that the repository lacks (a partial repository's
 * blobs) before finishing.
 *
 * A thin pack's bases are appended, not left in other packs: git resolves a ref-delta only
 * within its own pack, so without them `git fsck` (and every git command reading those
 * objects) would fail, and the pack would depend on another pack staying around.
 */
export class PackIndexer {
  private readonly scanner = new PackScanner();
  private readonly tmpPath: string;
  private fd: number | undefined;
  private written = 0;
  /** Set by the first `resolve`: the scan's result and how many objects the server sent. */
  private scanned: ScannedPack | undefined;
  private count: number | undefined;
  /** Where the objects end: after the thin bases appended, where the checksum goes. */
  private end = 0;
  private appended = false;
  private resolved = false;

  constructor(private readonly packDir: string) {
    fs.mkdirSync(packDir, { recursive: true });
    this.tmpPath = path.join(packDir, `tmp_pack_${randomBytes(6).toString('hex')}`);
    this.fd = fs.openSync(this.tmpPath, 'w+', 0o444);
  }

  /** Pack bytes, in order. */
  write(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) at += fs.writeSync(this.fd!, chunk, at, chunk.length - at, this.written + at);
    this.written += chunk.length;
    this.scanner.push(chunk);
  }

  /**
   * Resolves the deltas, completing a thin pack with its bases from the repository
   * (`readExternal`). Returns the bases that neither has (see `resolveDeltas`): fetch them
   * into the repository and call again. On a failure the caller aborts.
   */
  resolve(readExternal: (oid: string) => RawObject | undefined): string[] {
    const scanned = (this.scanned ??= this.scanner.finish());
    this.count ??= scanned.entries.length;
    // Called again after a round that lacked bases: that round's appended bases are dropped
    // (their bytes written over) and appended anew with the ones fetched since.
    const entries = scanned.entries;
    entries.length = this.count;
    let end = scanned.end;
    const lacking = resolveDeltas(entries, {
      fd: this.fd!,
      readExternal,
      onExternal: (oid, base) => {
        this.appended = true;
        end = appendBase(this.fd!, entries, end, oid, base);
      },
    });
    this.resolved = lacking.length === 0;
    this.end = end;
    return lacking;
  }

  /**
   * Completes the pack: resolves its deltas unless `resolve` did, writes the `.idx` and
   * gives both files their names. Returns undefined for a pack without objects (nothing is
   * kept). On any failure the temporary file is removed.
   */
  finish(readExternal: (oid: string) => RawObject | undefined): IndexedPack | undefined {
    const fd = this.fd!;
    try {
      const lacking = this.resolved ? [] : this.resolve(readExternal);
      if (lacking.length > 0) {
        throw new Error(`the pack needs the delta base ${lacking[0]}, which the repository lacks`);
      }
      const { entries, checksum: sent } = this.scanned!;
      if (entries.length === 0) {
        this.abort();
        return undefined;
      }
      const thinBases = entries.length - this.count!;
      // Resealed too when an earlier round appended bases: they overwrote the sent checksum.
      const checksum = thinBases > 0 || this.appended ? resealPack(fd, entries.length, this.end) : sent;
      const name = `pack-${checksum.toString('hex')}`;
      const base = path.join(this.packDir, name);
      fs.closeSync(fd);
      this.fd = undefined;
      if (fs.existsSync(`${base}.pack`)) fs.rmSync(this.tmpPath);
      else fs.renameSync(this.tmpPath, `${base}.pack`);
      const idxTmp = `${this.tmpPath}.idx`;
      fs.writeFileSync(idxTmp, writePackIndex(entries, checksum), { mode: 0o444 });
      fs.renameSync(idxTmp, `${base}.idx`);
      return { name, objects: entries.length, thinBases };
    } catch (err) {
      this.abort();
      throw err;
    }
  }

  /** Drops the temporary file (after a failure, or for an empty pack). */
  abort(): void {
    if (this.fd !== undefined) {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
    fs.rmSync(this.tmpPath, { force: true });
    fs.rmSync(`${this.tmpPath}.idx`, { force: true });
  }
}

/**
 * Writes a thin pack's base at `at` (over the old checksum, then after it), as a whole
 * object. Stored, not compressed (zlib level 0, still a valid deflate stream): a fetch may
 * complete thousands of bases (every tree on the way to a changed file, for a partial fetch
 * of a large tree), deflating them cost a cold backport a quarter of a second, and the
 * bytes only ever sit in the cache.
 */
function appendBase(fd: number, entries: PackEntry[], at: number, oid: string, base: RawObject): number {
  const bytes = encodePackEntry(base.type, base.data, zlib.constants.Z_NO_COMPRESSION);
  writeAll(fd, bytes, at);
  const headerLength = bytes.length - zlibLength(bytes);
  entries.push({
    offset: at,
    type: typeNumber(base.type),
    size: base.data.length,
    dataStart: at + headerLength,
    dataLength: bytes.length - headerLength,
    crc: zlib.crc32(bytes),
    oid: Buffer.from(oid, 'hex'),
  });
  return at + bytes.length;
}

/** The header of an entry made by `encodePackEntry` ends at the first byte without its high bit. */
function zlibLength(entry: Buffer): number {
  let i = 0;
  while (entry[i]! & 0x80) i++;
  return entry.length - (i + 1);
}

/** After appending: the new object count in the header, then the SHA-1 of it all at the end. */
function resealPack(fd: number, count: number, end: number): Buffer {
  const countBytes = Buffer.alloc(4);
  countBytes.writeUInt32BE(count);
  writeAll(fd, countBytes, 8);
  const hash = createHash('sha1');
  // Small and reused: a pack fetched for a job is mostly kilobytes, and 1 MiB per fetch was
  // fresh memory each time.
  const chunk = Buffer.allocUnsafe(64 << 10);
  for (let at = 0; at < end;) {
    const n = fs.readSync(fd, chunk, 0, Math.min(chunk.length, end - at), at);
    if (n === 0) throw new Error('the pack file is shorter than written');
    hash.update(chunk.subarray(0, n));
    at += n;
  }
  const checksum = hash.digest();
  writeAll(fd, checksum, end);
  fs.ftruncateSync(fd, end + 20);
  return checksum;
}

function writeAll(fd: number, bytes: Buffer, position: number): void {
  let at = 0;
  while (at < bytes.length) at += fs.writeSync(fd, bytes, at, bytes.length - at, position + at);
}
