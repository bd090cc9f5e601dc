import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FastImport, git, gitStatus, tempDir } from '../support/git.js';
import { runCli } from './run-cli.js';

// Repositories laid out the way people have them: linked worktrees for release branches,
// clones sharing objects with another (--shared, --reference), remote-tracking branches only.

const lines = (edit: Record<number, string> = {}) =>
  Array.from({ length: 40 }, (_, i) => `${edit[i + 1] ?? `line ${i + 1}`}\n`).join('');

/** An upstream with a release branch cut early and three fixes on main after it. */
function makeUpstream(dir: string): { fixes: string[] } {
  git(dir, ['init', '-q', '-b', 'main']);
  writeFileSync(join(dir, 'calc.c'), lines());
  git(dir, ['add', '.']);
  git(dir, ['commit', '-qm', 'initial']);
  git(dir, ['branch', 'v1.2']);
  git(dir, ['branch', 'rel_2_0']);
  const fixes: string[] = [];
  const edits: Record<number, string> = {};
  for (const n of [5, 20, 35]) {
    edits[n] = 'fixed';
    writeFileSync(join(dir, 'calc.c'), lines(edits));
    git(dir, ['commit', '-qam', `Fix line ${n}`]);
    fixes.push(git(dir, ['rev-parse', 'HEAD']).trim());
  }
  return { fixes };
}

/** git's own cherry-pick -x of `commits` onto `onto`, in a throwaway worktree: the tree it makes. */
function gitPickTree(repo: string, onto: string, commits: string[], scratch: string): string {
  git(repo, ['worktree', 'add', '-q', '--detach', scratch, onto]);
  git(scratch, ['cherry-pick', '-x', ...commits]);
  const tree = git(scratch, ['rev-parse', 'HEAD^{tree}']).trim();
  git(repo, ['worktree', 'remove', '--force', scratch]);
  return tree;
}

