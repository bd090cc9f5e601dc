import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateBound } from '../../../src/repo/storage/object-limits.js';
import { ObjectReader } from '../../../src/repo/storage/object-reader.js';
import { entryHeader } from '../../../src/repo/transport/pack-entry.js';
import { PackIndexer } from '../../../src/repo/transport/pack-indexer.js';
import { PackScanner } from '../../../src/repo/transport/pack-scanner.js';

// A zlib stream may be longer than zlib's compressBound(): the bound holds for zlib's own
// deflate, but any encoder may cut the data into many small stored blocks (5 bytes of
// header each). git inflates such a body like any other, so the scanner must too.

/** A zlib stream of stored blocks of `blockSize` bytes each. */
function storedBlocks(data: Buffer, blockSize: number): Buffer {
  const parts: Buffer[] = [Buffer.from([0x78, 0x01])];
  for (let start = 0; start < data.length; start += blockSize) {
    const chunk = data.subarray(start, start + blockSize);
    const head = Buffer.alloc(5);
    head[0] = start + blockSize >= data.length ? 1 : 0;
    head.writeUInt16LE(chunk.length, 1);
    head.writeUInt16LE(~chunk.length & 0xffff, 3);
    parts.push(head, chunk);
  }
  const adler = Buffer.alloc(4);
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  adler.writeUInt32BE(((b << 16) | a) >>> 0);
  parts.push(adler);
  return Buffer.concat(parts);
}

function pack(bodies: Array<{ data: Buffer; zlib: Buffer }>): Buffer {
  const head = Buffer.alloc(12);
  head.write('PACK', 0, 'latin1');
  head.writeUInt32BE(2, 4);
  head.writeUInt32BE(bodies.length, 8);
  const content = Buffer.concat([
    head,
    ...bodies.flatMap((b) => [entryHeader('blob', b.data.length), b.zlib]),
  ]);
  return Buffer.concat([content, createHash('sha1').update(content).digest()]);
}

const first = Buffer.from(
  Array.from({ length: 4000 }, (_, i) => `line ${i}\n`)
    .join('')
    .slice(0, 4000),
);
const second = Buffer.from('the entry after the long one\n');
// One byte per stored block: 6 bytes of stream per byte of data, far past the bound.
const longBody = storedBlocks(first, 1);
const thePack = pack([
  { data: first, zlib: longBody },
  { data: second, zlib: storedBlocks(second, 64) },
]);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'long-bodies-'));
  execFileSync('git', ['init', '-q', '--bare', dir]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function gitBlobId(data: Buffer): string {
  return execFileSync('git', ['hash-object', '--stdin'], { input: data }).toString().trim();
}

function scanInChunks(bytes: Buffer, chunk: number) {
  const scanner = new PackScanner();
  for (let at = 0; at < bytes.length; at += chunk) scanner.push(bytes.subarray(at, at + chunk));
  return scanner.finish();
}

describe('pack entries whose deflate stream is longer than zlib’s bound', () => {
  it('are a valid pack by git’s own reading', () => {
    expect(longBody.length).toBeGreaterThan(deflateBound(first.length) * 5);
    const path = join(dir, 'long.pack');
    writeFileSync(path, thePack);
    const verified = execFileSync('git', ['--git-dir', dir, 'index-pack', '--strict', path]);
    expect(verified.toString().trim()).toBe(thePack.subarray(-20).toString('hex'));
  });

  it.each([
    ['in one piece', thePack.length],
    ['in chunks of 1000 bytes', 1000],
    ['in chunks of 4100 bytes (just past the bound)', 4100],
    ['in chunks of 7 bytes', 7],
  ])('are read, %s, with the entry after them', (_name, chunk) => {
    const scanned = scanInChunks(thePack, chunk);
    expect(scanned.entries.map((e) => e.oid?.toString('hex'))).toEqual([gitBlobId(first), gitBlobId(second)]);
    expect(scanned.entries[0]!.dataLength).toBe(longBody.length);
  });

  it('are indexed into a pack whose .idx equals git’s, and read back from it', () => {
    const packDir = join(dir, 'objects', 'pack');
    const indexer = new PackIndexer(packDir);
    for (let at = 0; at < thePack.length; at += 1000) indexer.write(thePack.subarray(at, at + 1000));
    const { name } = indexer.finish(() => undefined)!;
    const gitIdx = join(dir, 'git.idx');
    execFileSync('git', ['index-pack', '-o', gitIdx, join(packDir, `${name}.pack`)]);
    expect(readFileSync(join(packDir, `${name}.idx`)).equals(readFileSync(gitIdx))).toBe(true);
    const reader = new ObjectReader(dir);
    try {
      expect(Buffer.from(reader.read(gitBlobId(first))!.data).equals(first)).toBe(true);
      expect(Buffer.from(reader.read(gitBlobId(second))!.data).equals(second)).toBe(true);
    } finally {
      reader.close();
    }
  });

  it('still say a pack cut inside such a body is truncated', () => {
    const cut = thePack.subarray(0, 12 + 2 + Math.floor(longBody.length / 2));
    expect(() => scanInChunks(cut, 1000)).toThrow(/the pack is truncated/);
    expect(() => scanInChunks(cut, cut.length)).toThrow(/the pack is truncated/);
  });
});
