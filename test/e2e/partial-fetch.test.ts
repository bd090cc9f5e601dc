import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { ObjectReader } from '../../src/repo/storage/object-reader.js';
import type { GitServing } from '../../tools/github-sim/index.js';
import { noisyText } from '../repo/transport/transport-world.js';
import { gitAsync, gitShow } from './git-async.js';
import { startHarness, type Harness } from './app-harness.js';
import { backportPulls, lines, makeRepo, openPull, statusRow } from './world.js';

/** ~190 KB that deflate cannot shrink much: whether it was fetched shows in the bytes. */
const BIG = noisyText(11, 3000);

/**
 * An empty cache, and a pick that needs a line merge: upstream fixes line 5 of calc.c, the
 * target changed line 25 of it. Everything else (a big file) the pick never reads.
 */
async function coldBackport(h: Harness, name: string) {
  const repo = await makeRepo(h.sim, name, {
    files: { 'src/calc.c': lines(30), 'data/big.txt': BIG },
    branches: { 'v1.2': { 'src/calc.c': lines(30, { 25: 'line 25 on 1.2' }) } },
  });
  // Labelled after the merge: an open PR with labels would get a preview, which fetches too.
  const number = await openPull(h.sim, repo, {
    branch: 'fix',
    commits: [{ 'src/calc.c': lines(30, { 5: 'line 5 fixed' }) }],
  });
  await h.sim.mergePull({ repo, number, method: 'squash', mergedBy: 'maint' });
  await h.idle();
  const before = h.sim.stats.gitUploadBytes;
  const from = h.sim.requestLog.length;
  await h.sim.addLabel(repo, number, 'backport-to: v1.2', 'maint');
  await h.idle();
  const fetched = h.sim.stats.gitUploadBytes - before;
  const uploadPacks = h.sim.requestLog.slice(from).filter((e) => e.operationId === 'git/upload-pack').length;
  expect(statusRow(h.sim, repo, number, 'v1.2').state).toBe('opened');
  const [pull] = backportPulls(h.sim, repo, 'v1.2');
  const tip = (await h.sim.resolve(repo, `refs/heads/${pull!.pull!.headRef}`))!;
  const calc = await gitShow(h.sim.repoPath(repo), `${tip}:src/calc.c`);
  expect(calc).toBe(lines(30, { 5: 'line 5 fixed', 25: 'line 25 on 1.2' }));
  expect(await gitShow(h.sim.repoPath(repo), `${tip}:data/big.txt`)).toBe(BIG);
  const bigBlob = (await gitAsync(h.sim.repoPath(repo), ['rev-parse', `${tip}:data/big.txt`])).trim();
  const gitdir = join(h.cacheDir, 'acme', `${repo.split('/')[1]}.git`);
  const cache = new ObjectReader(gitdir);
  try {
    return { fetched, uploadPacks, bigBlobCached: cache.has(bigBlob), gitdir };
  } finally {
    cache.close();
  }
}

describe.each<[string, Partial<GitServing>, boolean]>([
  ['protocol v2 with filter (as GitHub)', {}, true],
  ['protocol v2 without filter', { allowFilter: false }, false],
  ['the original protocol only', { protocolV2: false }, false],
])('an empty cache: %s', (_name, git, partial) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ git });
  });
  afterAll(() => h.stop());

  it(
    partial
      ? 'fetches commits and trees, then only the blobs the line merge reads'
      : 'fetches whole trees, as before, and picks the same',
    async () => {
      const { fetched, uploadPacks, bigBlobCached, gitdir } = await coldBackport(h, 'cold');
      expect(bigBlobCached).toBe(!partial);
      if (partial) {
        // ls-refs, the merged branch and the target in one request (commits and root trees),
        // src/ at the merge, its parent and the target, then the three versions of calc.c in
        // one batch; and beside the push, an ls-refs of the target alone.
        expect(uploadPacks).toBe(5);
        expect(fetched).toBeLessThan(BIG.length / 4);
        // The cache says what it is, so git itself treats it as a partial clone.
        const config = await gitAsync(gitdir, ['config', '--get', 'remote.origin.promisor']);
        expect(config.trim()).toBe('true');
      } else {
        expect(fetched).toBeGreaterThan(BIG.length / 2);
      }
      expect(h.sim.violations).toEqual([]);
    },
  );
});
