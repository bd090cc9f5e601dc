import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git, tempDir } from '../support/git.js';
import { runCli } from './run-cli.js';

describe('backport-assistant check --stdin', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeAll(() => {
    dir = tempDir('bpa-check-');
    const d = dir.path;
    git(d, ['init', '-q', '-b', 'main']);
    writeFileSync(join(d, 'f'), 'a\nb\nc\nd\ne\n');
    git(d, ['add', 'f']);
    git(d, ['commit', '-qm', 'base']);
    git(d, ['branch', 'v1']);
    git(d, ['branch', 'v2']);
    writeFileSync(join(d, 'f'), 'a\nB\nc\nd\ne\n');
    git(d, ['commit', '-qam', 'fix b']);
    git(d, ['tag', 'fix']);
    // v1 already has the fix (a cherry-pick), v2 changed the same line differently.
    git(d, ['switch', '-q', 'v1']);
    git(d, ['cherry-pick', '-x', 'fix']);
    git(d, ['switch', '-q', 'v2']);
    writeFileSync(join(d, 'f'), 'a\nbee\nc\nd\ne\n');
    git(d, ['commit', '-qam', 'other b']);
    git(d, ['switch', '-q', 'main']);
  });
  afterAll(() => dir.remove());

  it('answers each line at once, survives bad lines, and writes no refs or objects', async () => {
    const refsBefore = git(dir.path, ['for-each-ref']);
    const objectsBefore = git(dir.path, ['count-objects', '-v']);
    const input = ['fix v1', 'fix v2', 'nonsense', 'missing v1', 'fix no-branch', 'fix main~1', ''].join(
      '\n',
    );
    const r = await runCli(['check', '--stdin'], { cwd: dir.path, stdin: input });
    expect(r.code).toBe(0);
    const answers = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(answers).toHaveLength(6);
    const v1Tree = git(dir.path, ['rev-parse', 'v1^{tree}']).trim();
    expect(answers[0]).toMatchObject({ status: 'applied', empty: true, tree: v1Tree });
    expect(answers[1]).toMatchObject({ status: 'conflict', conflicts: [{ path: 'f', kind: 'content' }] });
    // v2 wrote its own line there: no upstream commit explains the conflict.
    expect(answers[1].prerequisites).toEqual({ commits: [], clean: false });
    expect(answers[2]).toMatchObject({ status: 'error', code: 'bad-argument' });
    expect(answers[3]).toMatchObject({ status: 'error', code: 'unknown-revision', commit: 'missing' });
    expect(answers[4]).toMatchObject({ status: 'error', code: 'unknown-revision', onto: 'no-branch' });
    expect(answers[5]).toMatchObject({ status: 'applied', empty: false });
    expect(answers[5].commit_oid).toMatch(/^[0-9a-f]{40}$/);
    expect(git(dir.path, ['for-each-ref'])).toBe(refsBefore);
    expect(git(dir.path, ['count-objects', '-v'])).toBe(objectsBefore);
  });

  it('requires --stdin', async () => {
    const r = await runCli(['check'], { cwd: dir.path });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--stdin');
  });
});

describe('backport-assistant check --stdin: prerequisites', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeAll(() => {
    dir = tempDir('bpa-check-pre-');
    const d = dir.path;
    git(d, ['init', '-q', '-b', 'main']);
    writeFileSync(join(d, 'f'), 'a\nb\nc\n');
    git(d, ['add', 'f']);
    git(d, ['commit', '-qm', 'base']);
    git(d, ['branch', 'v1']);
    writeFileSync(join(d, 'f'), 'a\nB\nc\n');
    git(d, ['commit', '-qam', 'rename b']);
    git(d, ['tag', 'first']);
    writeFileSync(join(d, 'f'), 'a\nB2\nc\n');
    git(d, ['commit', '-qam', 'fix B']);
    git(d, ['tag', 'fix']);
  });
  afterAll(() => dir.remove());

  it('names the upstream commit that makes a conflicting pick apply, as git agrees', async () => {
    const r = await runCli(['check', '--stdin'], { cwd: dir.path, stdin: 'fix v1\n' });
    const answer = JSON.parse(r.stdout.trim());
    const first = git(dir.path, ['rev-parse', 'first']).trim();
    expect(answer).toMatchObject({ status: 'conflict', prerequisites: { commits: [first], clean: true } });
    git(dir.path, ['switch', '-q', '--detach', 'v1']);
    git(dir.path, ['cherry-pick', 'first', 'fix']);
    expect(git(dir.path, ['show', 'HEAD:f'])).toBe('a\nB2\nc\n');
  });
});
