import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { ObjectReader } from '../../../src/repo/storage/object-reader.js';
import type { RawObject } from '../../../src/repo/storage/pack-reader.js';
import { PackIndex } from '../../../src/repo/storage/pack-index.js';
import { PackIndexer, type IndexedPack } from '../../../src/repo/transport/pack-indexer.js';
import { writePackIndex } from '../../../src/repo/transport/pack-index-writer.js';
import { catFileAll, disagreements, writeHistory } from '../storage/object-layouts.js';
import { git, gitStatus, tempDir } from '../../support/git.js';

const dirs: { path: string; remove: () => void }[] = [];
afterAll(() => {
  for (const d of dirs) d.remove();
});
function scratch(): string {
  const d = tempDir('bpa-index-pack-');
  dirs.push(d);
  return d.path;
}

/** Runs a pack through our indexer, `chunk` bytes at a time, into a fresh `objects/pack`. */
function indexInto(
  pack: Buffer,
  chunk: number,
  readExternal = (_oid: string): RawObject | undefined => undefined,
): { gitdir: string; dir: string; result: IndexedPack } {
  const gitdir = scratch();
  const dir = path.join(gitdir, 'objects', 'pack');
  const indexer = new PackIndexer(dir);
  for (let at = 0; at < pack.length; at += chunk) indexer.write(pack.subarray(at, at + chunk));
  return { gitdir, dir, result: indexer.finish(readExternal)! };
}

