import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import { join } from 'node:path';
import git from 'isomorphic-git';
import { ObjectReader } from '../../../src/repo/storage/object-reader.js';
import { git as runGit, tempDir } from '../../support/git.js';
import { catFile, catFileAll, disagreements, packNames, verifyPack, writeHistory } from './object-layouts.js';

const dirs: { remove: () => void }[] = [];
const readers: ObjectReader[] = [];

function bareRepo(prefix: string): string {
  const dir = tempDir(prefix);
  dirs.push(dir);
  runGit(dir.path, ['init', '-q', '--bare']);
  return dir.path;
}

function reader(gitdir: string, options?: { deltaBaseCacheBytes?: number }): ObjectReader {
  const r = new ObjectReader(gitdir, options);
  readers.push(r);
  return r;
}

afterAll(() => {
  for (const r of readers) r.close();
  for (const d of dirs) d.remove();
});

describe('ObjectReader', () => {
  it('reads a repository of loose objects byte for byte like git', () => {
    const work = tempDir('bpa-loose-');
    dirs.push(work);
    runGit(work.path, ['init', '-q']);
    for (let i = 0; i < 5; i++) {
      fs.mkdirSync(join(work.path, 'dir'), { recursive: true });
      fs.writeFileSync(join(work.path, 'dir', `f${i}`), `file ${i}\n`.repeat(i * 50));
      fs.writeFileSync(join(work.path, 'empty'), '');
      runGit(work.path, ['add', '-A']);
      runGit(work.path, ['commit', '-qm', `commit ${i}`]);
    }
    runGit(work.path, ['tag', '-a', 'v1', '-m', 'a tag']);
    const gitdir = join(work.path, '.git');
    expect(packNames(gitdir)).toEqual([]);
    const expected = catFileAll(gitdir);
    expect([...expected.values()].map((o) => o.type).sort()).toContain('tag');
    const r = reader(gitdir);
    expect(disagreements(r, expected)).toEqual([]);
    expect(r.packCount).toBe(0);
  });

  describe('a pack repacked with git gc --aggressive (deep ofs-delta chains)', () => {
    let gitdir: string;
    let expected: Map<string, { type: string; data: Buffer }>;

    beforeAll(() => {
      gitdir = bareRepo('bpa-gc-');
      writeHistory(gitdir, 60);
      runGit(gitdir, ['gc', '-q', '--aggressive']);
      expected = catFileAll(gitdir);
    });

    it('has long chains to read (or this test proves little)', () => {
      const [pack] = packNames(gitdir);
      const rows = verifyPack(pack!);
      expect(packNames(gitdir)).toHaveLength(1);
      expect(Math.max(...rows.map((r) => r.depth))).toBeGreaterThanOrEqual(12);
    });

    it('reads every object byte for byte like git cat-file --batch', () => {
      const r = reader(gitdir);
      expect(disagreements(r, expected)).toEqual([]);
      expect(r.packCount).toBe(1);
    });

    it('keeps rebuilt bases in a cache bounded by bytes, and is right without one', () => {
      const cached = reader(gitdir, { deltaBaseCacheBytes: 64 << 10 });
      expect(disagreements(cached, expected)).toEqual([]);
      expect(cached.cache.size).toBeGreaterThan(0);
      expect(cached.cache.size).toBeLessThanOrEqual(64 << 10);
      const uncached = reader(gitdir, { deltaBaseCacheBytes: 0 });
      expect(disagreements(uncached, expected)).toEqual([]);
      expect(uncached.cache.size).toBe(0);
    });

    it('reads the same objects through a version 1 index and through 64-bit offsets', () => {
      const [pack] = packNames(gitdir);
      for (const version of ['1', '2,0x400']) {
        const copy = bareRepo('bpa-idx-');
        const target = join(copy, 'objects', 'pack', 'pack-copy.pack');
        fs.copyFileSync(pack!, target);
        runGit(copy, ['index-pack', `--index-version=${version}`, target]);
        const idx = fs.readFileSync(target.replace(/\.pack$/, '.idx'));
        if (version === '1') {
          expect(idx.readUInt32BE(0)).not.toBe(0xff744f63);
        } else {
          // Header, fanout, then 28 bytes per object and the checksums: the rest is the
          // table of 64-bit offsets, which must be in use.
          const count = idx.readUInt32BE(8 + 255 * 4);
          expect(idx.length - (8 + 1024 + count * 28 + 40)).toBeGreaterThan(8);
        }
        expect(disagreements(reader(copy), expected)).toEqual([]);
      }
    });
  });

  it('reads ref-deltas whose bases are in the same pack', () => {
    const gitdir = bareRepo('bpa-refdelta-');
    writeHistory(gitdir, 30, 2);
    runGit(gitdir, ['-c', 'repack.useDeltaBaseOffset=false', 'repack', '-q', '-a', '-d', '-f', '--depth=50']);
    const [pack] = packNames(gitdir);
    const bytes = fs.readFileSync(pack!);
    const deltas = verifyPack(pack!).filter((row) => row.depth > 0);
    expect(deltas.length).toBeGreaterThan(10);
    // The entry's type, bits 4-6 of its first byte: 7 is a ref-delta.
    for (const row of deltas) expect((bytes[row.offset]! >> 4) & 7).toBe(7);
    expect(disagreements(reader(gitdir), catFileAll(gitdir))).toEqual([]);
  });

  it('reads a repository of several packs and loose objects', () => {
    const gitdir = bareRepo('bpa-multi-');
    const first = writeHistory(gitdir, 10, 3);
    writeHistory(gitdir, 10, 4, 'refs/heads/other');
    const tree = runGit(gitdir, ['rev-parse', `${first.at(-1)}^{tree}`]).trim();
    const loose = runGit(gitdir, ['commit-tree', tree, '-m', 'loose commit']).trim();
    expect(packNames(gitdir)).toHaveLength(2);
    const expected = catFileAll(gitdir);
    expect(expected.has(loose)).toBe(true);
    const r = reader(gitdir);
    expect(disagreements(r, expected)).toEqual([]);
    expect(r.packCount).toBe(2);
  });

  describe('a thin pack (as a fetch stores it) whose ref-delta bases are elsewhere', () => {
    let source: string;
    let oids: string[];
    let old: Buffer;
    let thin: Buffer;

    beforeAll(() => {
      source = bareRepo('bpa-thin-src-');
      const commits = writeHistory(source, 25, 5);
      const pack = (args: string[], revs: string) =>
        Buffer.from(runGit(source, ['pack-objects', '--stdout', '--revs', '-q', ...args], revs), 'latin1');
      old = pack([], `${commits[19]}\n`);
      thin = pack(['--thin'], `${commits[24]}\n^${commits[19]}\n`);
    });

    /** Places the old objects' pack in `gitdir`, indexed by git. */
    function addOldPack(gitdir: string): void {
      const file = join(gitdir, 'objects', 'pack', 'pack-old.pack');
      fs.writeFileSync(file, old);
      runGit(gitdir, ['index-pack', file]);
    }

    /** Places the thin pack in `gitdir` and indexes it the way isomorphic-git's fetch does. */
    async function addThinPack(gitdir: string): Promise<void> {
      fs.writeFileSync(join(gitdir, 'objects', 'pack', 'pack-thin.pack'), thin);
      const result = await git.indexPack({
        fs,
        dir: gitdir,
        gitdir,
        filepath: 'objects/pack/pack-thin.pack',
      });
      oids = result.oids;
    }

    it('reads them when the bases are in another pack', async () => {
      const gitdir = bareRepo('bpa-thin-pack-');
      addOldPack(gitdir);
      await addThinPack(gitdir);
      const r = reader(gitdir);
      expect(disagreements(r, catFile(source, oids))).toEqual([]);
      expect(r.packCount).toBe(2);
    });

    it('reads them when the bases are loose objects', async () => {
      const gitdir = bareRepo('bpa-thin-loose-');
      runGit(gitdir, ['unpack-objects', '-q'], old);
      await addThinPack(gitdir);
      expect(disagreements(reader(gitdir), catFile(source, oids))).toEqual([]);
    });

    it('says an object is damaged, not missing, when its base is nowhere', async () => {
      const gitdir = bareRepo('bpa-thin-none-');
      const withBases = bareRepo('bpa-thin-bases-');
      addOldPack(withBases);
      await addThinPack(withBases);
      fs.copyFileSync(
        join(withBases, 'objects', 'pack', 'pack-thin.pack'),
        join(gitdir, 'objects', 'pack', 'pack-thin.pack'),
      );
      fs.copyFileSync(
        join(withBases, 'objects', 'pack', 'pack-thin.idx'),
        join(gitdir, 'objects', 'pack', 'pack-thin.idx'),
      );
      const r = reader(gitdir);
      const outcomes = oids.map((oid) => {
        try {
          return r.read(oid) === undefined ? 'absent' : 'read';
        } catch (err) {
          return /delta base [0-9a-f]{40} is missing/.test((err as Error).message) ? 'no base' : 'other';
        }
      });
      // The pack is thin: some of its objects cannot be rebuilt alone, and none reads as absent.
      expect(outcomes).toContain('no base');
      expect(outcomes).toContain('read');
      expect(outcomes).not.toContain('absent');
      expect(outcomes).not.toContain('other');
    });
  });

  it('finds a pack that appeared after it first looked', () => {
    const gitdir = bareRepo('bpa-late-');
    const [first] = writeHistory(gitdir, 3, 7);
    const r = reader(gitdir);
    expect(r.read(first!)?.type).toBe('commit');
    const later = writeHistory(gitdir, 3, 8, 'refs/heads/later');
    expect(packNames(gitdir)).toHaveLength(2);
    expect(r.read(later.at(-1)!)?.type).toBe('commit');
    expect(r.packCount).toBe(2);
  });

  it('tells which of a batch are absent: packed, loose, in a pack that appeared since, in an alternate', () => {
    const gitdir = bareRepo('bpa-absent-');
    const [packed] = writeHistory(gitdir, 2, 15);
    const r = reader(gitdir);
    expect(r.has(packed!)).toBe(true);
    // After the reader first looked: a pack, a loose object, and one in a borrowed repository.
    const later = writeHistory(gitdir, 2, 16, 'refs/heads/later').at(-1)!;
    const loose = runGit(gitdir, ['hash-object', '-w', '--stdin'], 'loose\n').trim();
    const lender = bareRepo('bpa-absent-lender-');
    const borrowed = runGit(lender, ['hash-object', '-w', '--stdin'], 'borrowed\n').trim();
    fs.writeFileSync(join(gitdir, 'objects', 'info', 'alternates'), `${join(lender, 'objects')}\n`);
    const nobody = '0123456789abcdef0123456789abcdef01234567';
    const asked = [packed!, nobody, later, loose, 'HEAD', borrowed];
    // Alternates are read on the first look: a fresh reader sees the borrowed object.
    expect(reader(gitdir).absent(asked)).toEqual([nobody, 'HEAD']);
    expect(r.absent(asked)).toEqual([nobody, 'HEAD', borrowed]);
    expect(r.absent([packed!, later])).toEqual([]);
    for (const oid of asked) expect(r.has(oid)).toBe(!r.absent([oid]).length);
  });

  it('lets go of packs that a repack removed, and reads on from the new one', () => {
    const gitdir = bareRepo('bpa-repacked-');
    const first = writeHistory(gitdir, 3, 12);
    const second = writeHistory(gitdir, 3, 13, 'refs/heads/second');
    const r = reader(gitdir);
    expect(r.read(first[0]!)?.type).toBe('commit');
    expect(r.packCount).toBe(2);
    runGit(gitdir, ['repack', '-q', '-a', '-d']);
    expect(packNames(gitdir)).toHaveLength(1);
    // Still served by the open (now deleted) files until a miss makes it look again.
    expect(r.read(second[2]!)?.type).toBe('commit');
    expect(r.read('0123456789abcdef0123456789abcdef01234567')).toBeUndefined();
    expect(r.packCount).toBe(1);
    expect(disagreements(r, catFileAll(gitdir))).toEqual([]);
  });

  it('says a pack it cannot open is damaged, rather than calling its objects missing', () => {
    const gitdir = bareRepo('bpa-badpack-');
    const [commit] = writeHistory(gitdir, 2, 14);
    const loose = runGit(gitdir, ['hash-object', '-w', '--stdin'], 'loose\n').trim();
    const [pack] = packNames(gitdir);
    fs.chmodSync(pack!, 0o644);
    fs.writeFileSync(pack!, 'not a pack at all');
    const r = reader(gitdir);
    expect(r.read(loose)?.data.toString()).toBe('loose\n');
    expect(() => r.read(commit!)).toThrow(/cannot be read/);
  });

  it('says undefined for an id nobody has, and for text that is not an id', () => {
    const gitdir = bareRepo('bpa-missing-');
    writeHistory(gitdir, 2, 9);
    const r = reader(gitdir);
    expect(r.read('0123456789abcdef0123456789abcdef01234567')).toBeUndefined();
    expect(r.read('HEAD')).toBeUndefined();
  });
});
