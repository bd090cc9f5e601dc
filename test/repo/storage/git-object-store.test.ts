import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import { join } from 'node:path';
import { isBackportError } from '../../../src/errors.js';
import { GitObjectStore } from '../../../src/repo/storage/git-object-store.js';
import { git, tempDir } from '../../support/git.js';
import { packNames, verifyPack, writeHistory } from './object-layouts.js';

const dirs: { remove: () => void }[] = [];
afterAll(() => {
  for (const d of dirs) d.remove();
});

function packedRepo(prefix: string): { gitdir: string; commits: string[] } {
  const dir = tempDir(prefix);
  dirs.push(dir);
  git(dir.path, ['init', '-q', '--bare']);
  const commits = writeHistory(dir.path, 12, 21);
  git(dir.path, ['gc', '-q']);
  return { gitdir: dir.path, commits };
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('GitObjectStore reading through its own pack reader', () => {
  let gitdir: string;
  let commits: string[];

  beforeAll(() => {
    ({ gitdir, commits } = packedRepo('bpa-store-'));
  });

  it('reads commits, trees and blobs as git has them', async () => {
    const store = new GitObjectStore(gitdir);
    const tip = commits.at(-1)!;
    const commit = await store.readCommit(tip);
    expect(commit.tree).toBe(git(gitdir, ['rev-parse', `${tip}^{tree}`]).trim());
    expect(commit.parents).toEqual([commits.at(-2)]);
    const src = (await store.readTree(commit.tree)).find((e) => e.name === 'src');
    expect(src?.mode).toBe('040000');
    const deep = (await store.readTree(src!.oid)).find((e) => e.name === 'c.txt')!;
    const blob = await store.readBlob(deep.oid);
    expect(Buffer.from(blob).toString('latin1')).toBe(git(gitdir, ['cat-file', 'blob', deep.oid]));
    expect(await store.typeOf(deep.oid)).toBe('blob');
  });

  it('reads back, from a new store, what it flushed as loose objects', async () => {
    const store = new GitObjectStore(gitdir);
    const oid = await store.writeBlob(Buffer.from('written by the store\n'));
    await store.flush();
    expect(fs.existsSync(join(gitdir, 'objects', oid.slice(0, 2), oid.slice(2)))).toBe(true);
    const again = new GitObjectStore(gitdir);
    expect(Buffer.from(await again.readBlob(oid)).toString()).toBe('written by the store\n');
  });

  it('flushes loose objects git reads and verifies, read-only, whole, and leaves one already there alone', async () => {
    const dir = tempDir('bpa-store-flush-');
    dirs.push(dir);
    git(dir.path, ['init', '-q', '--bare']);
    const store = new GitObjectStore(dir.path);
    const blob = await store.writeBlob(Buffer.from('a line\n'));
    const tree = await store.writeTree([{ mode: '100644', name: 'a.txt', oid: blob }]);
    const commit = await store.writeCommit({
      tree,
      parents: [],
      author: { name: 'Ada', email: 'ada@example.com', timestamp: 1700000000, timezoneOffset: 0 },
      committer: { name: 'Ada', email: 'ada@example.com', timestamp: 1700000000, timezoneOffset: 0 },
      message: 'written by the store\n',
    });
    await store.flush();
    expect(git(dir.path, ['cat-file', '-p', `${commit}:a.txt`])).toBe('a line\n');
    git(dir.path, ['fsck', '--strict', '--no-dangling', commit]);
    const file = join(dir.path, 'objects', blob.slice(0, 2), blob.slice(2));
    expect(fs.statSync(file).mode & 0o222).toBe(0);
    const before = fs.statSync(file);
    // The same object again, from another store: nothing is rewritten.
    const again = new GitObjectStore(dir.path);
    expect(await again.writeBlob(Buffer.from('a line\n'))).toBe(blob);
    await again.flush();
    expect(fs.statSync(file).mtimeMs).toBe(before.mtimeMs);
    expect(fs.statSync(file).ino).toBe(before.ino);
    const left = fs.readdirSync(join(dir.path, 'objects'), { recursive: true }).map(String);
    expect(left.filter((f) => f.includes('tmp'))).toEqual([]);
  });

  it('reports an id that is not there as an unknown revision, and typeOf as undefined', async () => {
    const store = new GitObjectStore(gitdir);
    const missing = '0123456789abcdef0123456789abcdef01234567';
    const err = await errorOf(store.readTree(missing));
    expect(isBackportError(err, 'unknown-revision')).toBe(true);
    expect((err as Error).message).toBe(`Object ${missing} is not in the repository.`);
    expect(await store.typeOf(missing)).toBeUndefined();
  });

  it('isHere: packed and staged objects are, an absent one is not, and nothing is fetched', async () => {
    const store = new GitObjectStore(gitdir);
    const asked: string[][] = [];
    store.setPromisor(async (oids) => asked.push(oids));
    const tree = git(gitdir, ['rev-parse', `${commits[0]}^{tree}`]).trim();
    const staged = await store.writeBlob(Buffer.from('staged, not flushed\n'));
    expect([store.isHere(tree), store.isHere(staged)]).toEqual([true, true]);
    expect(store.isHere('0123456789abcdef0123456789abcdef01234567')).toBe(false);
    expect(asked).toEqual([]);
  });

  it('reports an object of the wrong type as corrupt', async () => {
    const store = new GitObjectStore(gitdir);
    const tree = git(gitdir, ['rev-parse', `${commits[0]}^{tree}`]).trim();
    const err = await errorOf(store.readCommit(tree));
    expect(isBackportError(err, 'corrupt-object')).toBe(true);
    expect((err as Error).message).toBe(`Object ${tree} is a tree, expected a commit.`);
  });
});

describe('GitObjectStore on damaged objects', () => {
  it('reports a loose object that is not zlib, or not what its name says, as corrupt', async () => {
    const dir = tempDir('bpa-store-loose-');
    dirs.push(dir);
    git(dir.path, ['init', '-q', '--bare']);
    const good = git(dir.path, ['hash-object', '-w', '--stdin'], 'one\n').trim();
    const other = git(dir.path, ['hash-object', '-w', '--stdin'], 'two\n').trim();
    const path = (oid: string) => join(dir.path, 'objects', oid.slice(0, 2), oid.slice(2));
    fs.chmodSync(path(good), 0o644);
    fs.writeFileSync(path(good), 'this is not zlib');
    // A valid object file under another object's name.
    fs.chmodSync(path(other), 0o644);
    const renamed = '1111111111111111111111111111111111111111';
    fs.mkdirSync(join(dir.path, 'objects', '11'));
    fs.copyFileSync(path(other), path(renamed));
    const store = new GitObjectStore(dir.path);
    for (const oid of [good, renamed]) {
      const err = await errorOf(store.readBlob(oid));
      expect(isBackportError(err, 'corrupt-object')).toBe(true);
      expect((err as Error).message).toBe(`The blob object ${oid} is corrupt or unreadable.`);
    }
  });

  it('reports a tree cut inside an entry as corrupt, read as entries or as bytes', async () => {
    const dir = tempDir('bpa-store-tree-');
    dirs.push(dir);
    git(dir.path, ['init', '-q', '--bare']);
    const blob = git(dir.path, ['hash-object', '-w', '--stdin'], 'one\n').trim();
    const whole = Buffer.concat([Buffer.from('100644 a\0', 'latin1'), Buffer.from(blob, 'hex')]);
    // The second entry's id ends early; git's own hash-object writes it without a check.
    const cut = Buffer.concat([
      whole,
      Buffer.from('100644 b\0', 'latin1'),
      Buffer.from(blob, 'hex').subarray(0, 12),
    ]);
    const file = join(dir.path, 'cut-tree');
    fs.writeFileSync(file, cut);
    const oid = git(dir.path, ['hash-object', '-w', '-t', 'tree', '--literally', file]).trim();
    for (const read of [(s: GitObjectStore) => s.readTree(oid), (s: GitObjectStore) => s.readRawTree(oid)]) {
      const err = await errorOf(read(new GitObjectStore(dir.path)));
      expect(isBackportError(err, 'corrupt-object')).toBe(true);
      expect((err as Error).message).toBe(`The tree object ${oid} is corrupt or unreadable.`);
    }
    fs.writeFileSync(file, whole);
    const good = git(dir.path, ['hash-object', '-w', '-t', 'tree', file]).trim();
    const store = new GitObjectStore(dir.path);
    expect(await store.readTree(good)).toEqual([{ mode: '100644', name: 'a', oid: blob }]);
    expect((await store.readRawTree(good)).count).toBe(1);
  });

  it('reports a packed object whose compressed data is damaged as corrupt', async () => {
    const { gitdir } = packedRepo('bpa-store-pack-');
    const [pack] = packNames(gitdir);
    // A whole (not deltified) blob, damaged well past its entry header.
    const row = verifyPack(pack!).find((r) => r.type === 'blob' && r.depth === 0)!;
    const bytes = fs.readFileSync(pack!);
    for (let i = 10; i < 20; i++) bytes[row.offset + i] = bytes[row.offset + i]! ^ 0x55;
    fs.chmodSync(pack!, 0o644);
    fs.writeFileSync(pack!, bytes);
    const store = new GitObjectStore(gitdir);
    const err = await errorOf(store.readBlob(row.oid));
    expect(isBackportError(err, 'corrupt-object')).toBe(true);
    expect(git(gitdir, ['cat-file', '-t', row.oid]).trim()).toBe('blob');
  });
});