describe('PackIndexer, checked against git index-pack', () => {
  let repo: string;
  let commits: string[];

  beforeAll(() => {
    repo = scratch();
    git(repo, ['init', '-q', '--bare']);
    commits = writeHistory(repo, 40, 5);
  });

  const packOf = (args: string[], revs: string) =>
    Buffer.from(git(repo, ['pack-objects', '--stdout', '--revs', ...args], revs), 'latin1');

  for (const [kind, args] of [
    ['ofs-deltas', ['--delta-base-offset']],
    ['ref-deltas', []],
  ] as const) {
    it(`writes the same .idx as git, byte for byte, for a pack with ${kind}`, () => {
      const pack = packOf([...args], 'refs/heads/main\n');
      const { dir, result } = indexInto(pack, 65536);
      const ours = fs.readFileSync(path.join(dir, `${result.name}.idx`));
      const gitIdx = path.join(dir, 'git.idx');
      git(dir, ['index-pack', '-o', gitIdx, `${result.name}.pack`]);
      expect(ours.equals(fs.readFileSync(gitIdx))).toBe(true);
      expect(result.thinBases).toBe(0);
      expect(fs.readFileSync(path.join(dir, `${result.name}.pack`)).equals(pack)).toBe(true);
      // The deltas were really there.
      const verify = git(dir, ['verify-pack', '-v', `${result.name}.pack`]);
      expect(verify).toMatch(/chain length = [2-9]/);
      expect(result.objects).toBe(Number(/non delta: (\d+)/.exec(verify)![1]) + countDeltas(verify));
    });
  }

  it('gives the same index whatever sizes the bytes arrive in', () => {
    const pack = packOf(['--delta-base-offset'], 'refs/heads/main\n');
    const whole = indexInto(pack, pack.length);
    const dribbled = indexInto(pack, 7);
    expect(dribbled.result.name).toBe(whole.result.name);
    expect(
      fs
        .readFileSync(path.join(dribbled.dir, `${dribbled.result.name}.idx`))
        .equals(fs.readFileSync(path.join(whole.dir, `${whole.result.name}.idx`))),
    ).toBe(true);
  });

  it('completes a thin pack with its bases from the repository, as git index-pack --fix-thin does', () => {
    const pack = packOf(['--thin', '--delta-base-offset'], `${commits[39]}\n^${commits[30]}\n`);
    // git itself refuses the pack as it stands: its deltas' bases are outside it.
    const bare = scratch();
    fs.writeFileSync(path.join(bare, 'thin.pack'), pack);
    expect(gitStatus(bare, ['index-pack', 'thin.pack']).stderr).toMatch(/unresolved deltas/);

    const reader = new ObjectReader(repo);
    const { gitdir, dir, result } = indexInto(pack, 4096, (oid) => reader.read(oid));
    reader.close();
    expect(result.thinBases).toBeGreaterThan(0);
    // git reads every object of the completed pack on its own.
    git(dir, ['verify-pack', `${result.name}.pack`]);
    // The same objects as git's own completion of the same pack.
    const clone = scratch();
    git(clone, ['clone', '-q', '--bare', repo, '.']);
    git(clone, ['index-pack', '--stdin', '--fix-thin'], pack);
    const theirs = fs
      .readdirSync(path.join(clone, 'objects', 'pack'))
      .filter((f) => f.endsWith('.idx'))
      .map((f) => idsOf(path.join(clone, 'objects', 'pack', f)))
      .find((ids) => ids.length === result.objects)!;
    expect(idsOf(path.join(dir, `${result.name}.idx`))).toEqual(theirs);
    // And from that pack alone, each object reads back as git has it.
    const all = catFileAll(repo);
    const expected = new Map(theirs.map((oid) => [oid, all.get(oid)!]));
    const ours = new ObjectReader(gitdir);
    expect(disagreements(ours, expected)).toEqual([]);
    ours.close();
  });

  it('names the bases the repository lacks, and completes the pack once they are there', () => {
    const pack = packOf(['--thin', '--delta-base-offset'], `${commits[39]}\n^${commits[30]}\n`);
    const reader = new ObjectReader(repo);
    const readExternal = (oid: string) => reader.read(oid);
    const dir = scratch();
    const indexer = new PackIndexer(dir);
    for (let at = 0; at < pack.length; at += 1000) indexer.write(pack.subarray(at, at + 1000));
    const needed: string[] = [];
    // Named last asked first: bases of trees deeper in the pack come before their parents'.
    expect(indexer.resolve((oid) => (needed.push(oid), undefined))).toEqual([...needed].reverse());
    expect(needed.length).toBeGreaterThan(1);
    // One base still missing: the others are appended, then appended anew in the next round.
    const withheld = needed[needed.length - 1]!;
    expect(indexer.resolve((oid) => (oid === withheld ? undefined : readExternal(oid)))).toEqual([withheld]);
    expect(indexer.resolve(readExternal)).toEqual([]);
    const result = indexer.finish(readExternal)!;
    reader.close();
    expect(result.thinBases).toBe(needed.length);
    git(dir, ['verify-pack', `${result.name}.pack`]);
    expect(fs.readdirSync(dir).sort()).toEqual([`${result.name}.idx`, `${result.name}.pack`]);
  });

  it('refuses a damaged pack and leaves no temporary file behind', () => {
    const pack = Buffer.from(packOf(['--delta-base-offset'], 'refs/heads/main\n'));
    pack[Math.floor(pack.length / 2)]! ^= 0xff;
    const dir = scratch();
    const indexer = new PackIndexer(dir);
    expect(() => {
      indexer.write(pack);
      indexer.finish(() => undefined);
    }).toThrow();
    indexer.abort();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refuses a truncated pack', () => {
    const pack = packOf(['--delta-base-offset'], 'refs/heads/main\n');
    const dir = scratch();
    const indexer = new PackIndexer(dir);
    indexer.write(pack.subarray(0, pack.length - 100));
    expect(() => indexer.finish(() => undefined)).toThrow(/truncated/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refuses a thin pack whose bases the repository lacks', () => {
    const pack = packOf(['--thin', '--delta-base-offset'], `${commits[39]}\n^${commits[30]}\n`);
    const dir = scratch();
    const indexer = new PackIndexer(dir);
    indexer.write(pack);
    expect(() => indexer.finish(() => undefined)).toThrow(/lacks/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('writePackIndex', () => {
  it('puts offsets past 2 GiB in the 64-bit table, where the reader finds them', () => {
    const offsets = [12, 0x7fffffff, 0x80000000, 0x1_0000_0010, 5_000_000_000];
    const entries = offsets.map((offset, i) => ({
      offset,
      type: 3,
      size: 1,
      dataStart: offset + 2,
      dataLength: 9,
      crc: 0xdeadbeef - i,
      oid: Buffer.from(`${String(9 - i).repeat(2)}${'ab'.repeat(19)}`, 'hex'),
    }));
    const idx = writePackIndex(entries, Buffer.alloc(20, 7));
    const index = new PackIndex(idx);
    expect(index.count).toBe(5);
    for (const e of entries) expect(index.find(e.oid)).toBe(e.offset);
    // Three offsets need the 64-bit table: 8 bytes each after the 4-byte offsets.
    expect(idx.length).toBe(8 + 1024 + 5 * 28 + 3 * 8 + 40);
  });
});

function idsOf(idxPath: string): string[] {
  const index = new PackIndex(fs.readFileSync(idxPath));
  return Array.from({ length: index.count }, (_, i) => index.oidAt(i));
}

function countDeltas(verify: string): number {
  let n = 0;
  for (const m of verify.matchAll(/chain length = \d+: (\d+) objects?/g)) n += Number(m[1]);
  return n;
}
