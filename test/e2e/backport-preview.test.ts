import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RequestLogEntry, SimCheckRun } from '../../tools/github-sim/index.js';
import { startHarness, type Harness } from './app-harness.js';
import { botComments, lines, makeRepo, openPull } from './world.js';

const NAME = 'Backport preview';
const WRITES = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

describe('the backport preview check on an open PR', () => {
  let h: Harness;
  let repo: string;
  let number: number;

  /** The app's preview runs on the PR's head now (every run, oldest first). */
  const previews = async (): Promise<SimCheckRun[]> => {
    const head = h.sim.pulls(repo).find((p) => p.number === number)!.pull!.headSha;
    return (await h.sim.checkRuns(repo, head)).filter((r) => r.name === NAME && r.byApp);
  };
  /** Runs `act`, waits for the app, and returns what it asked of GitHub meanwhile. */
  const during = async (act: () => Promise<unknown>) => {
    const from = h.sim.requestLog.length;
    await act();
    await h.idle();
    return h.sim.requestLog.slice(from);
  };

  /**
   * The ref listings, or the fetches of refs (a `deepen`), among git requests; the batches of
   * blobs a pick reads come on top, as for a backport.
   */
  const count = (log: readonly RequestLogEntry[], what: 'ls-refs' | 'fetch') =>
    log.filter((r) =>
      what === 'ls-refs'
        ? r.upload?.command === 'ls-refs'
        : r.upload?.command === 'fetch' && r.upload.deepen !== undefined,
    ).length;

  beforeAll(async () => {
    h = await startHarness();
    repo = await makeRepo(h.sim, 'preview', {
      files: { 'src/calc.c': lines(40), 'README.md': 'widgets\n' },
      branches: {
        'v1.2': null,
        // v1.1 diverged where the fix lands: a conflict. v1.0 already has the fix.
        'v1.1': { 'src/calc.c': lines(40, { 20: 'line 20 (1.1 hotfix)' }) },
        'v1.0': { 'src/calc.c': lines(40, { 20: 'line 20 fixed' }) },
      },
    });
  });
  afterAll(() => h.stop());

  it('says per target, when labelled, whether the change applies, conflicts or is already there', async () => {
    const log = await during(async () => {
      number = await openPull(h.sim, repo, {
        branch: 'fix',
        commits: [{ 'src/calc.c': lines(40, { 20: 'line 20 fixed' }) }],
        labels: ['backport-to: v1.2', 'backport-to: v1.1', 'backport-to: v1.0', 'bug'],
      });
      // The base moves on after the PR branched off: the preview picks what the merge would produce.
      await h.sim.commitFiles(repo, {
        branch: 'main',
        files: { 'README.md': 'widgets 2\n' },
        message: 'docs',
      });
    });
    const [run, ...others] = await previews();
    expect(others).toEqual([]);
    expect(run).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(run!.output!.title).toBe('Conflicts on 1 of 3 targets');
    expect(run!.output!.summary).toContain('- ✅ applies cleanly to `v1.2`');
    expect(run!.output!.summary).toContain('- ⚠️ conflicts in 1 file on `v1.1`: `src/calc.c`');
    expect(run!.output!.summary).toContain('- ☑️ already on `v1.0`');
    expect(run!.output!.text).toContain('- line 20 (1.1 hotfix)');
    expect(run!.output!.text).toContain('+ line 20 fixed');
    // Nothing but the check run is written: no push, branch, comment, PR or issue.
    const writes = log.filter((r) => WRITES.has(r.method) && !/^(git|apps)\//.test(r.operationId ?? ''));
    expect(new Set(writes.map((r) => r.operationId))).toEqual(new Set(['checks/create', 'checks/update']));
    expect(h.sim.pushLog).toEqual([]);
    expect(botComments(h.sim, repo, number)).toEqual([]);
    expect(h.sim.pulls(repo)).toHaveLength(1);
    // Three labels, three updates: one fetch each at most, and one ref discovery per preview run.
    const runs = log.filter((r) => r.operationId === 'checks/create' || r.operationId === 'checks/update');
    expect(count(log, 'ls-refs')).toBe(runs.length);
    expect(count(log, 'fetch')).toBeLessThanOrEqual(3);
  });

  it('makes a new run for a pushed head, with one fetch', async () => {
    const log = await during(async () => {
      // The fix moves from line 20 to line 30: it no longer conflicts on v1.1, nor is it on v1.0.
      await h.sim.commitFiles(repo, {
        branch: 'fix',
        files: { 'src/calc.c': lines(40, { 30: 'line 30 fixed' }) },
        message: 'the real fix',
      });
      await h.sim.synchronizePull(repo, number, 'alice');
    });
    expect(count(log, 'ls-refs')).toBe(1);
    expect(count(log, 'fetch')).toBe(1);
    const [run, ...others] = await previews();
    expect(others).toEqual([]);
    expect(run!.output!.title).toBe('Applies to all 3 targets');
    for (const branch of ['v1.2', 'v1.1', 'v1.0'])
      expect(run!.output!.summary).toContain(`- ✅ applies cleanly to \`${branch}\``);
    expect(run!.conclusion).toBe('neutral');
  });

  it('follows a target that moved when the labels change, in the same run', async () => {
    const before = (await previews())[0]!.id;
    await h.sim.commitFiles(repo, {
      branch: 'v1.2',
      files: { 'src/calc.c': lines(40, { 30: 'line 30 on 1.2' }) },
      message: '1.2 changes line 30',
    });
    const log = await during(() => h.sim.removeLabel(repo, number, 'backport-to: v1.0', 'maint'));
    expect(count(log, 'ls-refs')).toBeLessThanOrEqual(1);
    expect(count(log, 'fetch')).toBeLessThanOrEqual(1);
    const [run, ...others] = await previews();
    expect(others).toEqual([]);
    expect(run!.id).toBe(before);
    expect(run!.output!.summary).toContain('- ⚠️ conflicts in 1 file on `v1.2`: `src/calc.c`');
    expect(run!.output!.summary).toContain('- ✅ applies cleanly to `v1.1`');
    expect(run!.output!.summary).not.toContain('v1.0');
  });

  it('says so when the last backport label goes, and stays quiet on a PR that never had one', async () => {
    await during(async () => {
      await h.sim.removeLabel(repo, number, 'backport-to: v1.2', 'maint');
      await h.sim.removeLabel(repo, number, 'backport-to: v1.1', 'maint');
    });
    const [run] = await previews();
    expect(run!.output).toMatchObject({
      title: 'No preview',
      summary: 'No backport label is left on this pull request.',
    });
    expect(run!.conclusion).toBe('neutral');

    const other = await openPull(h.sim, repo, {
      branch: 'docs',
      commits: [{ 'docs.md': 'docs\n' }],
      labels: ['bug'],
    });
    await h.idle();
    const head = h.sim.pulls(repo).find((p) => p.number === other)!.pull!.headSha;
    expect(await h.sim.checkRuns(repo, head)).toEqual([]);
    expect(h.sim.violations).toEqual([]);
    // No token in the logs or in what the check shows.
    const shown = (await previews()).map((r) => JSON.stringify(r.output));
    for (const text of [...h.logs, ...shown]) expect(text).not.toMatch(/gh[su]_/);
  });
});

describe('a required backport preview', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  it('fails on a conflict, succeeds when every target applies, and waits for a PR that conflicts with its base', async () => {
    const repo = await makeRepo(h.sim, 'required', {
      files: { 'a.txt': lines(10) },
      config: 'preview: required\n',
      branches: { v2: { 'a.txt': lines(10, { 5: 'five on v2' }) }, v3: null },
    });
    const head = async (n: number) => h.sim.pulls(repo).find((p) => p.number === n)!.pull!.headSha;
    const conclusion = async (n: number) =>
      (await h.sim.checkRuns(repo, await head(n))).filter((r) => r.byApp).map((r) => r.conclusion);

    const clashing = await openPull(h.sim, repo, {
      branch: 'five',
      commits: [{ 'a.txt': lines(10, { 5: 'five fixed' }) }],
      labels: ['backport-to: v2'],
    });
    const clean = await openPull(h.sim, repo, {
      branch: 'nine',
      commits: [{ 'a.txt': lines(10, { 9: 'nine fixed' }) }],
      labels: ['backport-to: v2', 'backport-to: v3'],
    });
    await h.idle();
    expect(await conclusion(clashing)).toEqual(['failure']);
    expect(await conclusion(clean)).toEqual(['success']);

    // main now changes line 9 too: the PR cannot be merged, so there is nothing to preview yet.
    await h.sim.commitFiles(repo, {
      branch: 'main',
      files: { 'a.txt': lines(10, { 9: 'nine on main' }) },
      message: 'm',
    });
    await h.sim.addLabel(repo, clean, 'backport-to: v2.1', 'maint');
    await h.idle();
    const [run] = (await h.sim.checkRuns(repo, await head(clean))).filter((r) => r.byApp);
    expect(run).toMatchObject({ conclusion: 'neutral', output: { title: 'No preview' } });
    expect(run!.output!.summary).toContain(`does not merge cleanly into main`);
    expect(h.sim.violations).toEqual([]);
  });

  it('picks what the merge would produce for a PR built on an older base', async () => {
    const repo = await makeRepo(h.sim, 'older-base', {
      files: { 'b.txt': lines(10) },
      config: 'preview: required\n',
      branches: { v4: { 'b.txt': lines(10, { 8: 'eight on v4' }) } },
    });
    await h.sim.createBranch(repo, 'older', 'main');
    // After the PR branched off, main got half of its change (line 8) another way. The PR's own
    // commits would conflict on v4 at line 8; its merge adds only line 5, which applies.
    await h.sim.commitFiles(repo, {
      branch: 'main',
      files: { 'b.txt': lines(10, { 8: 'eight fixed' }) },
      message: 'm',
    });
    const n = await openPull(h.sim, repo, {
      branch: 'older',
      commits: [{ 'b.txt': lines(10, { 5: 'five fixed', 8: 'eight fixed' }) }],
      labels: ['backport-to: v4'],
    });
    await h.idle();
    const head = h.sim.pulls(repo).find((p) => p.number === n)!.pull!.headSha;
    const [run] = (await h.sim.checkRuns(repo, head)).filter((r) => r.byApp);
    expect(run).toMatchObject({ conclusion: 'success' });
    expect(run!.output!.summary).toContain('- ✅ applies cleanly to `v4`');

    // Merged, the backport is indeed clean.
    await h.sim.mergePull({ repo, number: n, method: 'squash', mergedBy: 'maint' });
    await h.idle();
    expect(h.sim.pulls(repo).filter((p) => p.pull?.baseRef === 'v4')).toHaveLength(1);
    expect(h.sim.violations).toEqual([]);
  });
});
