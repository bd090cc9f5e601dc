import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git, gitStatus, tempDir } from '../support/git.js';
import { runCli } from './run-cli.js';

const file = (edit: Record<number, string> = {}) =>
  Array.from({ length: 20 }, (_, i) => `${edit[i + 1] ?? `line ${i + 1}`}\n`).join('');

/** main fixes line 3 (and line 10), then line 15; v2 changed line 3 its own way; v1 did not. */
function makeProject(d: string): void {
  git(d, ['init', '-q', '-b', 'main']);
  writeFileSync(join(d, 'f'), file());
  git(d, ['add', 'f']);
  git(d, ['commit', '-qm', 'base']);
  git(d, ['branch', 'v1']);
  git(d, ['branch', 'v2']);
  writeFileSync(join(d, 'f'), file({ 3: 'line 3 fixed', 10: 'line 10 fixed' }));
  git(d, ['commit', '-qam', 'Fix line 3']);
  git(d, ['tag', 'fix']);
  writeFileSync(join(d, 'f'), file({ 3: 'line 3 fixed', 10: 'line 10 fixed', 15: 'line 15 fixed' }));
  git(d, ['commit', '-qam', 'Fix line 15']);
  git(d, ['tag', 'fix2']);
  git(d, ['switch', '-q', 'v2']);
  writeFileSync(join(d, 'f'), file({ 3: 'line 3 on v2' }));
  git(d, ['commit', '-qam', 'v2 line 3']);
  git(d, ['switch', '-q', 'main']);
}

