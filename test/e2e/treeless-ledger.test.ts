// The ledger rebuilt (its database lost) on a cache that a cold backport left treeless: the
// missing-fix report's apply checks read fixes and trees that cache lacks. They must fetch
// them in batches, and say what git would: the same report as the CLI on a full clone.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import type { BranchMissingFixes } from '../../src/missing-fixes/missing-fixes.js';
import { runCli } from '../cli/run-cli.js';
import { tempDir } from '../support/git.js';
import { gitAsync } from './git-async.js';
import { startLedgerHarness, type LedgerHarness } from './ledger-harness.js';
import { cachedTrees, fetchesSince, lines, makeRepo, mergedPull, statusRow } from './world.js';

/** Directories no fix touches, nested three deep: 1 + 3 + 9 trees. */
function untouched(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) files[`vendor/lib${i}/sub${j}/code.c`] = `vendor ${i} ${j}\n`;
  return files;
}

describe('the ledger rebuilt on a treeless cache', () => {
  let h: LedgerHarness;
  beforeAll(async () => {
    h = await startLedgerHarness();
  });
  afterAll(() => h?.stop());

  it('reports the missing fixes as the CLI does on a full clone, in a few fetches', async () => {
    const repo = await makeRepo(h.sim, 'treeless-ledger', {
      files: {
        'src/core/calc.c': lines(30),
        'src/io/read.c': lines(30),
        'src/io/deep/a/b/write.c': lines(30),
        ...untouched(),
      },
      config: 'branches: [v1.2]\n',
      // v1.2 changed the files most fixes change: their checks merge lines (and read blobs).
      branches: {
        'v1.2': {
          'src/core/calc.c': lines(30, { 25: 'line 25 on 1.2' }),
          'src/io/read.c': lines(30, { 20: 'line 20 on 1.2' }),
          'src/io/deep/a/b/write.c': lines(30, { 20: 'line 20 on 1.2' }),
        },
      },
    });
    // Fixes on main after v1.2 forked, in several directories; one conflicts on v1.2.
    const fixes: [string, Record<string, string>][] = [
      ['fix: read overflow', { 'src/io/read.c': lines(30, { 3: 'line 3 fixed' }) }],
      ['fix: write path', { 'src/io/deep/a/b/write.c': lines(30, { 7: 'line 7 fixed' }) }],
      ['fix: vendored lib0', { 'vendor/lib0/sub2/code.c': 'vendor 0 2 fixed\n' }],
      ['fix: vendored lib2', { 'vendor/lib2/sub1/code.c': 'vendor 2 1 fixed\n' }],
      ['fix: line 25', { 'src/core/calc.c': lines(30, { 25: 'line 25 fixed' }) }],
    ];
    for (const [i, [title, files]] of fixes.entries())
      await mergedPull(h.sim, repo, { branch: `fix-${i}`, title, commits: [files] });
    // The cold backport: the cache is empty until this label.
    const cold = await mergedPull(h.sim, repo, {
      branch: 'calc',
      title: 'fix: calc start',
      commits: [{ 'src/core/calc.c': lines(30, { 5: 'line 5 fixed', 25: 'line 25 fixed' }) }],
    });
    await h.sim.addLabel(repo, cold.number, 'backport-to: v1.2', 'maint');
    await h.idle();
    expect(statusRow(h.sim, repo, cold.number, 'v1.2').state).toBe('opened');

    const from = h.sim.requestLog.length;
    const bytes = h.sim.stats.gitUploadBytes;
    await h.restart({ wipeDatabase: true, rebuildWhenEmpty: true });
    await h.settle();
    const fetches = fetchesSince(h.sim, from);
    if (process.env.BPA_PRINT_FETCHES)
      console.log(h.sim.stats.gitUploadBytes - bytes, JSON.stringify(fetches));
    const [report] = (await h.ledger.store.missingFixes(repo)).map((m) => m.report);

    const clone = tempDir('bpa-treeless-ledger-');
    try {
      await gitAsync(clone.path, ['clone', '-q', '--no-local', h.sim.repoPath(repo), 'c']);
      const c = join(clone.path, 'c');
      await gitAsync(c, ['branch', 'v1.2', 'origin/v1.2']);
      const cli = await runCli(['status', '--repo', c, '--branches', 'v1.2', '--json'], { cwd: c });
      expect(cli.code).toBe(0);
      const [expected] = (JSON.parse(cli.stdout) as { branches: BranchMissingFixes[] }).branches;
      // The CLI knows no pull requests: the backported one is missing to it, decided to the app.
      expect(report!.missing.map((m) => [m.sha, m.applies])).toEqual(
        expected!.missing.filter((m) => m.sha !== cold.mergeSha).map((m) => [m.sha, m.applies]),
      );
      expect(expected!.missing.map((m) => m.sha)).toContain(cold.mergeSha);
    } finally {
      clone.remove();
    }
    expect(report!.missing.some((m) => m.applies === 'clean')).toBe(true);
    expect(report!.missing.some((m) => m.applies === 'conflict')).toBe(true);
    expect(report!.missing.every((m) => m.applies !== 'unknown')).toBe(true);
    // Per report: main and v1.2 (thin against the cache; the settling may run the report
    // twice), the fixes' trees level by level (src/io/deep/a/b: five levels), then the
    // blobs of every check's line merges in one batch. Not a request per fix or directory,
    // nor vendor/ fetched whole:
    expect(fetches.length).toBeLessThanOrEqual(2 * 2 + 5 + 1);
    expect(await cachedTrees(h.sim, h.cacheDir, repo, ['vendor/lib1', 'vendor/lib1/sub0'])).toEqual([]);
    expect(h.sim.violations).toEqual([]);
  });
});
