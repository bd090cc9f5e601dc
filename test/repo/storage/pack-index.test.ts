import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import { PackIndex, readPackIndex } from '../../../src/repo/storage/pack-index.js';
import { git, tempDir } from '../../support/git.js';
import { packNames, writeHistory } from './object-layouts.js';

describe('PackIndex', () => {
  const dir = tempDir('bpa-pack-index-');
  let pack: string;
  /** What `git show-index` says: id → offset. */
  let expected: Map<string, number>;

  beforeAll(() => {
    git(dir.path, ['init', '-q', '--bare']);
    writeHistory(dir.path, 20, 11);
    git(dir.path, ['repack', '-q', '-a', '-d']);
    pack = packNames(dir.path)[0]!;
    const idx = fs.readFileSync(pack.replace(/\.pack$/, '.idx'));
    expected = new Map();
    for (const line of git(dir.path, ['show-index'], idx).trim().split('\n')) {
      const [offset, oid] = line.split(' ');
      expected.set(oid!, Number(offset));
    }
  });
  afterAll(() => dir.remove());

  /** Re-indexes the pack with `git index-pack` options and parses the result. */
  function indexWith(option: string): PackIndex {
    const out = `${dir.path}/reindexed.idx`;
    git(dir.path, ['index-pack', option, '-o', out, pack]);
    return new PackIndex(fs.readFileSync(out));
  }

  it.each([
    ['version 2', '--index-version=2'],
    ['version 2 with 64-bit offsets past 1 KiB', '--index-version=2,0x400'],
    ['version 1', '--index-version=1'],
  ])('finds every object at the offset git gives (%s)', (_name, option) => {
    const index = indexWith(option);
    expect(index.count).toBe(expected.size);
    for (const [oid, offset] of expected) expect(index.find(Buffer.from(oid, 'hex'))).toBe(offset);
    const sorted = [...expected.keys()].sort();
    expect(Array.from({ length: index.count }, (_, i) => index.oidAt(i))).toEqual(sorted);
  });

  it('finds nothing for ids next to real ones, or at either end of the id space', () => {
    const index = indexWith('--index-version=2');
    for (const oid of [...expected.keys()].slice(0, 50)) {
      const near = Buffer.from(oid, 'hex');
      near[19] = near[19]! ^ 1;
      if (!expected.has(near.toString('hex'))) expect(index.find(near)).toBeUndefined();
    }
    expect(index.find(Buffer.alloc(20, 0))).toBeUndefined();
    expect(index.find(Buffer.alloc(20, 0xff))).toBeUndefined();
  });

  it.each([
    ['version 2', '--index-version=2'],
    ['version 2 with 64-bit offsets past 1 KiB', '--index-version=2,0x400'],
    ['version 1', '--index-version=1'],
  ])(
    'answers from its file, then from its tables read whole (without the CRC table), what git gives (%s)',
    (_name, option) => {
      const out = `${dir.path}/reindexed.idx`;
      git(dir.path, ['index-pack', option, '-o', out, pack]);
      const index = readPackIndex(out);
      expect(index.count).toBe(expected.size);
      // More lookups than an index answers from its file before it reads its tables whole.
      expect(expected.size).toBeGreaterThan(128);
      for (const [oid, offset] of expected) expect(index.find(Buffer.from(oid, 'hex'))).toBe(offset);
      const sorted = [...expected.keys()].sort();
      expect(Array.from({ length: index.count }, (_, i) => index.oidAt(i))).toEqual(sorted);
      index.close();
    },
  );

  it('expands an abbreviated id from its file as from its tables', () => {
    const out = `${dir.path}/reindexed.idx`;
    git(dir.path, ['index-pack', '--index-version=2', '-o', out, pack]);
    const whole = new PackIndex(fs.readFileSync(out));
    for (const oid of [...expected.keys()].slice(0, 20)) {
      for (const prefix of [oid.slice(0, 2), oid.slice(0, 5), oid]) {
        const fromFile = readPackIndex(out);
        expect(fromFile.withPrefix(prefix, 3)).toEqual(whole.withPrefix(prefix, 3));
        fromFile.close();
      }
    }
  });

  it('refuses an index file cut short, or one too short for its header', () => {
    const bytes = fs.readFileSync(pack.replace(/\.pack$/, '.idx'));
    const cut = `${dir.path}/cut.idx`;
    for (const length of [bytes.length - 100, 600, 4]) {
      fs.writeFileSync(cut, bytes.subarray(0, length));
      expect(() => readPackIndex(cut)).toThrow(/truncated/);
    }
  });

  it('refuses a truncated index and an unknown version', () => {
    const bytes = fs.readFileSync(pack.replace(/\.pack$/, '.idx'));
    expect(() => new PackIndex(bytes.subarray(0, 600))).toThrow(/truncated/);
    const v3 = Buffer.from(bytes);
    v3.writeUInt32BE(3, 4);
    expect(() => new PackIndex(v3)).toThrow(/version 3/);
  });

  describe('read from its file', () => {
    /**
     * A version 2 index written here, its ids chosen so that most are far from where an
     * even spread puts them: 290 ids of first byte 0x42 then four zero bytes, and ten of
     * 0x42 then 0xff. Offsets from 2^31 up go to the 64-bit table.
     */
    const skewed = () => {
      const ids: Buffer[] = [];
      for (let i = 0; i < 290; i++)
        ids.push(Buffer.from(`4200000000${(i * 3 + 1).toString(16).padStart(30, '0')}`, 'hex'));
      for (let i = 0; i < 10; i++)
        ids.push(Buffer.from(`42ff${(i * 3 + 1).toString(16).padStart(36, '0')}`, 'hex'));
      const offsets = ids.map((_, i) => (i % 7 === 0 ? 2 ** 33 + i * 12 : 12 + i * 100));
      const path = `${dir.path}/skewed.idx`;
      fs.writeFileSync(path, indexBytes(ids, offsets));
      return { path, ids, offsets };
    };

    it('finds ids far from where an even spread puts them, and their 64-bit offsets', () => {
      const { path, ids, offsets } = skewed();
      const index = readPackIndex(path);
      ids.forEach((id, i) => expect(index.find(id)).toBe(offsets[i]));
      index.close();
    });

    it('finds nothing for ids between, before and after the real ones', () => {
      const { path, ids } = skewed();
      const index = readPackIndex(path);
      const absent = [
        ...ids.slice(0, 60).map((id) =>
          Buffer.from(id)
            .fill(0, 19)
            .fill(id[19]! + 1, 19),
        ),
        Buffer.from(`42${'0'.repeat(38)}`, 'hex'),
        Buffer.from(`42${'f'.repeat(38)}`, 'hex'),
        Buffer.from(`4280${'0'.repeat(36)}`, 'hex'),
        Buffer.from(`41${'f'.repeat(38)}`, 'hex'),
        Buffer.from(`43${'0'.repeat(38)}`, 'hex'),
      ];
      for (const id of absent) expect(index.find(id)).toBeUndefined();
      index.close();
    });

    it('refuses lookups once closed, but an index read whole goes on answering', () => {
      const { path, ids, offsets } = skewed();
      const index = readPackIndex(path);
      expect(index.find(ids[5]!)).toBe(offsets[5]);
      index.close();
      index.close();
      expect(() => index.find(ids[6]!)).toThrow(/closed/);
      const whole = readPackIndex(path);
      // Past the lookups it answers from its file: its tables are read whole, its file closed.
      for (let round = 0; round < 2; round++) ids.forEach((id, i) => expect(whole.find(id)).toBe(offsets[i]));
      whole.close();
      expect(whole.find(ids[6]!)).toBe(offsets[6]);
    });
  });
});

/** A version 2 index of these sorted ids and offsets (CRCs and checksums left zero). */
function indexBytes(ids: Buffer[], offsets: number[]): Buffer {
  const n = ids.length;
  const fanout = Buffer.alloc(1024);
  for (let b = 0; b < 256; b++) fanout.writeUInt32BE(ids.filter((id) => id[0]! <= b).length, b * 4);
  const small = Buffer.alloc(n * 4);
  const large: Buffer[] = [];
  offsets.forEach((offset, i) => {
    if (offset < 0x80000000) return small.writeUInt32BE(offset, i * 4);
    small.writeUInt32BE((0x80000000 | large.length) >>> 0, i * 4);
    const entry = Buffer.alloc(8);
    entry.writeUInt32BE(Math.floor(offset / 2 ** 32), 0);
    entry.writeUInt32BE(offset % 2 ** 32, 4);
    large.push(entry);
  });
  const header = Buffer.from([0xff, 0x74, 0x4f, 0x63, 0, 0, 0, 2]);
  return Buffer.concat([header, fanout, ...ids, Buffer.alloc(n * 4), small, ...large, Buffer.alloc(40)]);
}
