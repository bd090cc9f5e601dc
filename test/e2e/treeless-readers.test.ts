// What the app's later readers fetch from a cache that a cold backport left treeless (its
// commits fetched with `filter tree:1`, then only the trees that pick read): each must work,
// and fetch the trees and blobs it reads in a few batched requests, not one per directory.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { gitShow } from './git-async.js';
import { startHarness, type Harness } from './app-harness.js';
import { answerWith, decisionsOf } from './resolve-world.js';
import {
  backportPulls,
  cachedTrees,
  conflictIssues,
  fetchesSince,
  lines,
  makeRepo,
  mergedPull,
  openPull,
  statusRow,
} from './world.js';

/** Directories no pick here touches, nested three deep: 1 + 3 + 9 trees per root. */
function untouched(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) files[`${root}/lib${i}/sub${j}/code.c`] = `${root} ${i} ${j}\n`;
  return files;
}

/** Runs `act`, waits until the app is idle, and returns the fetch requests it caused. */
async function watch(h: Harness, act: () => Promise<unknown>) {
  await h.idle();
  const from = h.sim.requestLog.length;
  const bytes = h.sim.stats.gitUploadBytes;
  await act();
  await h.idle();
  const fetches = fetchesSince(h.sim, from);
  if (process.env.BPA_PRINT_FETCHES) console.log(h.sim.stats.gitUploadBytes - bytes, JSON.stringify(fetches));
  return fetches;
}

/** Subtrees no step here touches: whoever reads them whole fetches more than the change. */
const UNREAD = ['vendor/lib2', 'vendor/lib2/sub0', 'third_party/lib1', 'third_party/lib1/sub2'];

