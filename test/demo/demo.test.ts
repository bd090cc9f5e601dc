import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { git, tempDir } from '../support/git.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run demo -- <args>` as a child process: it must finish, and exit, on its own. */
function demo(args: string[]): Promise<Outcome> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NODE_OPTIONS;
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/demo.ts', ...args],
      { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

interface DemoJson {
  pulls: { number: number; base: string; head: string; headSha: string; title: string; url: string }[];
  issues: { number: number; title: string; body: string; labels: string[] }[];
  comments: { issue: number; body: string }[];
}

/**
 * Everything a run could change in a repository: its refs as git reads them, and every file
 * (work tree and `.git`) with its size, modification time and content. Only read-only git
 * commands here: `git status` would itself refresh the index.
 */
function fingerprint(dir: string): string {
  const hash = createHash('sha256');
  hash.update(git(dir, ['for-each-ref', '--format=%(objectname) %(refname)']));
  hash.update(git(dir, ['symbolic-ref', 'HEAD']));
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else hash.update(`${relative(dir, p)} ${s.size} ${s.mtimeMs}\n`).update(readFileSync(p));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

/**
 * Two runs of the built-in sample, one after the other, started when a test first asks: the
 * first test reads the first run, the determinism test compares both. A run is a whole app
 * and simulator start and a story through git (seconds of CPU): a third run for the first
 * test alone would check nothing the other two do not.
 */
let firstSample: Promise<Outcome> | undefined;
let secondSample: Promise<Outcome> | undefined;
const sampleRun = (which: 1 | 2): Promise<Outcome> => {
  firstSample ??= demo(['--json']);
  if (which === 1) return firstSample;
  secondSample ??= firstSample.then(() => demo(['--json']));
  return secondSample;
};

describe('npm run demo', () => {
  it('runs the built-in sample: one backport PR, one conflict issue, one status comment', async () => {
    const out = await sampleRun(1);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const report = JSON.parse(out.stdout) as DemoJson;
    expect(Object.keys(report)).toEqual(['pulls', 'issues', 'comments']);

    expect(report.pulls).toHaveLength(1);
    const [pull] = report.pulls;
    expect(Object.keys(pull!).sort()).toEqual(['base', 'head', 'headSha', 'number', 'title', 'url']);
    expect(pull).toMatchObject({
      number: 2,
      base: 'v2.0',
      head: 'backport/1-to-v2.0',
      title: "[v2.0] Don't drain the bucket when the clock steps back",
    });
    expect(pull!.headSha).toMatch(/^[0-9a-f]{40}$/);
    expect(pull!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/acme\/ratelimit\/pull\/2$/);

    expect(report.issues).toHaveLength(1);
    const [issue] = report.issues;
    expect(issue!.title).toBe('Backport #1 to v1.4 needs manual adaptation');
    // The issue shows v1.4's own lines next to the upstream change.
    expect(issue!.body).toContain('const now = Date.now();');
    expect(issue!.body).toContain('+    const elapsedSeconds = Math.max(0, now - this.lastRefill) / 1000;');
    expect(issue!.body).toContain('test/clock-step-back.test.ts');

    expect(report.comments).toHaveLength(1);
    expect(report.comments[0]!.issue).toBe(1);
    expect(report.comments[0]!.body).toMatch(/\| `v1\.4` \| ⚠️ needs manual adaptation: see \[#3\]/);
    expect(report.comments[0]!.body).toMatch(/\| `v2\.0` \| ✅ backport pull request \[#2\]/);
  });

  it('gives the same report on every run: the sample lives on a scripted clock', async () => {
    // Commit ids hash their dates: the backport's head is the same only if the app's clock is.
    const [one, two] = [await sampleRun(1), await sampleRun(2)];
    expect([one.code, two.code]).toEqual([0, 0]);
    const local = (out: string) => out.replace(/127\.0\.0\.1:\d+/g, 'HOST');
    expect(local(two.stdout)).toBe(local(one.stdout));
    expect((JSON.parse(one.stdout) as DemoJson).pulls[0]!.headSha).toMatch(/^[0-9a-f]{40}$/);
  }, 120_000);

  describe('with --repo', () => {
    let dir: ReturnType<typeof tempDir>;
    let work: string;
    let fix: string;

    beforeAll(() => {
      dir = tempDir('demo-test-');
      work = join(dir.path, 'my-lib');
      git(dir.path, ['init', '-q', '-b', 'trunk', work]);
      const lines = (n: number, edit: Record<number, string> = {}) =>
        Array.from({ length: n }, (_, i) => edit[i + 1] ?? `line ${i + 1}`).join('\n') + '\n';
      const commit = (files: Record<string, string>, message: string) => {
        for (const [name, text] of Object.entries(files)) writeFileSync(join(work, name), text);
        git(work, ['add', '-A']);
        git(work, ['commit', '-q', '-m', message]);
        return git(work, ['rev-parse', 'HEAD']).trim();
      };
      commit({ 'a.txt': lines(30), 'b.txt': lines(30) }, 'init');
      git(work, ['branch', 'rel-1']);
      git(work, ['switch', '-q', '-c', 'rel-2']);
      commit({ 'a.txt': lines(30, { 5: 'line 5 on rel-2' }) }, 'rel-2 tweak');
      git(work, ['switch', '-q', 'trunk']);
      fix = commit(
        { 'a.txt': lines(30, { 5: 'line 5 fixed' }), 'b.txt': lines(30, { 9: 'nine' }) },
        'Fix five',
      );
      // A later commit: the demo must still land exactly the named commit's change.
      commit({ 'c.txt': 'later\n' }, 'later work');
      writeFileSync(join(work, 'untracked.txt'), 'left alone\n');
    });
    afterAll(() => dir.remove());

    it('backports the named commit from a copy and leaves the repository untouched', async () => {
      const before = fingerprint(work);
      const state = join(dir.path, 'state');
      const out = await demo([
        '--repo',
        work,
        '--commit',
        fix.slice(0, 8),
        '--to',
        'rel-1',
        '--to',
        'rel-2',
        '--state-dir',
        state,
        '--json',
      ]);
      expect(out.stderr).toBe('');
      expect(out.code).toBe(0);
      expect(fingerprint(work)).toBe(before);

      const report = JSON.parse(out.stdout) as DemoJson;
      expect(report.pulls.map((p) => [p.base, p.head])).toEqual([['rel-1', 'backport/1-to-rel-1']]);
      expect(report.issues.map((i) => i.title)).toEqual(['Backport #1 to rel-2 needs manual adaptation']);
      expect(report.issues[0]!.body).toContain('line 5 on rel-2');
      expect(report.comments.map((c) => c.issue)).toEqual([1]);

      // --state-dir keeps the simulator's repositories: the backport carries the fix and nothing later.
      const copy = join(state, 'repos', 'demo', 'my-lib.git');
      expect(existsSync(join(state, 'sim-state.json'))).toBe(true);
      const head = report.pulls[0]!.headSha;
      expect(git(copy, ['show', `${head}:a.txt`])).toContain('line 5 fixed');
      expect(git(copy, ['show', `${head}:b.txt`])).toContain('nine');
      expect(git(copy, ['ls-tree', '--name-only', head]).split('\n').filter(Boolean)).toEqual([
        'a.txt',
        'b.txt',
      ]);
    });

    it('refuses a target branch the repository lacks, in one line with exit code 2', async () => {
      const out = await demo(['--repo', work, '--to', 'rel-9']);
      expect(out.code).toBe(2);
      expect(out.stdout).toBe('');
      expect(out.stderr).toBe(`demo: ${work} has no branch 'rel-9' to backport to.\n`);
    });
  });
});
