import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { ObjectReader } from '../../src/repo/storage/object-reader.js';
import { tempDir } from '../support/git.js';
import { gitAsync } from './git-async.js';
import { startHarness, type Harness } from './app-harness.js';
import { backportPulls, lines, makeRepo, openPull, statusRow } from './world.js';

/** A subtree no pick here touches: vendor/lib<i>/sub<j>/ (13 trees). */
function vendored(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) files[`vendor/lib${i}/sub${j}/code.c`] = `vendored ${i} ${j}\n`;
  return files;
}

/**
 * The maintainer labels the merged PR for v1.2; once the app is idle the backport PR is open.
 * Returns the upload-pack `fetch` requests the backport made, in order.
 */
async function labelAndWatchFetches(h: Harness, repo: string, number: number) {
  const from = h.sim.requestLog.length;
  await h.sim.addLabel(repo, number, 'backport-to: v1.2', 'maint');
  await h.idle();
  expect(statusRow(h.sim, repo, number, 'v1.2').state).toBe('opened');
  return h.sim.requestLog
    .slice(from)
    .filter((e) => e.operationId === 'git/upload-pack' && e.upload!.command === 'fetch')
    .map((e) => ({ filter: e.upload!.filter, wants: e.upload!.wants, deepen: e.upload!.deepen }));
}

/** The backport PR's tree is the one `git cherry-pick <merged>` makes on v1.2 in a clone. */
async function expectGitsCherryPick(h: Harness, repo: string, merged: string): Promise<void> {
  const [pull] = backportPulls(h.sim, repo, 'v1.2');
  const tip = (await h.sim.resolve(repo, `refs/heads/${pull!.pull!.headRef}`))!;
  const path = h.sim.repoPath(repo);
  const work = tempDir('bpa-tree-fetch-');
  try {
    await gitAsync(work.path, ['clone', '-q', path, 'c']);
    const c = join(work.path, 'c');
    await gitAsync(c, ['checkout', '-q', 'v1.2']);
    await gitAsync(c, ['cherry-pick', merged]);
    expect(await gitAsync(path, ['rev-parse', `${tip}^{tree}`])).toBe(
      await gitAsync(c, ['rev-parse', 'HEAD^{tree}']),
    );
  } finally {
    work.remove();
  }
}

describe('a cold backport on a repository with a large untouched subtree (protocol v2 with filter, as GitHub)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({});
  });
  afterAll(() => h.stop());

  it('fetches none of its trees, level-wise only the changed directories, and picks as git does', async () => {
    const repo = await makeRepo(h.sim, 'untouched', {
      files: { 'src/core/calc.c': lines(30), 'README.md': 'calc\n', ...vendored() },
      // The target moved calc.c (rename detection on the target side) and edited line 25.
      branches: { 'v1.2': { 'src/core/calc.c': null, 'lib/calc.c': lines(30, { 25: 'line 25 on 1.2' }) } },
    });
    const path = h.sim.repoPath(repo);
    const treesOut = await gitAsync(path, ['ls-tree', '-r', '-t', 'main', 'vendor']);
    const vendorTrees = [...treesOut.matchAll(/ tree ([0-9a-f]{40})\t/g)].map((m) => m[1]!);
    // vendor/ itself, three lib*/ and nine sub*/.
    expect(vendorTrees).toHaveLength(13);
    // Labelled after the merge: an open PR with labels would get a preview, which fetches too.
    const number = await openPull(h.sim, repo, {
      branch: 'fix',
      commits: [{ 'src/core/calc.c': lines(30, { 5: 'line 5 fixed' }) }],
    });
    await h.sim.mergePull({ repo, number, method: 'squash', mergedBy: 'maint' });
    await h.idle();
    const fetches = await labelAndWatchFetches(h, repo, number);
    expect(fetches.slice(0, 3)).toEqual([
      // The merge and v1.2 with their parents, in one request: commits and root trees only.
      { filter: 'tree:1', wants: 2, deepen: 2 },
      // One walk for describe and the pick: src/ at the parent and at the merge with lib/ on
      // v1.2, then src/core/ at the parent and at the merge.
      { filter: 'tree:0', wants: 3, deepen: undefined },
      { filter: 'tree:0', wants: 2, deepen: undefined },
    ]);
    // Then only blobs (calc.c's versions: rename detection, the line merge); no tree on demand.
    expect(fetches.slice(3).length).toBeGreaterThan(0);
    for (const f of fetches.slice(3)) expect(f).toEqual({ filter: undefined, wants: expect.any(Number) });
    const gitdir = join(h.cacheDir, 'acme', `${repo.split('/')[1]}.git`);
    const cache = new ObjectReader(gitdir);
    try {
      expect(vendorTrees.filter((oid) => cache.has(oid))).toEqual([]);
    } finally {
      cache.close();
    }

    await expectGitsCherryPick(h, repo, (await gitAsync(path, ['rev-parse', 'main'])).trim());
    expect(h.sim.violations).toEqual([]);
  });

  it('a merge deeper than the first fetch: the target came along, the deeper fetch follows', async () => {
    const repo = await makeRepo(h.sim, 'deeper', {
      files: { 'src/core/calc.c': lines(30), 'README.md': 'calc\n', ...vendored() },
      branches: { 'v1.2': { 'src/core/calc.c': lines(30, { 25: 'line 25 on 1.2' }) } },
    });
    const number = await openPull(h.sim, repo, {
      branch: 'fix',
      commits: [{ 'src/core/calc.c': lines(30, { 5: 'line 5 fixed' }) }],
    });
    await h.sim.mergePull({ repo, number, method: 'squash', mergedBy: 'maint' });
    const merged = (await gitAsync(h.sim.repoPath(repo), ['rev-parse', 'main'])).trim();
    // Three commits after the merge: the first fetch (two deep) does not reach it.
    for (let i = 0; i < 3; i++)
      await h.sim.commitFiles(repo, {
        branch: 'main',
        files: { [`doc/n${i}.md`]: `${i}\n` },
        message: `n${i}`,
      });
    await h.idle();
    const fetches = await labelAndWatchFetches(h, repo, number);
    expect(fetches.slice(0, 2)).toEqual([
      { filter: 'tree:1', wants: 2, deepen: 2 },
      // main again, deeper, thin against the tips now here.
      { filter: 'blob:none', wants: 1, deepen: 8 },
    ]);

    await expectGitsCherryPick(h, repo, merged);
    expect(h.sim.violations).toEqual([]);
  });
});
