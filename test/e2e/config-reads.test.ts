import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './app-harness.js';
import { holdUntilArrives, lines, makeRepo, mergedPull, openPull, statusRow } from './world.js';

/** How long a held read waits for the other before it is let go anyway. */
const HOLD_LIMIT_MS = 10_000;

/**
 * The configuration is the repository's `.github/backport.yml`, else the one in the owner's
 * `.github` repository. A repository not known to have its own file has both read side by
 * side (one round trip before the job knows its targets, not two); one known to have its
 * own has only that read.
 */
describe('the configuration is read in one round trip', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  const configReads = (from: number, where: string) =>
    h.sim.requestLog
      .slice(from)
      .filter((e) => e.operationId === 'repos/get-content' && e.path.startsWith(`/repos/${where}/contents/`));

  it("reads the owner's .github repository beside the repository's own (absent) file", async () => {
    const repo = await makeRepo(h.sim, 'config-side-by-side', {
      files: { 'src/calc.c': lines(20) },
      branches: { 'v1.2': null },
    });
    const number = await openPull(h.sim, repo, {
      branch: 'fix',
      commits: [{ 'src/calc.c': lines(20, { 4: 'line 4 fixed' }) }],
      labels: ['backport-to: v1.2'],
    });
    await h.idle();
    // The repository's read is held until the shared one arrives: read after it, the
    // shared one would never come while it is held, and the hold time out.
    const { order, restore } = holdUntilArrives(h.sim, {
      held: (method, url) => method === 'GET' && url.pathname.startsWith(`/repos/${repo}/contents/.github`),
      awaited: (method, url) => method === 'GET' && url.pathname.startsWith('/repos/acme/.github/contents/'),
      limitMs: HOLD_LIMIT_MS,
    });
    try {
      await h.sim.mergePull({ repo, number, method: 'squash', mergedBy: 'maint' });
      await h.idle();
    } finally {
      restore();
    }
    expect(order.indexOf('awaited')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('awaited')).toBeLessThan(order.indexOf('released'));
    expect(order).not.toContain('timed out');
    expect(statusRow(h.sim, repo, number, 'v1.2').state).toBe('opened');
    expect(h.sim.violations).toEqual([]);
  });

  it('reads only the repository file once it is known to be there', async () => {
    const repo = await makeRepo(h.sim, 'config-own', {
      files: { 'src/calc.c': lines(20) },
      branches: { 'v1.2': null },
      config: 'branches: [v1.2]\n',
    });
    await mergedPull(h.sim, repo, {
      branch: 'fix-one',
      commits: [{ 'src/calc.c': lines(20, { 4: 'line 4 fixed' }) }],
      labels: ['backport-to: v1.2'],
    });
    await h.idle();
    const from = h.sim.requestLog.length;
    const { number } = await mergedPull(h.sim, repo, {
      branch: 'fix-two',
      commits: [{ 'src/calc.c': lines(20, { 4: 'line 4 fixed', 9: 'line 9 fixed' }) }],
      labels: ['backport-to: v1.2'],
    });
    await h.idle();
    expect(statusRow(h.sim, repo, number, 'v1.2').state).toBe('opened');
    expect(configReads(from, repo).length).toBeGreaterThan(0);
    expect(configReads(from, 'acme/.github')).toEqual([]);
    expect(h.sim.violations).toEqual([]);
  });
});