describe('the CLI in real layouts', () => {
  let tmp: ReturnType<typeof tempDir>;
  let upstream: string;
  let fixes: string[];
  beforeAll(() => {
    tmp = tempDir('bpa-cli-real-');
    upstream = join(tmp.path, 'upstream');
    mkdirSync(upstream);
    ({ fixes } = makeUpstream(upstream));
  });
  afterAll(() => tmp.remove());

  describe('inside a linked worktree', () => {
    let clone: string;
    let wt: string;
    beforeAll(() => {
      clone = join(tmp.path, 'wt-clone');
      git(tmp.path, ['clone', '-q', upstream, clone]);
      wt = join(tmp.path, 'v1.2');
      git(clone, ['worktree', 'add', '-q', '-b', 'v1.2', wt, 'origin/v1.2']);
    });

    it('resolves HEAD (the worktree’s own), full ids and branches, and picks as git does', async () => {
      const expected = gitPickTree(clone, 'origin/v1.2', [fixes[1]!], join(tmp.path, 'scratch-wt'));
      for (const [commit, onto] of [
        [fixes[1]!, 'HEAD'],
        [fixes[1]!, 'v1.2'],
        ['origin/main~1', git(wt, ['rev-parse', 'HEAD']).trim()],
      ]) {
        const r = await runCli(['pick', commit!, '--onto', onto!, '--json', '--dry-run'], { cwd: wt });
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(JSON.parse(r.stdout).tree).toBe(expected);
      }
      const check = await runCli(['check', '--stdin'], { cwd: wt, stdin: `${fixes[1]} HEAD\n` });
      expect(JSON.parse(check.stdout)).toMatchObject({ status: 'applied', tree: expected });
    });

    it('writes the branch into the shared refs, and refuses a branch another worktree has checked out', async () => {
      const r = await runCli(['pick', fixes[0]!, '--onto', 'HEAD', '--branch', 'backport/fix-5'], {
        cwd: wt,
      });
      expect(r.code).toBe(0);
      const tip = git(clone, ['rev-parse', 'backport/fix-5']).trim();
      expect(git(clone, ['cat-file', '-t', tip]).trim()).toBe('commit');
      expect(git(clone, ['fsck', '--no-dangling']).trim()).toBe('');
      const busy = await runCli(['pick', fixes[0]!, '--onto', 'HEAD', '--branch', 'main'], { cwd: wt });
      expect(busy.code).toBe(2);
      expect(busy.stderr).toMatch(/--branch main is checked out/);
      const own = await runCli(['pick', fixes[0]!, '--onto', 'HEAD', '--branch', 'v1.2'], { cwd: clone });
      expect(own.code).toBe(2);
      expect(own.stderr).toMatch(/--branch v1.2 is checked out/);
    });
  });

  describe('in clones that borrow objects (objects/info/alternates)', () => {
    it('reads packs and loose objects of chained alternates, relative or absolute', async () => {
      // upstream (loose objects) <- mid (--shared, one commit of its own, packed) <- leaf (--shared).
      const mid = join(tmp.path, 'mid');
      git(tmp.path, ['clone', '-q', '--shared', upstream, mid]);
      writeFileSync(join(mid, 'notes.txt'), 'mid\n');
      git(mid, ['add', 'notes.txt']);
      git(mid, ['commit', '-qm', 'Add notes']);
      const midOwn = git(mid, ['rev-parse', 'HEAD']).trim();
      git(mid, ['repack', '-qdl']);
      const leaf = join(tmp.path, 'leaf');
      git(tmp.path, ['clone', '-q', '--shared', mid, leaf]);
      // git writes an absolute path; a relative one is relative to the objects directory.
      writeFileSync(join(leaf, '.git/objects/info/alternates'), '../../../mid/.git/objects\n');
      expect(git(leaf, ['count-objects', '-v'])).toMatch(/^count: 0$/m);
      const expected = gitPickTree(leaf, 'origin/main~3', [fixes[2]!, midOwn], join(tmp.path, 'scratch-alt'));
      const r = await runCli(['pick', fixes[2]!, midOwn, '--onto', 'origin/main~3', '--json', '--dry-run'], {
        cwd: leaf,
      });
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toMatchObject({ status: 'applied', tree: expected });
      const short = fixes[2]!.slice(0, 10);
      const check = await runCli(['check', '--stdin'], { cwd: leaf, stdin: `${short} ${fixes[0]!}~1\n` });
      expect(JSON.parse(check.stdout)).toMatchObject({ status: 'applied' });
    });

    it('reads a --reference clone, and writes its picks into the clone itself', async () => {
      const ref = join(tmp.path, 'ref');
      // Over the git transport (file://), as from a server: a local clone would copy objects.
      git(tmp.path, ['clone', '-q', '--reference', upstream, `file://${upstream}`, ref]);
      expect(git(ref, ['count-objects', '-v'])).toMatch(/^count: 0\nsize: 0\nin-pack: 0$/m);
      const r = await runCli(['pick', fixes[1]!, '--onto', 'origin/v1.2', '--branch', 'bp'], { cwd: ref });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(git(ref, ['fsck', '--no-dangling']).trim()).toBe('');
      expect(gitStatus(upstream, ['cat-file', '-e', git(ref, ['rev-parse', 'bp']).trim()]).status).not.toBe(
        0,
      );
    });
  });

  describe('status in clones that borrow objects', () => {
    let origin: string;
    beforeAll(() => {
      // A fix-looking commit on main that v1.2 lacks, and one it took with -x.
      origin = join(tmp.path, 'status-origin');
      git(tmp.path, ['clone', '-q', upstream, origin]);
      git(origin, ['switch', '-q', '-c', 'v1.2', 'origin/v1.2']);
      git(origin, ['switch', '-q', 'main']);
      for (const [line, subject] of [
        [10, 'fix: overflow in line 10'],
        [30, 'fix(calc): rounding in line 30'],
      ] as const) {
        writeFileSync(
          join(origin, 'calc.c'),
          lines({ 5: 'fixed', 20: 'fixed', 35: 'fixed', [line]: 'fixed' }),
        );
        git(origin, ['commit', '-qam', subject]);
      }
      git(origin, ['switch', '-q', 'v1.2']);
      git(origin, ['cherry-pick', '-x', 'main~1']);
      git(origin, ['switch', '-q', 'main']);
    });

    const report = async (cwd: string) => {
      const r = await runCli(['status', '--branches', 'v1.2', '--default-branch', 'main', '--json'], { cwd });
      expect([r.code, r.stderr]).toEqual([0, '']);
      return JSON.parse(r.stdout) as { branches: { missing: { subject: string }[] }[] };
    };

    it('gives the report of the repository it borrows from, --shared or --reference', async () => {
      const expected = await report(origin);
      expect(expected.branches[0]!.missing.map((m) => m.subject)).toEqual(['fix(calc): rounding in line 30']);
      const shared = join(tmp.path, 'status-shared');
      git(tmp.path, ['clone', '-q', '--shared', origin, shared]);
      const reference = join(tmp.path, 'status-reference');
      git(tmp.path, ['clone', '-q', '--reference', origin, `file://${origin}`, reference]);
      for (const clone of [shared, reference]) {
        expect(git(clone, ['count-objects', '-v'])).toMatch(/^count: 0\nsize: 0\nin-pack: 0$/m);
        // The clone's v1.2 is origin/v1.2 (remote-tracking), the same commit.
        expect((await report(clone)).branches).toEqual(expected.branches);
      }
    });
  });

  describe('--onto a branch that exists only as a remote-tracking branch', () => {
    let clone: string;
    beforeAll(() => {
      clone = join(tmp.path, 'remotes-clone');
      git(tmp.path, ['clone', '-q', upstream, clone]);
      // A second remote with v1.2 only: v1.2 becomes ambiguous, rel_2_0 stays unique.
      git(clone, ['remote', 'add', 'fork', upstream]);
      git(clone, ['config', 'remote.fork.fetch', '+refs/heads/v1.2:refs/remotes/fork/v1.2']);
      git(clone, ['fetch', '-q', 'fork']);
    });

    it('takes the one remote-tracking match, as git switch does, and says so', async () => {
      const r = await runCli(['pick', fixes[0]!, '--onto', 'rel_2_0', '--json', '--dry-run'], { cwd: clone });
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(
        /--onto rel_2_0: no local branch rel_2_0; using the remote-tracking branch origin\/rel_2_0/,
      );
      expect(JSON.parse(r.stdout).tree).toBe(
        gitPickTree(clone, 'origin/rel_2_0', [fixes[0]!], join(tmp.path, 's-r')),
      );
      const check = await runCli(['check', '--stdin'], {
        cwd: clone,
        stdin: `${fixes[0]} rel_2_0\n${fixes[1]} rel_2_0\n`,
      });
      expect(
        check.stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l).status),
      ).toEqual(['applied', 'applied']);
      expect(check.stderr.trim().split('\n')).toHaveLength(1);
      // git agrees: rel_2_0 alone names origin/rel_2_0.
      expect(gitStatus(clone, ['switch', '-q', 'rel_2_0']).status).toBe(0);
      expect(git(clone, ['rev-parse', '--abbrev-ref', 'rel_2_0@{upstream}']).trim()).toBe('origin/rel_2_0');
      git(clone, ['switch', '-q', 'main']);
    });

    it('lists the candidates when several remotes have that branch, and still knows no such branch', async () => {
      const r = await runCli(['pick', fixes[0]!, '--onto', 'v1.2', '--dry-run'], { cwd: clone });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/did you mean fork\/v1\.2 or origin\/v1\.2\? \[missing-branch\]/);
      expect(gitStatus(clone, ['switch', 'v1.2']).stderr).toMatch(
        /matched multiple \(2\) remote tracking branches/,
      );
      const check = await runCli(['check', '--stdin'], {
        cwd: clone,
        stdin: `${fixes[0]} v1.2\n${fixes[0]} nope\n`,
      });
      const [ambiguous, none] = check.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(ambiguous).toMatchObject({ status: 'error', code: 'missing-branch' });
      expect(ambiguous.message).toMatch(/did you mean fork\/v1\.2 or origin\/v1\.2\?/);
      expect(none).toMatchObject({ status: 'error', code: 'unknown-revision' });
      const missing = await runCli(['pick', fixes[0]!, '--onto', 'nope'], { cwd: clone });
      expect(missing.stderr).toMatch(/--onto nope: there is no branch, tag or commit of that name/);
    });
  });

  describe('pick A..B', () => {
    it('picks what git cherry-pick A..B picks, oldest first, with the tree git makes', async () => {
      const expected = gitPickTree(upstream, 'v1.2', [`${fixes[0]}..${fixes[2]}`], join(tmp.path, 's-range'));
      const r = await runCli(['pick', `${fixes[0]}..${fixes[2]}`, '--onto', 'v1.2', '--json', '--dry-run'], {
        cwd: upstream,
      });
      expect(r.stderr).toBe('');
      const answer = JSON.parse(r.stdout);
      expect(answer.commits).toEqual(revList(upstream, [`${fixes[0]}..${fixes[2]}`]));
      expect(answer.commits).toEqual([fixes[1], fixes[2]]);
      expect(answer).toMatchObject({ status: 'applied', tree: expected });
      const check = await runCli(['check', '--stdin'], { cwd: upstream, stdin: `${fixes[0]}..main v1.2\n` });
      expect(JSON.parse(check.stdout)).toMatchObject({ status: 'applied', commits: [fixes[1], fixes[2]] });
    });

    it('lists commits of several branches in git rev-list order, equal dates included', async () => {
      // Every commit has the same date here: only git's walk order (first queued first) decides.
      const repo = join(tmp.path, 'branches');
      mkdirSync(repo);
      git(repo, ['init', '-q', '-b', 'main']);
      const commit = (file: string) => {
        writeFileSync(join(repo, file), `${file}\n`);
        git(repo, ['add', file]);
        git(repo, ['commit', '-qm', `Add ${file}`]);
      };
      commit('base');
      git(repo, ['branch', 'old']);
      for (const [branch, files] of [
        ['x', ['x1', 'x2', 'x3']],
        ['y', ['y1', 'y2']],
      ] as const) {
        git(repo, ['switch', '-q', '-c', branch, 'main']);
        for (const f of files) commit(f);
      }
      git(repo, ['switch', '-q', 'main']);
      commit('m1');
      for (const args of [['old..x', 'y'], ['^main', 'y', 'x'], ['x~2..y'], ['main..', 'x~1'], ['y..x']]) {
        const r = await runCli(['pick', ...args, '--onto', 'old', '--json', '--dry-run'], { cwd: repo });
        expect(r.stderr).toBe('');
        expect(JSON.parse(r.stdout).commits).toEqual(revList(repo, args));
      }
    });

    it('follows commit dates across interleaved branches as git does, clock skew included', async () => {
      const repo = join(tmp.path, 'interleaved');
      mkdirSync(repo);
      git(repo, ['init', '-q', '-b', 'main']);
      const fi = new FastImport();
      const c0 = fi.commit('refs/heads/main', { base: 'base\n' });
      // x and y grow in turns, so their dates interleave; z is committed last but dated first.
      let x = c0;
      let y = c0;
      for (let i = 1; i <= 4; i++) {
        x = fi.commit('refs/heads/x', { [`x${i}`]: `${i}\n` }, { parents: [x] });
        y = fi.commit('refs/heads/y', { [`y${i}`]: `${i}\n` }, { parents: [y] });
      }
      fi.commit('refs/heads/z', { z: 'z\n' }, { parents: [y], time: 1600000000 });
      fi.run(repo);
      for (const args of [['x~2..y'], ['y~3..x', 'y~1'], ['^x~1', 'z'], ['x..z'], ['main..z', 'x']]) {
        const r = await runCli(['pick', ...args, '--onto', 'main', '--json', '--dry-run'], { cwd: repo });
        expect(r.stderr).toBe('');
        expect(JSON.parse(r.stdout).commits).toEqual(revList(repo, args));
      }
    });

    it('refuses a range that mixes merges and plain commits, and an empty range, as git does', async () => {
      const repo = join(tmp.path, 'merges');
      git(tmp.path, ['clone', '-q', upstream, repo]);
      git(repo, ['switch', '-q', '-c', 'topic', 'origin/v1.2']);
      writeFileSync(join(repo, 'topic.txt'), 'topic\n');
      git(repo, ['add', 'topic.txt']);
      git(repo, ['commit', '-qm', 'Topic']);
      git(repo, ['switch', '-q', 'main']);
      git(repo, ['merge', '-q', '--no-ff', '-m', 'Merge topic', 'topic']);
      const range = `${fixes[1]}..main`;
      const r = await runCli(['pick', range, '--onto', 'origin/rel_2_0'], { cwd: repo });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/includes the merge [0-9a-f]{40} \("Merge topic"\)/);
      expect(r.stderr).toMatch(/\[merge-needs-mainline\]$/m);
      const scratch = join(tmp.path, 's-merge');
      git(repo, ['worktree', 'add', '-q', '--detach', scratch, 'origin/rel_2_0']);
      expect(gitStatus(scratch, ['cherry-pick', range]).stderr).toMatch(
        /is a merge but no -m option was given/,
      );
      const empty = await runCli(['pick', 'main..v1.2', '--onto', 'rel_2_0'], { cwd: upstream });
      expect(empty.code).toBe(2);
      expect(empty.stderr).toMatch(/names no commit/);
      expect(gitStatus(scratch, ['cherry-pick', '--abort']).status).toBe(0);
      expect(gitStatus(scratch, ['cherry-pick', 'main..origin/v1.2']).stderr).toMatch(
        /empty commit set passed/,
      );
    });
  });
});

/** `git rev-list --reverse <args>`: the commits git cherry-pick <args> picks, in its order. */
function revList(repo: string, args: string[]): string[] {
  return git(repo, ['rev-list', '--reverse', ...args])
    .trim()
    .split('\n')
    .filter(Boolean);
}
