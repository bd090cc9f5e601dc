import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { RepoCache } from '../../src/repo/repo-cache.js';
import { git, tempDir } from '../support/git.js';
import { openPacks } from '../support/open-packs.js';

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

describe('the git cache is bounded (defect f)', () => {
  it('opens a repository in a cache directory that does not exist yet', async () => {
    const cache = new RepoCache(path.join(root(), 'not', 'yet'));
    const repo = await cache.open('acme', 'widgets');
    expect(fs.existsSync(path.join(repo.gitdir, 'HEAD'))).toBe(true);
    await repo.release();
  });

  it('a released repository keeps no pack file open', async () => {
    const cache = new RepoCache(root());
    const local = await cache.open('acme', 'widgets');
    const other = await cache.open('acme', 'widgets');
    expect(other.gitdir).toBe(local.gitdir);
    // A real pack, read through both handles' stores, so that each holds it open until released.
    const blob = git(local.gitdir, ['hash-object', '-w', '--stdin'], 'packed\n').trim();
    git(local.gitdir, ['update-ref', 'refs/tags/packed', blob]);
    git(local.gitdir, ['repack', '-adq']);
    for (const repo of [local, other]) {
      expect(Buffer.from(await repo.store.readBlob(blob)).toString()).toBe('packed\n');
    }
    expect(openPacks(cache.root).length).toBeGreaterThan(0);
    await local.release();
    await other.release();
    expect(openPacks(cache.root)).toEqual([]);
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
    // a is older than b; releasing d (over budget now) evicts a, then b; c is in use and stays.
    const d = await cache.open('acme', 'd');
    addPack(d.gitdir, '1', 1_500_000);
    await d.release();
    await cache.open('acme', 'e').then((e) => e.release());
    expect(fs.existsSync(a.gitdir)).toBe(false);
    expect(fs.existsSync(b.gitdir)).toBe(false);
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

  it('a repository evicted while a job opens it: the job gets a whole repository, never one deleted under it', async () => {
    const r = root();
    const cache = new RepoCache(r, { maxBytes: 1_000_000 });
    const a = await cache.open('acme', 'a');
    // A partial clone with many files (packs and their .promisor marks): deleting it takes a while.
    for (let i = 0; i < 1500; i++) addPack(a.gitdir, String(i), 100);
    for (let i = 0; i < 1500; i++)
      fs.writeFileSync(path.join(a.gitdir, 'objects', 'pack', `pack-${i}.promisor`), '');
    addPack(a.gitdir, 'big', 1_500_000);
    a.release();
    // Opening b evicts a (over budget, not in use); a job opens a while that is under way.
    const opening = cache.open('acme', 'b');
    const pack = (i: number) => path.join(a.gitdir, 'objects', 'pack', `pack-${i}.pack`);
    // Once its files start to go, the job opens it.
    while (fs.existsSync(pack(0)) && fs.existsSync(pack(1499))) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    const again = await cache.open('acme', 'a');
    (await opening).release();
    // What the job holds is a repository, whole: empty (fetched afresh), not half of the old one.
    expect(fs.existsSync(path.join(again.gitdir, 'HEAD'))).toBe(true);
    const left = fs.readdirSync(path.join(again.gitdir, 'objects', 'pack'), { withFileTypes: true });
    expect(left.filter((f) => f.isFile()).map((f) => f.name)).toEqual([]);
    again.release();
    // Nothing is left aside once the eviction is over.
    await cache.open('acme', 'c').then((c) => c.release());
    expect(fs.readdirSync(path.join(r, '.evicted'))).toEqual([]);
  });

  it('a repository half deleted by a crash (no HEAD; packs, shallow and refs left) is started afresh', async () => {
    const r = root();
    const gitdir = path.join(r, 'acme', 'a.git');
    // What deleting in place leaves when interrupted: HEAD goes first, the rest may stay.
    addPack(gitdir, 'old', 1000);
    fs.writeFileSync(path.join(gitdir, 'objects', 'pack', 'pack-gone.idx'), Buffer.alloc(100));
    fs.writeFileSync(path.join(gitdir, 'shallow'), `${'1'.repeat(40)}\n`);
    fs.mkdirSync(path.join(gitdir, 'refs', 'remotes', 'origin'), { recursive: true });
    fs.writeFileSync(path.join(gitdir, 'refs', 'remotes', 'origin', 'v1.2'), `${'2'.repeat(40)}\n`);
    const cache = new RepoCache(r);
    const a = await cache.open('acme', 'a');
    expect(fs.readdirSync(path.join(a.gitdir, 'objects', 'pack'))).toEqual([]);
    expect(fs.existsSync(path.join(a.gitdir, 'shallow'))).toBe(false);
    expect(fs.existsSync(path.join(a.gitdir, 'refs', 'remotes', 'origin', 'v1.2'))).toBe(false);
    a.release();
  });

  it('what a crash left aside mid-eviction is never opened as a repository, and is swept', async () => {
    const r = root();
    const aside = path.join(r, '.evicted', 'acme+a.1.1');
    fs.mkdirSync(path.join(aside, 'objects', 'pack'), { recursive: true });
    fs.writeFileSync(path.join(aside, 'HEAD'), 'ref: refs/heads/main\n');
    const cache = new RepoCache(r, { maxBytes: 1_000_000 });
    const a = await cache.open('acme', 'a');
    expect(fs.readdirSync(path.join(a.gitdir, 'objects', 'pack'))).toEqual([]);
    a.release();
    expect(fs.existsSync(aside)).toBe(false);
  });
});

describe('the disk budget holds between opens, and across processes sharing the cache', () => {
  it('a busy repository that alone outgrows the budget is evicted once its last job releases it, not before', async () => {
    const cache = new RepoCache(root(), { maxBytes: 1_000_000 });
    const first = await cache.open('acme', 'busy');
    const second = await cache.open('acme', 'busy');
    // Its fetches took it over the budget; no other repository is opened afterwards.
    addPack(first.gitdir, '1', 1_500_000);
    await first.release();
    expect(fs.existsSync(first.gitdir)).toBe(true);
    await second.release();
    expect(fs.existsSync(first.gitdir)).toBe(false);
  });

  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
  });

  /** Another node process that opens `owner/repo` in the cache at `r` and holds it. */
  async function holder(
    r: string,
    owner: string,
    repo: string,
  ): Promise<{ gitdir: string; child: ChildProcess }> {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.NODE_OPTIONS;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/repo/hold-cached-repo.ts', r, owner, repo],
      {
        cwd: path.resolve(import.meta.dirname, '..', '..'),
        env,
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    children.push(child);
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`holder exited (${code})`))),
    );
    const lines = readline.createInterface({ input: child.stdout! });
    const gitdir = await Promise.race([new Promise<string>((done) => lines.once('line', done)), exited]);
    exited.catch(() => undefined);
    return { gitdir, child };
  }

  it('a repository another process is using is never evicted; once that process is dead, it is', async () => {
    const r = root();
    const other = await holder(r, 'acme', 'held');
    addPack(other.gitdir, '1', 1_500_000);
    const cache = new RepoCache(r, { maxBytes: 1_000_000 });
    await cache.open('acme', 'mine').then((m) => m.release());
    expect(fs.existsSync(path.join(other.gitdir, 'HEAD'))).toBe(true);

    // Killed without releasing (a crash): what it left says a dead pid, and no longer counts.
    const gone = new Promise((done) => other.child.once('exit', done));
    other.child.kill('SIGKILL');
    await gone;
    await cache.open('acme', 'mine').then((m) => m.release());
    expect(fs.existsSync(other.gitdir)).toBe(false);
  }, 60_000);

  it('a repository another process released is evicted like any other', async () => {
    const r = root();
    const other = await holder(r, 'acme', 'held');
    addPack(other.gitdir, '1', 1_500_000);
    const gone = new Promise((done) => other.child.once('exit', done));
    other.child.stdin!.end();
    await gone;
    const cache = new RepoCache(r, { maxBytes: 1_000_000 });
    await cache.open('acme', 'mine').then((m) => m.release());
    expect(fs.existsSync(other.gitdir)).toBe(false);
  }, 60_000);
});
