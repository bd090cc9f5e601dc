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
  ])('reads from the file without its CRC table what the whole file gives (%s)', (_name, option) => {
    const out = `${dir.path}/reindexed.idx`;
    git(dir.path, ['index-pack', option, '-o', out, pack]);
    const index = readPackIndex(out);
    expect(index.count).toBe(expected.size);
    for (const [oid, offset] of expected) expect(index.find(Buffer.from(oid, 'hex'))).toBe(offset);
    const sorted = [...expected.keys()].sort();
    expect(Array.from({ length: index.count }, (_, i) => index.oidAt(i))).toEqual(sorted);
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
});
