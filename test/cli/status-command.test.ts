import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git, tempDir } from '../support/git.js';
import { runCli } from './run-cli.js';

describe('backport-assistant status', () => {
  let dir: ReturnType<typeof tempDir>;
  const sha: Record<string, string> = {};
  beforeAll(() => {
    const d = (dir = tempDir('bpa-status-')).path;
    git(d, ['init', '-q', '-b', 'main']);
    writeFileSync(join(d, 'a.c'), Array.from({ length: 20 }, (_, i) => `a${i}\n`).join(''));
    writeFileSync(join(d, 'b.c'), 'b\n');
    git(d, ['add', '.']);
    git(d, ['commit', '-qm', 'initial']);
    git(d, ['branch', 'v1']);
    const commit = (file: string, content: string, message: string, key: string) => {
      writeFileSync(join(d, file), content);
      git(d, ['commit', '-qam', message]);
      sha[key] = git(d, ['rev-parse', 'HEAD']).trim();
    };
    commit(
      'a.c',
      Array.from({ length: 20 }, (_, i) => (i === 3 ? 'a3 fixed\n' : `a${i}\n`)).join(''),
      'fix: off by one in a',
      'picked',
    );
    commit('b.c', 'b2\n', 'fix(b): crash on empty input', 'missing');
    commit(
      'a.c',
      Array.from({ length: 20 }, (_, i) =>
        i === 3 ? 'a3 fixed\n' : i === 10 ? 'a10 new\n' : `a${i}\n`,
      ).join(''),
      'Add a feature',
      'feature',
    );
    git(d, ['switch', '-q', 'v1']);
    writeFileSync(join(d, 'b.c'), 'b on v1\n');
    git(d, ['commit', '-qam', 'v1 change to b']);
    git(d, ['cherry-pick', '-x', sha.picked!]);
    git(d, ['switch', '-q', 'main']);
  });
  afterAll(() => dir.remove());

  it('lists the fixes a branch lacks, says which are already there, and whether each applies', async () => {
    const r = await runCli(['status', '--repo', dir.path, '--branches', 'v1', '--json'], { cwd: dir.path });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const v1 = report.branches.find((b: { branch: string }) => b.branch === 'v1');
    expect(v1.missing.map((m: { sha: string }) => m.sha)).toEqual([sha.missing]);
    // v1 changed b.c too, so the missing fix would conflict there today.
    expect(v1.missing[0].applies).toBe('conflict');
    expect(v1.counts).toMatchObject({ fixes: 2, present: 1 });
    const text = await runCli(['status', '--repo', dir.path, '--branches', 'v1'], { cwd: dir.path });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('fix(b): crash on empty input');
  });

  it('gives the same report from inside a linked worktree', async () => {
    const wt = join(dir.path, '..', `${dir.path.split('/').pop()}-v1`);
    git(dir.path, ['worktree', 'add', '-q', wt, 'v1']);
    try {
      const main = await runCli(['status', '--branches', 'v1', '--json'], { cwd: dir.path });
      const linked = await runCli(['status', '--branches', 'v1', '--json'], { cwd: wt });
      expect([main.code, linked.code, linked.stderr]).toEqual([0, 0, '']);
      expect(JSON.parse(main.stdout).branches).toHaveLength(1);
      expect(JSON.parse(linked.stdout).branches).toEqual(JSON.parse(main.stdout).branches);
      expect(JSON.parse(linked.stdout).defaultBranch).toBe('main');
    } finally {
      git(dir.path, ['worktree', 'remove', '--force', wt]);
    }
  });

  it('fails with one line for an unknown branch', async () => {
    const r = await runCli(['status', '--repo', dir.path, '--branches', 'nope'], { cwd: dir.path });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
