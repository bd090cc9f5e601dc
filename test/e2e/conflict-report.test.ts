import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { main as cli } from '../../src/cli/main.js';
import { GITHUB_BODY_LIMIT } from '../../src/render/body-limits.js';
import { startHarness, type Harness } from './app-harness.js';
import { gitAsync, shAsync } from './git-async.js';
import {
  MENTION,
  longestBacktickRun,
  scanMarkdown,
  withoutCodeSpans,
  type FencedBlock,
} from './markdown-scan.js';
import {
  backportPulls,
  bodiesWritten,
  conflictIssues,
  expectNoTokenLeak,
  lines,
  makeRepo,
  mergedPull,
  scratch,
  statusComments,
} from './world.js';

/** A Markdown file whose lines hold backtick runs longer than a plain fence. */
const guide = (changes: Record<number, string> = {}) =>
  lines(12, { 1: '# Guide', 3: '```sh', 4: 'make', 5: '```', 8: 'Use ```` for nesting', ...changes });

/**
 * What a contributor reads in a conflict issue, checked as they would use it: every
 * conflicting hunk with the upstream diff, the target's numbered lines and the base text;
 * commands that really reproduce the conflict; no fence that breaks, no ping, no body
 * GitHub would refuse.
 */
describe('the conflict issue a contributor reads', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  /** calc.c conflicts in two places and merges in a third; guide.md conflicts; ok.c is clean. */
  async function conflictWorld(config?: string) {
    const repo = await makeRepo(h.sim, 'report', {
      files: { 'src/calc.c': lines(40), 'docs/guide.md': guide(), 'src/ok.c': lines(5) },
      branches: {
        'v1.1': {
          'src/calc.c': lines(40, { 10: 'line 10 (1.1, see @carol)', 30: 'line 30 (1.1)' }),
          'docs/guide.md': guide({ 4: 'make -j ````` (1.1)' }),
        },
      },
      ...(config ? { config } : {}),
    });
    const { number, mergeSha } = await mergedPull(h.sim, repo, {
      branch: 'fix',
      title: "Fix @alice's overflow, cc @acme/core",
      author: 'alice',
      labels: ['backport-to: v1.1'],
      commits: [
        {
          'src/calc.c': lines(40, { 10: 'line 10 fixed', 20: 'line 20 fixed', 30: 'line 30 fixed' }),
          'docs/guide.md': guide({ 4: 'make check ``` ``` (fixed)' }),
          'src/ok.c': lines(5, { 2: 'ok fixed' }),
        },
      ],
    });
    await h.idle();
    const [issue] = conflictIssues(h.sim, repo, 'v1.1');
    expect(issue).toBeDefined();
    return { repo, number, mergeSha, body: issue!.body! };
  }

  it('shows each conflicting hunk: the upstream diff, the target lines with numbers, the base text', async () => {
    const { repo, body } = await conflictWorld();
    const { blocks } = scanMarkdown(body);
    // The choices' diffs are indented under their candidates; the hunks' diffs are not.
    const diffs = blocks.filter((b) => b.info === 'diff' && !b.content.startsWith('  '));
    // Two hunks in calc.c, one in guide.md: each upstream change as its own diff block.
    expect(diffs).toHaveLength(3);
    const line10 = diffs.find((d) => d.content.includes('+line 10 fixed'))!;
    expect(line10.content).toMatch(
      /^@@ -7,7 \+7,7 @@\n line 7\n line 8\n line 9\n-line 10\n\+line 10 fixed\n line 11\n/,
    );
    expect(line10.content).not.toContain('line 30');
    expect(body).toContain('#### Hunk 1 of 2: line 10 on `v1.1`');
    expect(body).toContain('#### Hunk 2 of 2: line 30 on `v1.1`');
    const numbered = blocks.filter((b) => b.info === '').map((b) => b.content);
    // The target's lines with their line numbers, as they are in v1.1's file.
    const target = (await gitAsync(h.sim.repoPath(repo), ['show', 'v1.1:src/calc.c'])).split('\n');
    expect(numbered).toContain(`10 | ${target[9]}`);
    expect(numbered).toContain(`30 | ${target[29]}`);
    // And the text upstream expected, in a details block.
    expect(body).toMatch(
      /<details><summary>What upstream expected to find \(line 10 before the change\)<\/summary>\n\n```\n10 \| line 10\n```/,
    );
    expect(body).toContain('## Conflicts in 2 files');
    expect(body).toContain('## Applied cleanly (1 file)\n\n- `src/ok.c`');
    expect(h.sim.violations).toEqual([]);
  });

  it('fences are longer than any backtick run inside, so no block is cut short', async () => {
    const { body } = await conflictWorld();
    const { blocks, prose } = scanMarkdown(body);
    for (const block of blocks) expect(block.fence.length).toBeGreaterThan(longestBacktickRun(block.content));
    const shown = (b: FencedBlock) => b.content;
    // guide.md's lines with ``` and ````` came through whole, inside blocks, never in prose.
    expect(blocks.map(shown).join('\n')).toContain('4 | make -j ````` (1.1)');
    expect(blocks.map(shown).join('\n')).toContain('+make check ``` ``` (fixed)');
    expect(prose).not.toContain('make -j');
    expect(prose).not.toContain('(fixed)');
    expect(h.sim.violations).toEqual([]);
  });

  it('pings nobody: logins from the title, the author and file contents never become mentions', async () => {
    const { repo, number, body } = await conflictWorld();
    expect(body).toContain('@&#8203;alice'); // named, without notifying
    const written = [
      ...bodiesWritten(h.sim, repo),
      ...statusComments(h.sim, repo, number).map((c) => c.body),
    ];
    for (const text of written) {
      const { prose } = scanMarkdown(text);
      expect(withoutCodeSpans(prose)).not.toMatch(MENTION);
    }
    expect(h.sim.violations).toEqual([]);
  });

  /** Runs the printed commands in a fresh clone; returns the clone and the push command. */
  async function runPrinted(repo: string, body: string, dir: string) {
    const { blocks } = scanMarkdown(body);
    const shell = blocks.filter((b) => b.info === 'sh');
    expect(shell).toHaveLength(2);
    const w = join(dir, 'w');
    await gitAsync(dir, ['clone', '--quiet', h.sim.cloneUrl(repo), 'w']);
    // Credentials a maintainer would have; the commands themselves stay as printed.
    const auth = Buffer.from(`x-access-token:${h.sim.createInstallationToken('acme')}`).toString('base64');
    await gitAsync(w, ['config', 'http.extraHeader', `Authorization: Basic ${auth}`]);
    const steps = shell[0]!.content.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    const push = steps.pop()!;
    expect(push).toMatch(/^git push /);
    const results = [];
    for (const step of steps) results.push({ step, ...(await shAsync(w, step)) });
    return { w, push, results };
  }

  it('the printed git commands reproduce the conflict in a clone, and finish it', async () => {
    const { repo, number, mergeSha, body } = await conflictWorld();
    const dir = scratch('bpa-finish-');
    try {
      const { w, push, results } = await runPrinted(repo, body, dir.path);
      // Every step succeeds except the cherry-pick, which stops on the conflict (exit 1).
      expect(results.map((r) => [r.step.split(' ').slice(0, 2).join(' '), r.code])).toEqual([
        ['git fetch', 0],
        ['git switch', 0],
        ['git cherry-pick', 1],
      ]);
      expect(results[2]!.step).toBe(`git cherry-pick -x ${mergeSha}`);
      // The same files conflict as the issue lists; the clean file is staged with the fix.
      const unmerged = (await gitAsync(w, ['diff', '--name-only', '--diff-filter=U'])).trim().split('\n');
      expect(unmerged).toEqual(['docs/guide.md', 'src/calc.c']);
      for (const path of unmerged) expect(body).toContain(`### \`${path}\``);
      expect(await gitAsync(w, ['show', ':src/ok.c'])).toBe(lines(5, { 2: 'ok fixed' }));
      const calc = readFileSync(join(w, 'src/calc.c'), 'utf8');
      expect(calc).toMatch(
        /^<<<<<<< HEAD\nline 10 \(1\.1, see @carol\)\n=======\nline 10 fixed\n>>>>>>> [0-9a-f]{7}/m,
      );
      expect(calc).toContain('line 20 fixed'); // the clean region merged, as the issue says
      // Resolve, continue and push with the printed command: the backport branch appears.
      await shAsync(
        w,
        `printf '%s' '${lines(40, { 10: 'line 10 fixed', 20: 'line 20 fixed', 30: 'line 30 fixed' })}' > src/calc.c`,
      );
      await gitAsync(w, ['checkout', '--theirs', 'docs/guide.md']);
      await gitAsync(w, ['add', 'src/calc.c', 'docs/guide.md']);
      expect((await shAsync(w, 'git -c core.editor=true cherry-pick --continue')).code).toBe(0);
      expect(await shAsync(w, push)).toMatchObject({ code: 0 });
      const pushed = h.sim.pushLog.filter((p) => p.repo === repo);
      expect(pushed.map((p) => [p.ref, p.accepted])).toEqual([
        [`refs/heads/backport/${number}-to-v1.1`, true],
      ]);
      const message = await gitAsync(w, ['log', '-1', '--format=%B']);
      expect(message).toContain(`(cherry picked from commit ${mergeSha})`);
    } finally {
      dir.remove();
    }
    expect(h.sim.violations).toEqual([]);
  });

  it('the printed backport-assistant command runs as printed in a clone and reports the same conflict', async () => {
    const { repo, body, mergeSha } = await conflictWorld();
    const dir = scratch('bpa-cli-');
    try {
      const cliLine = scanMarkdown(body)
        .blocks.filter((b) => b.info === 'sh')[1]!
        .content.trim();
      await gitAsync(dir.path, ['clone', '--quiet', h.sim.cloneUrl(repo), 'w']);
      const w = join(dir.path, 'w');
      // The shell's own word splitting of the printed line, then the CLI in-process.
      const words = (await shAsync(w, `npx() { printf '%s\\0' "$@"; }; ${cliLine}`)).stdout
        .split('\0')
        .slice(0, -1);
      expect(words.slice(0, 2)).toEqual(['backport-assistant', 'pick']);
      let out = '';
      const stdout = new Writable({ write: (c: Buffer, _e, done) => ((out += c.toString()), done()) });
      const code = await cli(words.slice(1), { stdin: process.stdin, stdout, stderr: stdout, cwd: w });
      expect(out).toContain(`Conflict: ${mergeSha.slice(0, 7)}`);
      expect(code).toBe(1);
      expect(out).toContain('src/calc.c  [content]');
      expect(out).toContain('docs/guide.md  [content]');
      expect(out).toContain('Merged cleanly: src/ok.c');
    } finally {
      dir.remove();
    }
    expect(h.sim.violations).toEqual([]);
  });

  it('with a draft pushed (conflict: both), the printed commands fetch it and push over it safely', async () => {
    const { repo, number, body } = await conflictWorld('conflict: both\n');
    const draftTip = await h.sim.resolve(repo, `refs/heads/backport/${number}-to-v1.1`);
    expect(draftTip).not.toBeNull();
    const dir = scratch('bpa-finish-draft-');
    try {
      const { w, push, results } = await runPrinted(repo, body, dir.path);
      expect(results[0]!.step).toContain(`backport/${number}-to-v1.1`);
      expect(results.map((r) => r.code)).toEqual([0, 0, 1]);
      await gitAsync(w, ['checkout', '--theirs', 'src/calc.c', 'docs/guide.md']);
      await gitAsync(w, ['add', '-A']);
      expect((await shAsync(w, 'git -c core.editor=true cherry-pick --continue')).code).toBe(0);
      expect(push).toBe(`git push --force-with-lease origin backport/${number}-to-v1.1`);
      expect(await shAsync(w, push)).toMatchObject({ code: 0 });
      const pushed = h.sim.pushLog.filter((p) => p.repo === repo && p.old === draftTip);
      expect(pushed.map((p) => p.accepted)).toEqual([true]);

      // Later v1.1 changes so the pick would now apply cleanly, and the backport is asked
      // for again: the person's resolution on the draft branch is theirs, never overwritten.
      const resolved = pushed[0]!.new;
      await h.sim.commitFiles(repo, {
        branch: 'v1.1',
        files: { 'src/calc.c': lines(40), 'docs/guide.md': guide() },
        message: 'v1.1 back in line with main',
      });
      await h.sim.removeLabel(repo, number, 'backport-to: v1.1', 'maint');
      await h.sim.addLabel(repo, number, 'backport-to: v1.1', 'maint');
      await h.idle();
      expect(await h.sim.resolve(repo, `refs/heads/backport/${number}-to-v1.1`)).toBe(resolved);
      const [draft] = backportPulls(h.sim, repo, 'v1.1');
      expect(statusComments(h.sim, repo, number)[0]!.body).toContain(
        `✅ backport pull request [#${draft!.number}]`,
      );
    } finally {
      dir.remove();
    }
    expect(h.sim.violations).toEqual([]);
  });

  it("a huge conflict (hundreds of hunks, dozens of files) stays under GitHub's body limit", async () => {
    const size = 3000;
    const every = (n: number, text: string) =>
      Object.fromEntries(Array.from({ length: size / n }, (_, i) => [i * n + 1, `${text} ${i * n + 1}`]));
    const many = (text: string) =>
      Object.fromEntries(
        Array.from({ length: 40 }, (_, i) => [`conf/file-${i}.txt`, lines(30, { 15: `${text} ${i}` })]),
      );
    const repo = await makeRepo(h.sim, 'huge', {
      files: { 'big.txt': lines(size), ...many('base') },
      branches: { 'v1.1': { 'big.txt': lines(size, every(10, 'ours')), ...many('ours') } },
      config: 'conflict: both\n',
    });
    const { number } = await mergedPull(h.sim, repo, {
      branch: 'huge',
      labels: ['backport-to: v1.1'],
      commits: [{ 'big.txt': lines(size, every(10, 'theirs')), ...many('theirs') }],
    });
    await h.idle();
    const [issue] = conflictIssues(h.sim, repo, 'v1.1');
    const body = issue!.body!;
    expect(body.length).toBeLessThan(GITHUB_BODY_LIMIT);
    expect(body).toContain('## Conflicts in 41 files');
    expect(body).toContain('## Finish by hand');
    expect(body).toMatch(/- `big\.txt`: content conflict, 300 hunks/);
    expect(body).toMatch(
      /Details of \d+ files? \(\d+ hunks?\) are not shown, to stay under GitHub's size limit/,
    );
    for (const block of scanMarkdown(body).blocks)
      expect(block.fence.length).toBeGreaterThan(longestBacktickRun(block.content));
    const [draft] = backportPulls(h.sim, repo, 'v1.1');
    for (const text of bodiesWritten(h.sim, repo)) expect(text.length).toBeLessThan(GITHUB_BODY_LIMIT);
    expect(draft!.body!.length).toBeLessThan(GITHUB_BODY_LIMIT);
    expect(statusComments(h.sim, repo, number)).toHaveLength(1);
    expect(h.sim.violations).toEqual([]);
  });

  it('leaks no token into any log line or body the app wrote', () => {
    expectNoTokenLeak(h.sim, h.logs);
  });
});
