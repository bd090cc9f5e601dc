import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  cacheFileName,
  compileCacheDir,
  CompileCache,
  decodeCacheFile,
  encodeCacheFile,
} from '../../src/cli/compile-cache.js';
import { tempDir } from '../support/git.js';

const key = { node: 'v20.20.2', arch: 'x64' };
const source = Buffer.from('(function (exports, require, module) { module.exports = 1 + 1; })');
const data = Buffer.from('pretend this is V8 data');

describe('a compile cache file', () => {
  it("gives back V8's data and the runs it holds when made for this source and Node", () => {
    const file = encodeCacheFile(source, data, ['pick:0'], key);
    expect(decodeCacheFile(file, source, key)).toEqual({ data, runs: ['pick:0'] });
  });

  it('is stale for another source, even of the same length, or another Node or architecture', () => {
    const file = encodeCacheFile(source, data, ['pick:0'], key);
    const sameLength = Buffer.from(source.toString().replace('1 + 1', '2 + 2'));
    expect(sameLength.length).toBe(source.length);
    expect(decodeCacheFile(file, sameLength, key)).toEqual({ state: 'stale' });
    expect(decodeCacheFile(file, Buffer.concat([source, Buffer.from(' ')]), key)).toEqual({ state: 'stale' });
    expect(decodeCacheFile(file, source, { ...key, node: 'v20.20.3' })).toEqual({ state: 'stale' });
    expect(decodeCacheFile(file, source, { ...key, arch: 'arm64' })).toEqual({ state: 'stale' });
  });

  it('is corrupt when cut short, lengthened, damaged in its data or header, or not one at all', () => {
    const file = encodeCacheFile(source, data, ['pick:0'], key);
    expect(decodeCacheFile(file.subarray(0, file.length - 1), source, key)).toEqual({ state: 'corrupt' });
    expect(decodeCacheFile(Buffer.concat([file, Buffer.from('x')]), source, key)).toEqual({
      state: 'corrupt',
    });
    const flipped = Buffer.from(file);
    flipped.writeUInt8(flipped.readUInt8(flipped.length - 3) ^ 0x20, flipped.length - 3);
    expect(decodeCacheFile(flipped, source, key)).toEqual({ state: 'corrupt' });
    const header = Buffer.from(
      file.toString('latin1').replace('"runs":["pick:0"]', '"runs":"pick:0"'),
      'latin1',
    );
    expect(decodeCacheFile(header, source, key)).toEqual({ state: 'corrupt' });
    expect(decodeCacheFile(Buffer.from('{"node":"v20.20.2"}\n'), source, key)).toEqual({ state: 'corrupt' });
    expect(decodeCacheFile(Buffer.alloc(0), source, key)).toEqual({ state: 'corrupt' });
  });
});

describe('where compile caches live', () => {
  const home = () => '/home/ada';

  it("is the user's cache directory, or the one BACKPORT_COMPILE_CACHE names", () => {
    expect(compileCacheDir({}, 'linux', home)).toBe('/home/ada/.cache/backport-assistant/compile-cache');
    expect(compileCacheDir({ XDG_CACHE_HOME: '/var/cache/ada' }, 'linux', home)).toBe(
      '/var/cache/ada/backport-assistant/compile-cache',
    );
    // The XDG specification ignores a relative path.
    expect(compileCacheDir({ XDG_CACHE_HOME: 'cache' }, 'linux', home)).toBe(
      '/home/ada/.cache/backport-assistant/compile-cache',
    );
    expect(compileCacheDir({}, 'darwin', home)).toBe(
      '/home/ada/Library/Caches/backport-assistant/compile-cache',
    );
    expect(compileCacheDir({ BACKPORT_COMPILE_CACHE: '/tmp/cc' }, 'linux', home)).toBe('/tmp/cc');
    // HOME, as os.homedir() gives it on POSIX.
    expect(compileCacheDir({ HOME: '/home/bo' }, 'linux')).toBe(
      '/home/bo/.cache/backport-assistant/compile-cache',
    );
  });

  it('is nowhere when disabled, or when there is no home directory', () => {
    expect(
      compileCacheDir(
        { BACKPORT_DISABLE_COMPILE_CACHE: '1', BACKPORT_COMPILE_CACHE: '/tmp/cc' },
        'linux',
        home,
      ),
    ).toBe(undefined);
    const homeless = () => {
      throw new Error('no home');
    };
    expect(compileCacheDir({}, 'linux', homeless)).toBe(undefined);
  });

  it('is a file per bundled file, its path and the node flags', () => {
    const name = cacheFileName('/opt/bpa/lib/bin/cli.cjs', '');
    expect(name).toMatch(/^cli\.cjs-[0-9a-f]{8}\.cache$/);
    expect(cacheFileName('/opt/bpa/lib/bin/cli.cjs', '')).toBe(name);
    expect(cacheFileName('/usr/lib/bpa/lib/bin/cli.cjs', '')).not.toBe(name);
    expect(cacheFileName('/opt/bpa/lib/bin/cli.cjs', '--max-semi-space-size=4\0')).not.toBe(name);
  });
});