describe('later readers on a cache a cold backport left treeless', () => {
  let h: Harness;
  let repo: string;
  let first: { number: number; mergeSha: string };
  beforeAll(async () => {
    h = await startHarness({});
    repo = await makeRepo(h.sim, 'treeless', {
      files: {
        'src/core/calc.c': lines(30),
        'src/io/read.c': lines(30),
        'src/io/deep/a/b/write.c': lines(30),
        'README.md': 'calc\n',
        ...untouched('vendor'),
        ...untouched('third_party'),
      },
      branches: { 'v1.2': { 'src/core/calc.c': lines(30, { 25: 'line 25 on 1.2' }) } },
    });
    // The cold backport: the cache is empty until this label.
    first = await mergedPull(h.sim, repo, {
      branch: 'fix',
      commits: [{ 'src/core/calc.c': lines(30, { 5: 'line 5 fixed' }) }],
    });
    await watch(h, () => h.sim.addLabel(repo, first.number, 'backport-to: v1.2', 'maint'));
    expect(statusRow(h.sim, repo, first.number, 'v1.2').state).toBe('opened');
  });
  afterAll(() => h.stop());

  it('the marker gate, after a person pushes to the backport PR', async () => {
    const [pull] = backportPulls(h.sim, repo, 'v1.2');
    const fetches = await watch(h, async () => {
      await h.sim.commitFiles(repo, {
        branch: pull!.pull!.headRef,
        // Three directories apart, each below trees the cold pick never read.
        files: {
          'src/io/deep/a/b/write.c': lines(30, { 3: 'tidied' }),
          'vendor/lib0/sub1/code.c': 'vendor 0 1, tidied\n',
          'third_party/lib2/sub0/code.c': 'third_party 2 0, tidied\n',
        },
        message: 'tidy',
      });
      await h.sim.synchronizePull(repo, pull!.number, 'alice');
    });
    const runs = await h.sim.checkRuns(repo, `refs/heads/${pull!.pull!.headRef}`);
    expect(runs.filter((r) => r.name === 'Backport conflict markers').map((r) => r.conclusion)).toEqual([
      'success',
    ]);
    // The head (thin against the base), the bases git left out of that pack, then the
    // base's trees level by level: one request per directory level down to the deepest change
    // (src/io/deep/a/b: five), never one per directory; then both versions of the files in
    // one batch.
    expect(fetches.length).toBeLessThanOrEqual(2 + 5 + 1);
    // Only the changed directories were read: not the subtrees beside them, whole.
    expect(await cachedTrees(h.sim, h.cacheDir, repo, UNREAD)).toEqual([]);
  });

  it('the preview, on an open labelled PR', async () => {
    let number = 0;
    const fetches = await watch(h, async () => {
      number = await openPull(h.sim, repo, {
        branch: 'io-fix',
        labels: ['backport-to: v1.2'],
        commits: [
          {
            'src/io/deep/a/b/write.c': lines(30, { 9: 'line 9 fixed' }),
            'vendor/lib1/sub1/code.c': 'vendor 1 1, fixed\n',
            'third_party/lib0/sub2/code.c': 'third_party 0 2, fixed\n',
          },
        ],
      });
    });
    const head = h.sim.pulls(repo).find((p) => p.number === number)!.pull!.headSha;
    const [run] = (await h.sim.checkRuns(repo, head)).filter((r) => r.name === 'Backport preview' && r.byApp);
    expect(run!.output!.summary).toContain('applies cleanly to `v1.2`');
    // The test merge (thin against the cache), the bases git left out, the trees of the
    // merge, its parent and v1.2 level by level (five levels at most here), the blobs.
    expect(fetches.length).toBeLessThanOrEqual(2 + 5 + 1);
    expect(await cachedTrees(h.sim, h.cacheDir, repo, UNREAD)).toEqual([]);
  });

  it('a second backport (warm)', async () => {
    const fetches = await watch(h, () =>
      mergedPull(h.sim, repo, {
        branch: 'read-fix',
        labels: ['backport-to: v1.2'],
        commits: [{ 'src/io/read.c': lines(30, { 9: 'line 9 fixed' }) }],
      }),
    );
    const [, second] = backportPulls(h.sim, repo, 'v1.2');
    expect(await gitShow(h.sim.repoPath(repo), `${second!.pull!.headRef}:src/io/read.c`)).toBe(
      lines(30, { 9: 'line 9 fixed' }),
    );
    // main, v1.2 (each thin against the cache), the blobs of the line merge; a tree the
    // cache lacks comes with a level-wise walk, a few requests at most.
    expect(fetches.length).toBeLessThanOrEqual(3 + 2);
  });

  let conflicted: number;
  let prerequisite: string;
  it('a conflict and its prerequisites', async () => {
    const refactor = await mergedPull(h.sim, repo, {
      branch: 'refactor',
      commits: [{ 'src/core/calc.c': lines(30, { 5: 'line 5 fixed', 15: 'line 15 refactored' }) }],
    });
    prerequisite = refactor.mergeSha;
    const fetches = await watch(h, async () => {
      conflicted = (
        await mergedPull(h.sim, repo, {
          branch: 'fix-25',
          labels: ['backport-to: v1.2'],
          commits: [{ 'src/core/calc.c': lines(30, { 5: 'line 5 fixed', 15: 'line 15 refactored, fixed' }) }],
        })
      ).number;
    });
    expect(statusRow(h.sim, repo, conflicted, 'v1.2').state).toBe('conflict');
    const [issue] = conflictIssues(h.sim, repo, 'v1.2');
    expect(issue!.body).toContain(
      `Picking \`${prerequisite.slice(0, 7)}\` first makes this backport apply cleanly`,
    );
    // main and v1.2, the blobs of the pick, then the prerequisites' walk back through main
    // (fetched deeper, thin) and the blobs it compares: a handful, not one per commit or tree.
    expect(fetches.length).toBeLessThanOrEqual(6);
  });

  it('/backport … with', async () => {
    const fetches = await watch(h, () =>
      h.sim.comment(repo, conflicted, `/backport v1.2 with ${prerequisite.slice(0, 7)}`, 'alice'),
    );
    const branch = `refs/heads/backport/${conflicted}-to-v1.2`;
    expect(await gitShow(h.sim.repoPath(repo), `${branch}:src/core/calc.c`)).toBe(
      lines(30, { 15: 'line 15 refactored, fixed', 25: 'line 25 on 1.2' }),
    );
    // Everything it picks was read by the conflict before: at most a fetch of main and one of
    // blobs.
    expect(fetches.length).toBeLessThanOrEqual(2);
  });
});

describe('/backport resolve on a cache a cold backport left treeless', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({});
  });
  afterAll(() => h.stop());

  it('resolves', async () => {
    const repo = await makeRepo(h.sim, 'treeless-resolve', {
      files: {
        'src/core/calc.c': lines(20),
        'src/ok.c': lines(5),
        ...untouched('vendor'),
      },
      branches: { 'v1.1': { 'src/core/calc.c': lines(20, { 7: 'line 7 (1.1 hotfix)' }) } },
    });
    const { number } = await mergedPull(h.sim, repo, {
      branch: 'fix',
      title: 'Fix overflow',
      commits: [{ 'src/core/calc.c': lines(20, { 7: 'line 7 fixed' }), 'src/ok.c': lines(5, { 1: 'ok' }) }],
    });
    await watch(h, () => h.sim.addLabel(repo, number, 'backport-to: v1.1', 'maint'));
    const [issue] = conflictIssues(h.sim, repo, 'v1.1');
    const answer = answerWith(await decisionsOf(h.sim, repo, issue!), ['apply-regions', 'theirs']);
    const fetches = await watch(h, () =>
      h.sim.comment(repo, issue!.number, `/backport resolve ${answer}`, 'maint'),
    );
    const [pull] = backportPulls(h.sim, repo, 'v1.1');
    expect(await gitShow(h.sim.repoPath(repo), `${pull!.pull!.headRef}:src/core/calc.c`)).toBe(
      lines(20, { 7: 'line 7 fixed' }),
    );
    // The conflict read every tree the answer needs: at most the blobs of the marker check.
    expect(fetches.length).toBeLessThanOrEqual(1);
  });
});
