import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git, tempDir } from '../support/git.js';
import { runCli } from './run-cli.js';

const root = join(import.meta.dirname, '..', '..');

// main moves on, release stays behind and changes the fixed line its own way (a conflict).
function makeProject(dir: string): void {
  const lines = (fix?: string) =>
    Array.from({ length: 30 }, (_, i) => (i === 24 && fix ? fix : `line ${i + 1}`));
  git(dir, ['init', '-q', '-b', 'main']);
  writeFileSync(join(dir, 'calc.c'), `${lines().join('\n')}\n`);
  writeFileSync(join(dir, 'README'), 'readme\n');
  git(dir, ['add', '.']);
  git(dir, ['commit', '-qm', 'initial']);
  git(dir, ['branch', 'v1']);
  git(dir, ['branch', 'release']);
  writeFileSync(join(dir, 'calc.c'), `${lines('line 25 fixed').join('\n')}\n`);
  git(dir, ['commit', '-qam', 'Fix line 25']);
  git(dir, ['switch', '-q', 'release']);
  writeFileSync(join(dir, 'calc.c'), `${lines('line 25 patched').join('\n')}\n`);
  git(dir, ['commit', '-qam', 'Patch line 25 on release']);
  git(dir, ['switch', '-q', 'main']);
}

/**
 * The bundled CLI (the package's bin, built by scripts/bundle-cli.mjs) answers as the CLI's
 * own modules do: the bundle is built from src/ into a directory of the test's own, and run
 * as a person runs it, in a process of its own, with its compile cache in a directory of the
 * test's own too.
 */
