import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './app-harness.js';
import { gitShow } from './git-async.js';
import { backportWhileMoving, expectOneCommitOn, expectPushedOver, theBackportPull } from './race-world.js';
import {
  backportPulls,
  moveAfterFetch,
  conflictIssues,
  expectNoTokenLeak,
  fix,
  lines,
  makeRepo,
  mergedPull,
  statusRow,
  statusRows,
} from './world.js';

/** Targets the app must refuse or report, and a target branch that moves under its feet. */
describe('labels and branches the app cannot simply act on', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  it('a label naming a branch that does not exist: the row says so', async () => {
    const repo = await makeRepo(h.sim, 'missing', { files: { 'src/calc.c': lines(20) } });
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v7.7']));
    await h.idle();
    expect(statusRow(h.sim, repo, number, 'v7.7')).toMatchObject({
      state: 'failed',
      error: { code: 'missing-branch', message: `There is no branch v7.7 in ${repo}.` },
    });
    expect(backportPulls(h.sim, repo)).toEqual([]);
    expect(h.sim.violations).toEqual([]);
  });

  it('a change to workflow files: refused before any push, with the commands to do it by hand', async () => {
    const ci = 'on: push\njobs: {}\n';
    const repo = await makeRepo(h.sim, 'workflows', {
      files: { '.github/workflows/ci.yml': ci, 'src/calc.c': lines(20) },
      branches: { 'v1.2': null },
    });
    const pushesBefore = h.sim.pushLog.length;
    const { number } = await mergedPull(h.sim, repo, {
      branch: 'fix-ci',
      title: 'Fix CI',
      labels: ['backport-to: v1.2'],
      commits: [{ '.github/workflows/ci.yml': `${ci}# cache node_modules\n` }],
    });
    await h.idle();
    const row = statusRow(h.sim, repo, number, 'v1.2');
    expect(row).toMatchObject({ state: 'failed', error: { code: 'push-forbidden' } });
    expect(row?.error?.message).toContain('.github/workflows/ci.yml');
    expect(row?.error?.message).toContain('`workflows` permission');
    expect(row?.error?.message).toMatch(/git cherry-pick -x [0-9a-f]{40}/);
    expect(h.sim.pushLog.length).toBe(pushesBefore);
    expect(backportPulls(h.sim, repo)).toEqual([]);
    expect(h.sim.violations).toEqual([]);
  });

  it('label values that are not valid ref names are refused, each with its reason', async () => {
    // A pattern that takes anything after the prefix, so odd values reach the ref-name check.
    const repo = await makeRepo(h.sim, 'refnames', {
      files: { 'src/calc.c': lines(20) },
      branches: { 'v1.2': null },
      config: "labelPattern: '^backport-to: (?<target>.+)$'\n",
    });
    const bad: Record<string, string> = {
      'a..b': 'it contains `..`',
      'has space': 'it contains a space',
      'x~1': 'it contains `~`',
      'x^2': 'it contains `^`',
      'x:y': 'it contains `:`',
      'x?': 'it contains `?`',
      'x*': 'it contains `*`',
      'x[1': 'it contains `[`',
      'x\\y': 'it contains a backslash',
      '-rf': 'it starts with `-`',
      'v1.lock': 'a part of it ends with `.lock`',
    };
    const { number } = await mergedPull(
      h.sim,
      repo,
      fix([...Object.keys(bad).map((t) => `backport-to: ${t}`), 'backport-to: v1.2']),
    );
    await h.idle();
    const rows = statusRows(h.sim, repo, number);
    for (const [target, reason] of Object.entries(bad)) {
      expect(rows.find((r) => r.target === target)).toMatchObject({
        state: 'failed',
        error: { code: 'invalid-ref-name', message: `\`${target}\` is not a valid branch name: ${reason}.` },
      });
    }
    // The valid target still goes through; nothing was pushed for the others.
    expect(rows.find((r) => r.target === 'v1.2')?.state).toBe('opened');
    expect(h.sim.pushLog.filter((p) => p.repo === repo).map((p) => p.ref)).toEqual([
      `refs/heads/backport/${number}-to-v1.2`,
    ]);
    expect(h.sim.violations).toEqual([]);
  });

  it('a target equal to the PR base is refused', async () => {
    const repo = await makeRepo(h.sim, 'base', { files: { 'src/calc.c': lines(20) } });
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: main']));
    await h.idle();
    expect(statusRow(h.sim, repo, number, 'main')).toMatchObject({
      state: 'failed',
      error: { code: 'target-is-base', message: '`main` is the branch the pull request was merged into.' },
    });
    expect(h.sim.pushLog.filter((p) => p.repo === repo)).toEqual([]);
    expect(h.sim.violations).toEqual([]);
  });

  it('a change already on the target: "already on branch", no empty PR, no push', async () => {
    const repo = await makeRepo(h.sim, 'already', {
      files: { 'src/calc.c': lines(20) },
      // Someone backported the same fix by hand before the label was added.
      branches: { 'v1.2': { 'src/calc.c': lines(20, { 7: 'line 7 fixed' }) } },
    });
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.2']));
    await h.idle();
    expect(statusRow(h.sim, repo, number, 'v1.2').state).toBe('already-applied');
    expect(backportPulls(h.sim, repo)).toEqual([]);
    expect(h.sim.pushLog.filter((p) => p.repo === repo)).toEqual([]);
    expect(h.sim.violations).toEqual([]);
  });

  it('a binary conflict is reported as binary in the issue', async () => {
    const png = (n: number) => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, n, 0, 255]);
    const repo = await makeRepo(h.sim, 'binary', {
      files: { 'logo.png': png(1), 'src/calc.c': lines(20) },
      branches: { 'v1.1': { 'logo.png': png(2) } },
    });
    const { number } = await mergedPull(h.sim, repo, {
      branch: 'art',
      labels: ['backport-to: v1.1'],
      commits: [{ 'logo.png': png(3), 'src/calc.c': lines(20, { 3: 'three' }) }],
    });
    await h.idle();
    const [issue] = conflictIssues(h.sim, repo, 'v1.1');
    expect(issue!.body).toContain('- `logo.png`: binary file changed on both sides');
    expect(issue!.body).toContain('Both sides changed this binary file and no line merge is possible.');
    expect(issue!.body).toContain('## Applied cleanly (1 file)\n\n- `src/calc.c`');
    expect(statusRow(h.sim, repo, number, 'v1.1').state).toBe('conflict');
    expect(h.sim.violations).toEqual([]);
  });

  it('the target moves during the job: the pick is redone on the new tip', async () => {
    const repo = await makeRepo(h.sim, 'race', {
      files: { 'src/calc.c': lines(20), NEWS: 'news\n' },
      branches: { 'v1.2': null },
    });
    const race = moveAfterFetch(h, repo, 'v1.2', { NEWS: 'news, meanwhile\n' });
    await backportWhileMoving(h, repo, ['backport-to: v1.2'], [race], async ({ number, mergeSha }) => {
      const [pull] = backportPulls(h.sim, repo, 'v1.2');
      const tip = (await h.sim.resolve(repo, `refs/heads/${pull!.pull!.headRef}`))!;
      await expectOneCommitOn(h, repo, race.moved()!, tip, mergeSha);
      expect(await gitShow(h.sim.repoPath(repo), `${tip}:NEWS`)).toBe('news, meanwhile\n');
      expect(await gitShow(h.sim.repoPath(repo), `${tip}:src/calc.c`)).toContain('line 7 fixed');
      expect(statusRow(h.sim, repo, number, 'v1.2').state).toBe('opened');
    });
  });

  it('the target moves during the job and the move brings the fix: already on the branch, no PR', async () => {
    const repo = await makeRepo(h.sim, 'race-same', {
      files: { 'src/calc.c': lines(20) },
      branches: { 'v1.2': null },
    });
    const race = moveAfterFetch(h, repo, 'v1.2', { 'src/calc.c': lines(20, { 7: 'line 7 fixed' }) });
    await backportWhileMoving(h, repo, ['backport-to: v1.2'], [race], async ({ number }) => {
      expect(statusRow(h.sim, repo, number, 'v1.2').state).toBe('already-applied');
      expect(backportPulls(h.sim, repo)).toEqual([]);
      // A branch pushed on the old tip before the move was seen is taken back.
      expect(await h.sim.resolve(repo, `refs/heads/backport/${number}-to-v1.2`)).toBeNull();
    });
  });

  it('the target moves during a conflicting job with a draft: the draft sits on the new tip', async () => {
    const repo = await makeRepo(h.sim, 'race-draft', {
      files: { 'src/calc.c': lines(20), NEWS: 'news\n' },
      config: 'conflict: draft-pr\n',
      branches: { 'v1.2': { 'src/calc.c': lines(20, { 7: 'line 7 on v1.2' }) } },
    });
    const oldTip = await h.sim.resolve(repo, 'refs/heads/v1.2');
    const race = moveAfterFetch(h, repo, 'v1.2', { NEWS: 'news, meanwhile\n' });
    await backportWhileMoving(h, repo, ['backport-to: v1.2'], [race], async ({ number }) => {
      // The draft went out on the old tip (its push's discovery was the job's, asked before
      // the move), the look beside the push saw v1.2 elsewhere: no draft PR on it, and the
      // pick was made again there, its draft pushed over the first.
      const { ref, tip } = await theBackportPull(h, repo, 'v1.2', true);
      await expectOneCommitOn(h, repo, race.moved()!, tip);
      expect(await gitShow(h.sim.repoPath(repo), `${tip}:NEWS`)).toBe('news, meanwhile\n');
      expect(statusRow(h.sim, repo, number, 'v1.2').state).toBe('conflict');
      await expectPushedOver(h, repo, ref, oldTip!, tip);
    });
  });

  it('a protected target is no obstacle; a protected backport branch: the refused push is reported', async () => {
    const repo = await makeRepo(h.sim, 'protected', {
      files: { 'src/calc.c': lines(20) },
      branches: { 'v1.2': null, 'v1.3': null },
    });
    h.sim.protectBranch(repo, 'v1.2');
    h.sim.protectBranch(repo, 'backport/1-to-v1.3');
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.2', 'backport-to: v1.3']));
    await h.idle();
    // The app never pushes to the target, so its protection changes nothing.
    expect(statusRow(h.sim, repo, number, 'v1.2').state).toBe('opened');
    expect(statusRow(h.sim, repo, number, 'v1.3')).toMatchObject({
      state: 'failed',
      error: {
        code: 'push-rejected',
        message: 'The push to backport/1-to-v1.3 was rejected: hook declined.',
      },
    });
    const pushes = h.sim.pushLog.filter((p) => p.repo === repo);
    expect(pushes.map((p) => [p.ref, p.accepted])).toEqual([
      ['refs/heads/backport/1-to-v1.2', true],
      ['refs/heads/backport/1-to-v1.3', false],
    ]);
    expect(h.sim.violations).toEqual([]);
  });

  it("a hostile branchName that names someone else's branch: refused, that branch untouched", async () => {
    // `v{number}.{target}` passes the config checks (targets live under release/), but for
    // PR #1 and target 2 it names v1.2, a branch the app did not make.
    const repo = await makeRepo(h.sim, 'hostile', {
      files: { 'src/calc.c': lines(20) },
      branches: { 'v1.2': null, 'release/2': null },
      config: "targetBranch: 'release/{target}'\nbranchName: 'v{number}.{target}'\n",
    });
    const before = await h.sim.resolve(repo, 'refs/heads/v1.2');
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: 2']));
    expect(number).toBe(1);
    await h.idle();
    expect(await h.sim.resolve(repo, 'refs/heads/v1.2')).toBe(before);
    expect(h.sim.pushLog.filter((p) => p.repo === repo)).toEqual([]);
    expect(statusRow(h.sim, repo, number, '2')).toMatchObject({
      state: 'failed',
      error: {
        code: 'push-forbidden',
        message:
          'Refusing to overwrite v1.2: the branch exists and was not made by Backport Assistant for #1. Delete or rename it, then ask again.',
      },
    });
    expect(h.sim.violations).toEqual([]);
  });

  it('across every scenario above: the app pushed only its own backport branches', () => {
    expect(h.sim.pushLog.filter((p) => p.accepted).length).toBeGreaterThan(2);
    for (const p of h.sim.pushLog) expect(p.ref).toMatch(/^refs\/heads\/backport\//);
  });

  it('leaks no token into any log line or body the app wrote', () => {
    expectNoTokenLeak(h.sim, h.logs);
  });
});
