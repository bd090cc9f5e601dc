import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openPacks } from '../support/open-packs.js';
import { startHarness, type Harness } from './app-harness.js';
import { backportPulls, lines, makeRepo, mergedPull } from './world.js';

/** Defect f: every backport opened the cache's packs and never closed them. */
describe('the git cache after backports', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  it('holds no pack file open once the jobs are done', async () => {
    const repo = await makeRepo(h.sim, 'descriptors', {
      files: { 'src/calc.c': lines(20) },
      branches: { 'v1.2': null, 'v1.3': null },
    });
    for (let i = 0; i < 4; i++) {
      await mergedPull(h.sim, repo, {
        branch: `fix-${i}`,
        title: `Fix ${i}`,
        labels: ['backport-to: v1.2', 'backport-to: v1.3'],
        commits: [{ [`src/part-${i}.c`]: `part ${i}\n` }],
      });
      await h.idle();
    }
    expect(backportPulls(h.sim, repo)).toHaveLength(8);
    expect(openPacks(h.cacheDir)).toEqual([]);
  });
});
