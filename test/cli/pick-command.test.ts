import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { git, gitStatus, tempDir } from '../support/git.js';
import { runCli } from './run-cli.js';

// A small project: main moves on, a release branch stays behind, fixes land on main.
function makeProject(dir: string): void {
  git(dir, ['init', '-q', '-b', 'main']);
  writeFileSync(join(dir, 'calc.c'), Array.from({ length: 30 }, (_, i) => `line ${i + 1}\n`).join(''));
  writeFileSync(join(dir, 'README'), 'readme\n');
  git(dir, ['add', '.']);
  git(dir, ['commit', '-qm', 'initial']);
  git(dir, ['branch', 'v1']);
  git(dir, ['branch', 'release']);
  // The fix, on a topic branch that is merged into main with a merge commit.
  git(dir, ['switch', '-q', '-c', 'topic']);
  writeFileSync(
    join(dir, 'calc.c'),
    Array.from({ length: 30 }, (_, i) => (i === 24 ? 'line 25 fixed\n' : `line ${i + 1}\n`)).join(''),
  );
  git(dir, ['commit', '-qam', 'Fix line 25\n\nSigned-off-by: Ada <ada@example.com>']);
  git(dir, ['switch', '-q', 'main']);
  writeFileSync(join(dir, 'README'), 'readme v2\n');
  git(dir, ['commit', '-qam', 'Update readme']);
  git(dir, ['merge', '-q', '--no-ff', '-m', 'Merge topic', 'topic']);
  // The release branch changed line 25 differently, so the fix conflicts there.
  git(dir, ['switch', '-q', 'release']);
  writeFileSync(
    join(dir, 'calc.c'),
    Array.from({ length: 30 }, (_, i) => (i === 24 ? 'line 25 patched\n' : `line ${i + 1}\n`)).join(''),
  );
  git(dir, ['commit', '-qam', 'Patch line 25 on release']);
  git(dir, ['switch', '-q', 'main']);
}