describe('the bundled CLI', () => {
  let dir: ReturnType<typeof tempDir>;
  let out: ReturnType<typeof tempDir>;
  let caches: ReturnType<typeof tempDir>;
  let bin: string;
  beforeAll(() => {
    dir = tempDir('bpa-bundled-');
    makeProject(dir.path);
    out = tempDir('bpa-bundle-out-');
    caches = tempDir('bpa-bundle-caches-');
    execFileSync(process.execPath, [join(root, 'scripts', 'bundle-cli.mjs'), out.path]);
    bin = join(out.path, 'backport-assistant.cjs');
  }, 60_000);
  afterAll(() => {
    dir.remove();
    out.remove();
    caches.remove();
  });

  const run = (args: string[], opts: { bin?: string; env?: NodeJS.ProcessEnv; flags?: string[] } = {}) => {
    const r = spawnSync(process.execPath, [...(opts.flags ?? []), opts.bin ?? bin, ...args], {
      cwd: dir.path,
      encoding: 'utf8',
      env: { ...process.env, BACKPORT_DEBUG: '', BACKPORT_COMPILE_CACHE: caches.path, ...opts.env },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  // The new commit's id holds the time of the pick; everything else must be the same.
  const withoutTime = (json: string) => ({ ...(JSON.parse(json) as object), commit_oid: undefined });

  it('is a small entry, the CLI, and a file per large dependency, not a module per source file', () => {
    expect(
      readdirSync(out.path)
        .filter((f) => !f.endsWith('.map'))
        .sort(),
    ).toEqual(['backport-assistant.cjs', 'cli.cjs', 'vendor']);
    expect(readdirSync(join(out.path, 'vendor')).sort()).toEqual([
      'isomorphic-git.cjs',
      're2js.cjs',
      'zod.cjs',
    ]);
    expect(readFileSync(bin, 'utf8').length).toBeLessThan(10_000);
  });

  it("takes Node's built-in modules as require gives them, not through a copy per importing module", () => {
    for (const file of [bin, join(out.path, 'cli.cjs')]) {
      const text = readFileSync(file, 'utf8');
      expect(text).toMatch(/require\("node:fs"\)/);
      // esbuild's interop for a default import wraps the require: `__toESM(require("node:fs"), 1)`.
      expect(text).not.toMatch(/\(require\("node:[^"]+"\)(,\s*1)?\)/);
    }
  });

  it('picks cleanly, and reports a conflict with its choices, as the unbundled CLI does', async () => {
    for (const onto of ['v1', 'release']) {
      const args = ['pick', 'main', '--onto', onto, '--dry-run', '--json'];
      const bundled = run(args);
      const own = await runCli(args, { cwd: dir.path });
      expect(bundled.stderr).toBe('');
      expect(bundled.code).toBe(own.code);
      expect(withoutTime(bundled.stdout)).toEqual(withoutTime(own.stdout));
    }
    expect(run(['pick', 'main', '--onto', 'release', '--dry-run', '--json']).code).toBe(1);
  });

  it('writes its whole answer through a pipe that is read late, before it exits', async () => {
    // A conflict over 300 long lines: a JSON answer far larger than a pipe holds (64 KiB).
    const big = tempDir('bpa-bundled-big-');
    try {
      const lines = (tag: string) =>
        Array.from({ length: 300 }, (_, i) => `${tag} line ${i} ${'0'.repeat(250)}`).join('\n');
      git(big.path, ['init', '-q', '-b', 'main']);
      writeFileSync(join(big.path, 'big.txt'), `${lines('base')}\n`);
      git(big.path, ['add', '.']);
      git(big.path, ['commit', '-qm', 'initial']);
      git(big.path, ['branch', 'release']);
      writeFileSync(join(big.path, 'big.txt'), `${lines('main')}\n`);
      git(big.path, ['commit', '-qam', 'main rewrites it']);
      git(big.path, ['switch', '-q', 'release']);
      writeFileSync(join(big.path, 'big.txt'), `${lines('release')}\n`);
      git(big.path, ['commit', '-qam', 'release rewrites it']);
      const child = spawn(
        process.execPath,
        [bin, 'pick', 'main', '--onto', 'release', '--dry-run', '--json'],
        {
          cwd: big.path,
        },
      );
      child.stdout.pause();
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const chunks: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => chunks.push(c));
      child.stdout.resume();
      expect(await exited).toBe(1);
      const answer = Buffer.concat(chunks).toString('utf8');
      expect(answer.length).toBeGreaterThan(64 * 1024);
      expect((JSON.parse(answer) as { status: string }).status).toBe('conflict');
    } finally {
      big.remove();
    }
  }, 60_000);

  // Linux's /dev/full refuses every write with ENOSPC.
  (existsSync('/dev/full') ? it : it.skip)('exits 2, saying why, when its answer cannot be written', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [bin, 'pick', 'main', '--onto', 'v1', '--dry-run', '--json'], {
        cwd: dir.path,
        encoding: 'utf8',
        stdio: ['ignore', full, 'pipe'],
        env: { ...process.env, BACKPORT_DEBUG: '', BACKPORT_COMPILE_CACHE: caches.path },
      });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^backport-assistant: could not write the answer: ENOSPC/);
    } finally {
      closeSync(full);
    }
  });

  it('runs the commands whose bundled dependencies require Node built-ins (status)', async () => {
    const args = ['status', '--repo', '.', '--branches', 'release,v1'];
    const bundled = run(args);
    const own = await runCli(args, { cwd: dir.path });
    expect(bundled.stderr).toBe('');
    expect(bundled.code).toBe(0);
    expect(bundled.stdout).toBe(own.stdout);
  });

  it('prints its usage and exits 2 on an unknown command, one line and no stack trace', () => {
    expect(run(['--help']).code).toBe(0);
    const bad = run(['frobnicate']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^backport-assistant: unknown command "frobnicate"\./);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  describe("V8's code cache", () => {
    const pick = ['pick', 'main', '--onto', 'v1', '--dry-run', '--json'];
    const conflict = ['pick', 'main', '--onto', 'release', '--dry-run', '--json'];
    let cacheDir: ReturnType<typeof tempDir>;
    let expected: unknown;
    let expectedConflict: string;
    beforeAll(async () => {
      cacheDir = tempDir('bpa-code-cache-');
      expected = withoutTime((await runCli(pick, { cwd: dir.path })).stdout);
      expectedConflict = (await runCli(conflict, { cwd: dir.path })).stdout;
    });
    afterAll(() => cacheDir.remove());

    // With BACKPORT_DEBUG, the bin says on stderr what became of each file's cache.
    const runReporting = (args: string[], opts: { bin?: string; flags?: string[] } = {}) => {
      const r = run(args, { ...opts, env: { BACKPORT_DEBUG: '1', BACKPORT_COMPILE_CACHE: cacheDir.path } });
      return { ...r, said: r.stderr.split('\n').filter((l) => l.includes('compile cache: cli.cjs')) };
    };
    const cacheFile = () => {
      const files = readdirSync(cacheDir.path).filter((f) => f.startsWith('cli.cjs-'));
      expect(files).toHaveLength(1);
      return join(cacheDir.path, files[0]!);
    };

    it('is written after the first run and used by the next, which writes nothing', () => {
      const first = runReporting(pick);
      expect(first.code).toBe(0);
      expect(first.said).toEqual([
        'backport-assistant: compile cache: cli.cjs: missing',
        'backport-assistant: compile cache: cli.cjs: written',
      ]);
      const made = readFileSync(cacheFile());
      const second = runReporting(pick);
      expect(second.said).toEqual(['backport-assistant: compile cache: cli.cjs: used']);
      expect(withoutTime(second.stdout)).toEqual(expected);
      expect(readFileSync(cacheFile()).equals(made)).toBe(true);
    });

    it("gains a conflict's code the first time a pick conflicts, then is only used", () => {
      const first = runReporting(conflict);
      expect(first.code).toBe(1);
      expect(first.stdout).toBe(expectedConflict);
      expect(first.said).toEqual([
        'backport-assistant: compile cache: cli.cjs: used',
        'backport-assistant: compile cache: cli.cjs: written',
      ]);
      expect(runReporting(conflict).said).toEqual(['backport-assistant: compile cache: cli.cjs: used']);
      expect(runReporting(pick).said).toEqual(['backport-assistant: compile cache: cli.cjs: used']);
    });

    it('is not written by a run that only printed the usage or failed', () => {
      const fresh = tempDir('bpa-code-cache-none-');
      try {
        const env = { BACKPORT_COMPILE_CACHE: fresh.path };
        expect(run(['--help'], { env }).code).toBe(0);
        expect(run(['pick', 'no-such-commit', '--onto', 'v1'], { env }).code).toBe(2);
        expect(existsSync(fresh.path) && readdirSync(fresh.path)).toEqual([]);
      } finally {
        fresh.remove();
      }
    });

    it('is ignored when damaged, and made again', () => {
      const file = cacheFile();
      const damaged = readFileSync(file);
      damaged.writeUInt8(damaged.readUInt8(damaged.length - 100) ^ 0xff, damaged.length - 100);
      writeFileSync(file, damaged);
      const r = runReporting(pick);
      expect(r.code).toBe(0);
      expect(withoutTime(r.stdout)).toEqual(expected);
      expect(r.said).toEqual([
        'backport-assistant: compile cache: cli.cjs: corrupt',
        'backport-assistant: compile cache: cli.cjs: written',
      ]);
      expect(runReporting(pick).said).toEqual(['backport-assistant: compile cache: cli.cjs: used']);
    });

    it('is ignored when V8 refuses it (made under other V8 flags), and made again', () => {
      // The same file's cache made by a run with another V8 flag, put where a run without
      // it looks: whole and for this source, but V8's own check of its flags fails.
      const plain = cacheFile();
      const flags = ['--no-lazy-feedback-allocation'];
      expect(runReporting(pick, { flags }).said).toEqual([
        'backport-assistant: compile cache: cli.cjs: missing',
        'backport-assistant: compile cache: cli.cjs: written',
      ]);
      const other = readdirSync(cacheDir.path).find(
        (f) => f.startsWith('cli.cjs-') && join(cacheDir.path, f) !== plain,
      );
      cpSync(join(cacheDir.path, other!), plain);
      const r = runReporting(pick);
      expect(withoutTime(r.stdout)).toEqual(expected);
      expect(r.said).toEqual([
        'backport-assistant: compile cache: cli.cjs: rejected',
        'backport-assistant: compile cache: cli.cjs: written',
      ]);
      expect(runReporting(pick).said).toEqual(['backport-assistant: compile cache: cli.cjs: used']);
    });

    it('is ignored when the bundled file changed, and made again', () => {
      const copy = tempDir('bpa-bundle-changed-');
      try {
        cpSync(out.path, copy.path, { recursive: true });
        const changedBin = join(copy.path, 'backport-assistant.cjs');
        expect(runReporting(pick, { bin: changedBin }).said).toContain(
          'backport-assistant: compile cache: cli.cjs: written',
        );
        writeFileSync(
          join(copy.path, 'cli.cjs'),
          `${readFileSync(join(copy.path, 'cli.cjs'), 'utf8')}// changed\n`,
        );
        const r = runReporting(pick, { bin: changedBin });
        expect(withoutTime(r.stdout)).toEqual(expected);
        expect(r.said).toEqual([
          'backport-assistant: compile cache: cli.cjs: stale',
          'backport-assistant: compile cache: cli.cjs: written',
        ]);
      } finally {
        copy.remove();
      }
    });
  });
});
