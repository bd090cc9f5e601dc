import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalStatusReport } from '../../src/cli/local-status.js';
import { localStatus } from '../../src/cli/local-status.js';
import { runStatus } from '../../src/cli/status-command.js';
import { GitFixture } from './git-fixture.js';

let root: string;
let g: GitFixture;
type Name =
  | 'init'
  | 'reader'
  | 'writer'
  | 'crash'
  | 'timeouts'
  | 'repairReader'
  | 'repairWriter'
  | 'docs'
  | 'topicFix'
  | 'ghost'
  | 'v1only';
const c = {} as Record<Name, string>;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'local-status-'));
  mkdirSync(join(root, 'work'));
  g = new GitFixture(join(root, 'work')).init();
  c.init = g.commit('Initial', 'a.txt');
  c.reader = g.commit('feat: add reader', 'reader.txt');
  g.git('branch', 'v1');
  c.writer = g.commit('feat: add writer', 'writer.txt');
  c.crash = g.commit('fix: crash on empty input (#12)', 'a.txt', 'fixed\n');
  c.timeouts = g.commit('Handle timeouts\n\nFixes: #40', 'timeouts.txt');
  c.repairReader = g.commit(
    `Repair reader\n\nFixes: ${c.reader.slice(0, 12)} ("feat: add reader")`,
    'reader.txt',
    'r2\n',
  );
  c.repairWriter = g.commit(
    `Repair writer\n\nFixes: ${c.writer.slice(0, 12)} ("feat: add writer")`,
    'writer.txt',
    'w2\n',
  );
  g.git('branch', 'v2');
  c.docs = g.commit('docs: readme', 'README');
  g.git('checkout', '-q', '-b', 'topic');
  c.topicFix = g.commit('fix(io): short read', 'io.txt');
  g.git('checkout', '-q', 'main');
  g.git('merge', '-q', '--no-ff', '-m', 'fix: merge the io topic', 'topic');
  c.ghost = g.commit(`fix: a fix of something long gone\n\nFixes: ${'f'.repeat(12)}`, 'ghost.txt');

  g.git('checkout', '-q', 'v1');
  g.git('cherry-pick', '-x', c.crash);
  c.v1only = g.commit('fix: only on v1', 'v1.txt');
  g.git('checkout', '-q', 'main');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const missingOf = (r: LocalStatusReport, branch: string) =>
  r.branches.find((b) => b.branch === branch)!.missing.map((m) => m.subject);

describe('local status', () => {
  it('finds fix-looking commits since the fork that the branch has not picked', async () => {
    const report = await localStatus({ repo: g.dir, branches: ['v1', 'v2'] });
    expect(report.defaultBranch).toBe('main');
    const v1 = report.branches[0]!;
    expect(v1.forkPoint).toBe(c.reader);
    expect(v1.tip).toBe(g.git('rev-parse', 'v1'));
    expect(missingOf(report, 'v1')).toEqual([
      'fix: a fix of something long gone',
      'fix(io): short read',
      'Repair reader',
      'Handle timeouts',
    ]);
    // The merge commit is not a candidate: the commits it brings are.
    expect(v1.counts).toEqual({ fixes: 6, present: 1, decided: 0 });
    expect(missingOf(report, 'v2')).toEqual(['fix: a fix of something long gone', 'fix(io): short read']);
  });

  it('says why a Fixes: <sha> commit is needed on one branch and not on another', async () => {
    const report = await localStatus({ repo: g.dir, branches: ['v1'] });
    const v1 = report.branches[0]!;
    expect(v1.missing.find((m) => m.sha === c.repairReader)?.fixesOnBranch).toEqual([c.reader.slice(0, 12)]);
    expect(v1.missing.find((m) => m.sha === c.ghost)?.fixesUnknown).toEqual(['f'.repeat(12)]);
    expect(v1.notNeeded).toEqual([
      { sha: c.repairWriter, pr: null, subject: 'Repair writer', fixes: [c.writer.slice(0, 12)] },
    ]);
  });

  it('asks the engine whether each missing fix applies, and survives a failing check', async () => {
    const asked: string[] = [];
    const report = await localStatus({
      repo: g.dir,
      branches: ['v2'],
      canApply: async (sha, branch) => {
        asked.push(`${sha}@${branch}`);
        if (sha === c.ghost) throw new Error('engine failed');
        return 'conflict';
      },
    });
    expect(asked.sort()).toEqual([`${c.ghost}@v2`, `${c.topicFix}@v2`].sort());
    expect(report.branches[0]!.missing.map((m) => m.applies)).toEqual(['unknown', 'conflict']);
  });

  it('reads a bare clone and remote-tracking branches the same way', async () => {
    const bare = join(root, 'bare.git');
    execFileSync('git', ['clone', '-q', '--bare', g.dir, bare]);
    const clone = join(root, 'clone');
    execFileSync('git', ['clone', '-q', g.dir, clone]);
    const fromWork = await localStatus({ repo: g.dir, branches: ['v1', 'v2'] });
    for (const repo of [bare, clone]) {
      const other = await localStatus({ repo, branches: ['v1', 'v2'] });
      expect(other.defaultBranch).toBe('main');
      expect(other.branches).toEqual(fromWork.branches);
    }
  });

  it('walks a range correctly when committer clocks were wrong', async () => {
    const dir = join(root, 'skew');
    mkdirSync(dir);
    const s = new GitFixture(dir).init();
    s.commit('Initial', 'a.txt');
    const fork = s.commit('feat: base', 'b.txt');
    s.git('branch', 'v1');
    s.setClock(Date.UTC(2020, 0, 1) / 1000); // years before the fork point
    const skewed = s.commit('fix: committed with a wrong clock', 'c.txt');
    s.setClock(Date.UTC(2025, 0, 1) / 1000);
    const late = s.commit('fix: after it', 'd.txt');
    const report = await localStatus({ repo: dir, branches: ['v1'] });
    expect(report.branches[0]!.forkPoint).toBe(fork);
    expect(report.branches[0]!.missing.map((m) => m.sha)).toEqual([late, skewed]);
  });

  it('prints a text report and a JSON report', async () => {
    const text = await runStatus({ repo: g.dir, branches: ['v1'], json: false });
    expect(text.exitCode).toBe(0);
    expect(text.output).toContain('v1 (forked at ' + c.reader.slice(0, 12));
    expect(text.output).toContain(`${c.repairReader.slice(0, 12)} Repair reader`);
    expect(text.output).toContain(`needed: v1 contains ${c.reader.slice(0, 12)}, which it fixes`);
    expect(text.output).toContain(`Not needed: ${c.repairWriter.slice(0, 12)} Repair writer`);
    expect(text.output).not.toContain('crash on empty input');

    const json = await runStatus({ repo: g.dir, branches: ['v1'], json: true });
    const parsed = JSON.parse(json.output);
    expect(parsed.version).toBe(1);
    expect(parsed.branches[0].missing.map((m: { sha: string }) => m.sha)).toEqual([
      c.ghost,
      c.topicFix,
      c.repairReader,
      c.timeouts,
    ]);
  });

  it('reports a missing branch or a non-repository as a one-line error with exit code 2', async () => {
    const missing = await runStatus({ repo: g.dir, branches: ['v9'], json: false });
    expect(missing).toEqual({
      exitCode: 2,
      output: 'backport-assistant status: The branch v9 does not exist in this repository.\n',
    });
    const notRepo = await runStatus({ repo: root, branches: ['v1'], json: true });
    expect(notRepo.exitCode).toBe(2);
    expect(JSON.parse(notRepo.output).error.code).toBe('not-a-repository');
  });
});