const jsonLines = (out: string) =>
  out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('the CLI finishes conflicts with choices', () => {
  let dir: ReturnType<typeof tempDir>;
  const show = (rev: string) => git(dir.path, ['show', rev]);
  beforeAll(() => {
    dir = tempDir('bpa-resolve-cli-');
    makeProject(dir.path);
  });
  afterAll(() => dir.remove());

  it('check: a conflict answer lists its choices; a series line is checked as one pick', async () => {
    const r = await runCli(['check', '--stdin'], {
      cwd: dir.path,
      stdin: 'fix v2\nfix,fix2 v1\nfix,fix2 v2\n',
    });
    expect(r.code).toBe(0);
    const [conflict, series, seriesConflict] = jsonLines(r.stdout);
    expect(conflict).toMatchObject({ status: 'conflict' });
    const choices = conflict!.choices as Array<{
      id: string;
      kind: string;
      candidates: { id: string; label: string }[];
    }>;
    expect(choices.map((c) => [c.id, c.kind])).toEqual([
      ['1', 'file'],
      ['2', 'region'],
    ]);
    expect(choices[1]!.candidates.map((c) => c.id)).toEqual(['A', 'B', 'C', 'D']);
    expect(choices[1]!.candidates[0]!.label).toBe("Take upstream's lines; drop the branch's change here");
    expect(series).toMatchObject({ status: 'applied', empty: false });
    expect((series!.commits as string[]).length).toBe(2);
    expect(seriesConflict).toMatchObject({ status: 'conflict', failed_index: 0 });
  });

  it('resolve: answers give the tree and blobs, objects written and no ref moved; bad answers name the decision', async () => {
    const refsBefore = git(dir.path, ['for-each-ref']);
    const input = [
      'fix v2 1A 2B',
      'fix v2 1A',
      'fix v2 1A 2Z',
      'fix v2 1a 2a 3a',
      'fix v1 1A',
      'fix v1',
      'fix v2 all A',
    ];
    const r = await runCli(['resolve', '--stdin'], { cwd: dir.path, stdin: input.join('\n') });
    expect(r.code).toBe(0);
    const answers = jsonLines(r.stdout);
    expect(answers[0]).toMatchObject({ status: 'applied', files: [{ path: 'f' }] });
    const files = answers[0]!.files as { path: string; blob: string }[];
    // 2B keeps the branch's line 3; upstream's clean fix of line 10 is applied.
    expect(git(dir.path, ['cat-file', 'blob', files[0]!.blob])).toBe(
      file({ 3: 'line 3 on v2', 10: 'line 10 fixed' }),
    );
    expect(git(dir.path, ['rev-parse', `${answers[0]!.tree as string}:f`]).trim()).toBe(files[0]!.blob);
    expect(answers.slice(1, 5).map((a) => [a.status, a.code, a.reason, a.decision])).toEqual([
      ['error', 'bad-resolution', 'missing', '2'],
      ['error', 'bad-resolution', 'unknown-label', '2'],
      ['error', 'bad-resolution', 'unknown-decision', '3'],
      ['error', 'bad-resolution', 'unknown-decision', '1'],
    ]);
    expect(answers[5]).toMatchObject({ status: 'applied', files: [] });
    const all = answers[6]!.files as { blob: string }[];
    expect(git(dir.path, ['cat-file', 'blob', all[0]!.blob])).toBe(
      file({ 3: 'line 3 fixed', 10: 'line 10 fixed' }),
    );
    expect(git(dir.path, ['for-each-ref'])).toBe(refsBefore);
  });

  it('pick without --resolve: the conflict stands, with the choices and a command to finish', async () => {
    const r = await runCli(['pick', 'fix', '--onto', 'v2', '--branch', 'bp-none'], { cwd: dir.path });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Choices (nothing is applied until you answer):');
    expect(r.stdout).toContain('  2. f [region 1]');
    expect(r.stdout).toContain('backport-assistant pick fix --onto v2 --branch bp-none --resolve 1A,2A');
    expect(gitStatus(dir.path, ['rev-parse', '--verify', '-q', 'bp-none']).status).not.toBe(0);
  });

  it('pick --resolve commits the resolved tree as the picked commit, then picks the rest of the series', async () => {
    const r = await runCli(['pick', 'fix', 'fix2', '--onto', 'v2', '--branch', 'bp', '--resolve', '1A,2C'], {
      cwd: dir.path,
    });
    expect(r.code).toBe(0);
    expect(git(dir.path, ['rev-parse', 'bp~2']).trim()).toBe(git(dir.path, ['rev-parse', 'v2']).trim());
    expect(show('bp~1:f')).toBe(file({ 3: 'line 3 on v2\nline 3 fixed', 10: 'line 10 fixed' }));
    expect(show('bp:f')).toBe(
      file({ 3: 'line 3 on v2\nline 3 fixed', 10: 'line 10 fixed', 15: 'line 15 fixed' }),
    );
    const fixSha = git(dir.path, ['rev-parse', 'fix']).trim();
    expect(git(dir.path, ['log', '-1', '--format=%B', 'bp~1'])).toBe(
      `Fix line 3\n\n(cherry picked from commit ${fixSha})\n\n`,
    );
    expect(git(dir.path, ['log', '-1', '--format=%an', 'bp~1']).trim()).toBe(
      git(dir.path, ['log', '-1', '--format=%an', 'fix']).trim(),
    );
  });

  it('pick --resolve refuses a bad answer and a clean pick, moving nothing', async () => {
    const missing = await runCli(['pick', 'fix', '--onto', 'v2', '--branch', 'bp-bad', '--resolve', '1A'], {
      cwd: dir.path,
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Decision 2 (f) has no answer. [bad-resolution]');
    const clean = await runCli(['pick', 'fix', '--onto', 'v1', '--branch', 'bp-bad', '--resolve', '1A'], {
      cwd: dir.path,
    });
    expect(clean.code).toBe(2);
    expect(clean.stderr).toContain('nothing to resolve');
    expect(gitStatus(dir.path, ['rev-parse', '--verify', '-q', 'bp-bad']).status).not.toBe(0);
  });

  it('pick --patch applies a unified diff on top of the choices, or on the target without them; a bad one moves nothing', async () => {
    const hunk = (line: number, from: string, to: string) =>
      `--- a/f\n+++ b/f\n@@ -${line - 1},3 +${line - 1},3 @@\n line ${line - 1}\n-${from}\n+${to}\n line ${line + 1}\n`;
    writeFileSync(join(dir.path, 'on-choices.diff'), hunk(3, 'line 3 on v2', 'line 3 on v2, fixed by hand'));
    writeFileSync(join(dir.path, 'on-target.diff'), hunk(10, 'line 10', 'line 10 fixed by hand'));
    writeFileSync(join(dir.path, 'stale.diff'), hunk(3, 'line 3 elsewhere', 'nope'));
    const run = (...extra: string[]) => runCli(['pick', 'fix', '--onto', 'v2', ...extra], { cwd: dir.path });

    expect((await run('--branch', 'bp-p1', '--resolve', '1A,2B', '--patch', 'on-choices.diff')).code).toBe(0);
    expect(show('bp-p1:f')).toBe(file({ 3: 'line 3 on v2, fixed by hand', 10: 'line 10 fixed' }));
    expect((await run('--branch', 'bp-p2', '--patch', 'on-target.diff')).code).toBe(0);
    expect(show('bp-p2:f')).toBe(file({ 3: 'line 3 on v2', 10: 'line 10 fixed by hand' }));
    const stale = await run('--branch', 'bp-p3', '--resolve', '1A,2B', '--patch', 'stale.diff');
    expect(stale.code).toBe(2);
    expect(stale.stderr).toContain('[bad-patch]');
    expect(gitStatus(dir.path, ['rev-parse', '--verify', '-q', 'bp-p3']).status).not.toBe(0);
  });
});