describe('CompileCache', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir('bpa-compile-cache-');
  });
  afterEach(() => dir.remove());

  const nodeRequire = createRequire(import.meta.url);
  // A bundled file as the bundle script writes them, requiring a second one beside it.
  const writeBundle = (answer: number) => {
    writeFileSync(
      join(dir.path, 'cli.cjs'),
      `(function (exports, require, module) { module.exports = { answer: ${answer} + require('./vendor.cjs').one, sep: require('node:path').sep }; })`,
    );
    writeFileSync(join(dir.path, 'vendor.cjs'), '(function (exports, require, module) { exports.one = 1; })');
  };

  it("runs a bundled file with the require it is given, and writes each file's cache once it has run", () => {
    writeBundle(41);
    const caches = join(dir.path, 'caches');
    const lines: string[] = [];
    const cache = new CompileCache(caches, nodeRequire, (line) => lines.push(line), '');
    expect(cache.load(join(dir.path, 'cli.cjs'))).toEqual({ answer: 42, sep: '/' });
    cache.save('pick:0');
    expect(lines).toEqual([
      'compile cache: cli.cjs: missing',
      'compile cache: vendor.cjs: missing',
      'compile cache: cli.cjs: written',
      'compile cache: vendor.cjs: written',
    ]);
    const written = readdirSync(caches).sort();
    expect(written).toEqual([
      cacheFileName(join(dir.path, 'cli.cjs'), ''),
      cacheFileName(join(dir.path, 'vendor.cjs'), ''),
    ]);
    const file = readFileSync(join(caches, written[0]!));
    const decoded = decodeCacheFile(file, readFileSync(join(dir.path, 'cli.cjs')));
    expect('data' in decoded && decoded.runs).toEqual(['pick:0']);
  });

  it('compiles from the source, with the right answer, when the cache is stale or corrupt, and writes it anew', () => {
    writeBundle(41);
    const caches = join(dir.path, 'caches');
    const first = new CompileCache(caches, nodeRequire, undefined, '');
    first.load(join(dir.path, 'cli.cjs'));
    first.save('pick:0');
    const cacheFile = join(caches, cacheFileName(join(dir.path, 'cli.cjs'), ''));
    const made = readFileSync(cacheFile);

    // The same length, another source: the old code must not run.
    writeBundle(51);
    const lines: string[] = [];
    const stale = new CompileCache(caches, nodeRequire, (line) => lines.push(line), '');
    expect(stale.load(join(dir.path, 'cli.cjs'))).toEqual({ answer: 52, sep: '/' });
    stale.save('pick:0');
    expect(lines).toContain('compile cache: cli.cjs: stale');
    expect(lines).toContain('compile cache: cli.cjs: written');
    expect(readFileSync(cacheFile).equals(made)).toBe(false);

    const damaged = readFileSync(cacheFile);
    damaged.writeUInt8(damaged.readUInt8(damaged.length - 5) ^ 0xff, damaged.length - 5);
    writeFileSync(cacheFile, damaged);
    lines.length = 0;
    const corrupt = new CompileCache(caches, nodeRequire, (line) => lines.push(line), '');
    expect(corrupt.load(join(dir.path, 'cli.cjs'))).toEqual({ answer: 52, sep: '/' });
    corrupt.save('pick:0');
    expect(lines).toContain('compile cache: cli.cjs: corrupt');
    expect(lines).toContain('compile cache: cli.cjs: written');
  });

  it('writes nothing without a directory, and never throws when it cannot write', () => {
    writeBundle(41);
    const lines: string[] = [];
    const off = new CompileCache(undefined, nodeRequire, (line) => lines.push(line), '');
    expect(off.load(join(dir.path, 'cli.cjs'))).toEqual({ answer: 42, sep: '/' });
    off.save('pick:0');
    expect(lines).toEqual(['compile cache: cli.cjs: off', 'compile cache: vendor.cjs: off']);

    // A file where the directory should be.
    const blocked = join(dir.path, 'blocked');
    writeFileSync(blocked, '');
    lines.length = 0;
    const unwritable = new CompileCache(blocked, nodeRequire, (line) => lines.push(line), '');
    unwritable.load(join(dir.path, 'cli.cjs'));
    expect(() => unwritable.save('pick:0')).not.toThrow();
    expect(lines.filter((l) => l.includes('not written'))).toHaveLength(2);
  });
});