describe('backport-assistant pick', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeAll(() => {
    dir = tempDir('bpa-cli-');
    makeProject(dir.path);
  });
  afterAll(() => dir.remove());

  it('applies a fix onto an old branch exactly as git cherry-pick -x does, and moves only --branch', async () => {
    const headBefore = git(dir.path, ['rev-parse', 'HEAD']);
    const r = await runCli(
      [
        'pick',
        'topic',
        '--onto',
        'v1',
        '--branch',
        'backport/1-to-v1',
        '--committer',
        'Cy Committer <cy@example.com>',
      ],
      {
        cwd: dir.path,
      },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/Applied 1 commit onto v1/);
    // git itself, in a throwaway clone, is the reference for the result.
    const ref = tempDir('bpa-cli-ref-');
    git(ref.path, ['clone', '-q', dir.path, '.']);
    git(ref.path, ['switch', '-q', 'v1']);
    git(ref.path, ['cherry-pick', '-x', 'origin/topic']);
    expect(git(dir.path, ['rev-parse', 'backport/1-to-v1^{tree}'])).toBe(
      git(ref.path, ['rev-parse', 'HEAD^{tree}']),
    );
    const ours = git(dir.path, ['log', '-1', '--format=%an <%ae> %at%n%B', 'backport/1-to-v1']);
    const theirs = git(ref.path, ['log', '-1', '--format=%an <%ae> %at%n%B', 'HEAD']);
    expect(ours).toBe(theirs);
    expect(git(dir.path, ['log', '-1', '--format=%cn <%ce>', 'backport/1-to-v1']).trim()).toBe(
      'Cy Committer <cy@example.com>',
    );
    ref.remove();
    // Nothing else moved: HEAD, the working tree and v1 are as they were.
    expect(git(dir.path, ['rev-parse', 'HEAD'])).toBe(headBefore);
    expect(git(dir.path, ['status', '--porcelain'])).toBe('');
    expect(git(dir.path, ['rev-parse', 'v1'])).toBe(git(dir.path, ['rev-parse', 'main~2']));
  });

  it('writes nothing on --dry-run', async () => {
    const objectsBefore = git(dir.path, ['count-objects']);
    const r = await runCli(['pick', 'topic', '--onto', 'v1', '--branch', 'dry', '--dry-run'], {
      cwd: dir.path,
    });
    expect(r.code).toBe(0);
    expect(git(dir.path, ['count-objects'])).toBe(objectsBefore);
    expect(gitStatus(dir.path, ['rev-parse', '--verify', '-q', 'dry']).status).not.toBe(0);
  });

  it('exits 1 on a conflict and shows each region with the target line numbers', async () => {
    const r = await runCli(['pick', 'topic', '--onto', 'release', '--branch', 'conflicted'], {
      cwd: dir.path,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('does not apply cleanly onto release');
    expect(r.stdout).toContain('calc.c  [content]');
    expect(r.stdout).toContain('Region 1 of 1, target line 25:');
    expect(r.stdout).toContain('-line 25');
    expect(r.stdout).toContain('+line 25 fixed');
    expect(r.stdout).toContain('25 | line 25 patched');
    expect(r.stdout).toContain('Branch conflicted was not changed.');
    expect(gitStatus(dir.path, ['rev-parse', '--verify', '-q', 'conflicted']).status).not.toBe(0);
  });

  it('answers in JSON with --json', async () => {
    const r = await runCli(['pick', 'topic', '--onto', 'release', '--json'], { cwd: dir.path });
    expect(r.code).toBe(1);
    const answer = JSON.parse(r.stdout);
    expect(answer).toMatchObject({ status: 'conflict', failed_index: 0, merged: [] });
    expect(answer.conflicts).toHaveLength(1);
    expect(answer.conflicts[0]).toMatchObject({ path: 'calc.c', kind: 'content' });
    expect(answer.conflicts[0].hunks[0]).toMatchObject({
      ours: { start: 25, count: 1 },
      ours_lines: ['line 25 patched\n'],
      base_lines: ['line 25\n'],
      theirs_lines: ['line 25 fixed\n'],
    });
    expect(answer.marker_tree).toMatch(/^[0-9a-f]{40}$/);
  });

  it('refuses a merge commit without --mainline, as git does, and picks it with -m 1', async () => {
    const refused = await runCli(['pick', 'main', '--onto', 'v1'], { cwd: dir.path });
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('[merge-needs-mainline]');
    const picked = await runCli(['pick', 'main', '--onto', 'v1', '-m', '1', '--json'], { cwd: dir.path });
    expect(picked.code).toBe(0);
    const answer = JSON.parse(picked.stdout);
    expect(git(dir.path, ['rev-parse', `${answer.commit_oid}^{tree}`]).trim()).toBe(answer.tree);
    expect(git(dir.path, ['show', `${answer.tree}:calc.c`])).toContain('line 25 fixed');
  });

  it('refuses a --branch that is not a branch name before it writes anything', async () => {
    const objects = () => git(dir.path, ['count-objects']);
    const before = objects();
    const r = await runCli(['pick', 'topic', '--onto', 'v1', '--branch', 'bad..name'], { cwd: dir.path });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'backport-assistant: --branch bad..name is not a branch name: it contains `..`. [bad-argument]\n',
    );
    expect(objects()).toBe(before);
  });

  it('refuses to move the checked-out branch', async () => {
    const r = await runCli(['pick', 'topic', '--onto', 'v1', '--branch', 'main'], { cwd: dir.path });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is checked out');
  });

  it('gives one clear line and exit 2 for every bad input, never a stack trace', async () => {
    const cases: Array<[string[], string]> = [
      [['pick', 'no-such-rev', '--onto', 'v1'], 'unknown-revision'],
      [['pick', 'topic', '--onto', 'no-such-branch'], 'missing-branch'],
      [['pick', 'topic', '--onto', 'v1', '--repo', '/'], 'not-a-repository'],
      [['pick', 'topic', '--onto', 'v1', '--repo', '/no/such/dir'], 'not-a-repository'],
      [['pick', 'topic', '--onto', 'v1', '--mainline', 'x'], 'bad-mainline'],
      [['pick', 'topic', '--onto', 'v1', '--committer', 'nobody'], 'bad-argument'],
      [['pick', 'topic'], 'bad-argument'],
      [['pick', 'topic', '--onto', 'v1', '--frobnicate'], 'frobnicate'],
      [['launch'], 'unknown command'],
    ];
    for (const [argv, expected] of cases) {
      const r = await runCli(argv, { cwd: dir.path });
      expect([argv.join(' '), r.code]).toEqual([argv.join(' '), 2]);
      expect(r.stderr).toContain(expected);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('reports a corrupt object as such', async () => {
    const corrupt = tempDir('bpa-cli-corrupt-');
    git(corrupt.path, ['init', '-q', '-b', 'main']);
    writeFileSync(join(corrupt.path, 'a'), 'a\n');
    git(corrupt.path, ['add', 'a']);
    git(corrupt.path, ['commit', '-qm', 'one']);
    git(corrupt.path, ['branch', 'old']);
    writeFileSync(join(corrupt.path, 'a'), 'b\n');
    git(corrupt.path, ['commit', '-qam', 'two']);
    // The tree of the commit to pick must be read, so damage it.
    const tree = git(corrupt.path, ['rev-parse', 'HEAD^{tree}']).trim();
    const file = join(corrupt.path, '.git/objects', tree.slice(0, 2), tree.slice(2));
    chmodSync(file, 0o644);
    writeFileSync(file, 'this is not zlib');
    const r = await runCli(['pick', 'main', '--onto', 'old'], { cwd: corrupt.path });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[corrupt-object]');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(readdirSync(corrupt.path)).toContain('a');
    corrupt.remove();
  });
});
