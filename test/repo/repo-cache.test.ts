import { afterEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { RepoCache } from '../../src/repo/repo-cache.js';
import { tempDir } from '../support/git.js';

const dirs: { remove: () => void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});
function root(): string {
  const d = tempDir('bpa-cache-');
  dirs.push(d);
  return d.path;
}

/** Pretends a fetch brought a pack of `bytes` bytes (the cache only counts and deletes files). */
function addPack(gitdir: string, name: string, bytes: number): void {
  const dir = path.join(gitdir, 'objects', 'pack');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `pack-${name}.pack`), Buffer.alloc(bytes));
}

const openPackDescriptors = (under: string) =>
  fs
    .readdirSync('/proc/self/fd')
    .map((fd) => {
      try {
        return fs.readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return '';
      }
    })
    .filter((target) => target.startsWith(under) && target.endsWith('.pack')).length;

describe('the git cache is bounded (defect f)', () => {
  it('a released repository keeps no pack file open', async () => {
    const cache = new RepoCache(root());
    const local = await cache.open('acme', 'widgets');
    const other = await cache.open('acme', 'widgets');
    expect(other.gitdir).toBe(local.gitdir);
    local.release();
    other.release();
    expect(openPackDescriptors(cache.root)).toBe(0);
  });

  it('evicts the least recently used repositories beyond the disk budget, never one in use', async () => {
    const cache = new RepoCache(root(), { maxBytes: 3_000_000 });
    const a = await cache.open('acme', 'a');
    addPack(a.gitdir, '1', 1_000_000);
    a.release();
    const b = await cache.open('acme', 'b');
    addPack(b.gitdir, '1', 1_000_000);
    b.release();
    const inUse = await cache.open('acme', 'c');
    addPack(inUse.gitdir, '1', 1_000_000);
    // a is older than b; opening d (over budget now) evicts a only; c is in use and stays.
    const d = await cache.open('acme', 'd');
    addPack(d.gitdir, '1', 1_500_000);
    d.release();
    await cache.open('acme', 'e').then((e) => e.release());
    expect(fs.existsSync(a.gitdir)).toBe(false);
    expect(fs.existsSync(inUse.gitdir)).toBe(true);
    expect(fs.existsSync(d.gitdir)).toBe(true);
    inUse.release();
  });

  it('deletes a repository whose many packs cannot be read (so not consolidated): the next fetch starts afresh', async () => {
    const cache = new RepoCache(root(), { maxPacks: 4 });
    const first = await cache.open('acme', 'w');
    for (let i = 0; i < 6; i++) addPack(first.gitdir, String(i), 10);
    first.release();
    const again = await cache.open('acme', 'w');
    const packs = fs
      .readdirSync(path.join(again.gitdir, 'objects', 'pack'))
      .filter((f) => f.endsWith('.pack'));
    expect(packs.length).toBeLessThanOrEqual(4);
    expect(fs.existsSync(path.join(again.gitdir, 'HEAD'))).toBe(true);
    again.release();
  });
});
