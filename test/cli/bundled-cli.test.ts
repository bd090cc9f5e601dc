import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
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
 * as a person runs it, in a process of its own.
 */
describe('the bundled CLI', () => {
  let dir: ReturnType<typeof tempDir>;
  let out: ReturnType<typeof tempDir>;
  let bin: string;
  beforeAll(() => {
    dir = tempDir('bpa-bundled-');
    makeProject(dir.path);
    out = tempDir('bpa-bundle-out-');
    execFileSync(process.execPath, [join(root, 'scripts', 'bundle-cli.mjs'), out.path]);
    bin = join(out.path, 'backport-assistant.mjs');
  }, 60_000);
  afterAll(() => {
    dir.remove();
    out.remove();
  });

  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir.path, encoding: 'utf8' });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  // The new commit's id holds the time of the pick; everything else must be the same.
  const withoutTime = (json: string) => ({ ...(JSON.parse(json) as object), commit_oid: undefined });

  it('is an entry and a chunk per command, not a module per source file', () => {
    const chunks = readdirSync(join(out.path, 'chunks')).filter((f) => f.endsWith('.mjs'));
    expect(chunks.some((f) => f.startsWith('pick-command-'))).toBe(true);
    expect(chunks.some((f) => f.startsWith('status-command-'))).toBe(true);
    expect(chunks.length).toBeLessThan(40);
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
});
