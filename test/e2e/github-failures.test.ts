import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './app-harness.js';
import {
  backportPulls,
  expectNoTokenLeak,
  conflictIssues,
  fix,
  lines,
  makeRepo,
  mergedPull,
  openPull,
  statusRow,
  statusRows,
} from './world.js';

/**
 * GitHub and git failing under the app: what is safe to retry is retried (after the wait
 * GitHub asks for), what was perhaps done already is looked up rather than done twice, and
 * whatever cannot be done ends as a status row in plain words while the other targets go on.
 */
describe('when GitHub or git fails', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ fastRetry: {} });
  });
  afterAll(() => h.stop());

  async function world(name: string, config?: string) {
    const repo = await makeRepo(h.sim, name, {
      files: { 'src/calc.c': lines(20) },
      branches: {
        'v1.2': null,
        'v1.3': null,
        'v1.1': { 'src/calc.c': lines(20, { 7: 'line 7 (1.1 hotfix)' }) },
      },
      ...(config ? { config } : {}),
    });
    return repo;
  }
  const calls = (repo: string, operationId: string) =>
    h.sim.requestLog.filter((r) => r.operationId === operationId && r.path.startsWith(`/repos/${repo}/`));
  const pathOf = (repo: string, rest: string) => new RegExp(`^/repos/${repo}/${rest}$`);

  it('a 5xx on pulls/create (nothing created): retried once, one PR', async () => {
    const repo = await world('pull-5xx');
    const fault = h.sim.faults.add({ pathRegex: pathOf(repo, 'pulls'), method: 'POST', status: 502 });
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.2']));
    await h.idle();
    expect(fault.fired).toBe(1);
    expect(calls(repo, 'pulls/create').map((r) => r.status)).toEqual([502, 201]);
    expect(backportPulls(h.sim, repo)).toHaveLength(1);
    expect(statusRow(h.sim, repo, number, 'v1.2').state).toBe('opened');
    expect(h.sim.violations).toEqual([]);
  });

  it('a 5xx on pulls/create after GitHub did create it: found, not made twice', async () => {
    const repo = await world('pull-lost');
    const lost = h.loseAnswer({ method: 'POST', pathRegex: pathOf(repo, 'pulls') });
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.2']));
    await h.idle();
    expect(lost.fired).toBe(1);
    const pulls = backportPulls(h.sim, repo);
    expect(pulls).toHaveLength(1);
    expect(statusRow(h.sim, repo, number, 'v1.2')).toMatchObject({
      state: 'opened',
      link: { number: pulls[0]!.number },
    });
    expect(h.sim.violations).toEqual([]);
  });

  it('a 5xx on issues/create, before or after GitHub created the issue: one conflict issue', async () => {
    for (const lose of [false, true]) {
      const repo = await world(lose ? 'issue-lost' : 'issue-5xx');
      const where = { method: 'POST', pathRegex: pathOf(repo, 'issues') };
      const fired = lose ? h.loseAnswer(where) : h.sim.faults.add({ ...where, status: 503 });
      const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.1']));
      await h.idle();
      expect(fired.fired).toBe(1);
      const issues = conflictIssues(h.sim, repo, 'v1.1');
      expect(issues).toHaveLength(1);
      expect(statusRow(h.sim, repo, number, 'v1.1')).toMatchObject({
        state: 'conflict',
        link: { number: issues[0]!.number },
      });
    }
    expect(h.sim.violations).toEqual([]);
  });

  it('403 with x-ratelimit-remaining: 0 on a read: waits until the announced reset, then goes on', async () => {
    const repo = await world('ratelimit-read');
    // The app's retry clock is frozen at h.retryNow, so the wait is exact.
    const reset = h.retryNow / 1000 + 30;
    h.sleeps.length = 0;
    h.sim.faults.add({
      method: 'GET',
      pathRegex: pathOf(repo, 'pulls'),
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
      body: { message: 'API rate limit exceeded for installation ID 100.' },
    });
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.2']));
    await h.idle();
    // Until the reset, plus a second's margin.
    expect(h.sleeps).toEqual([31_000]);
    expect(statusRow(h.sim, repo, number, 'v1.2').state).toBe('opened');
    expect(h.sim.violations).toEqual([]);
  });

  it('429 with retry-after on pulls/create and a rate-limit 403 on issues/create: retried after the wait, no duplicate', async () => {
    const repo = await world('ratelimit-write');
    h.sleeps.length = 0;
    h.sim.faults.add({
      method: 'POST',
      pathRegex: pathOf(repo, 'pulls'),
      status: 429,
      headers: { 'retry-after': '7' },
    });
    h.sim.faults.add({
      method: 'POST',
      pathRegex: pathOf(repo, 'issues'),
      status: 403,
      headers: {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(h.retryNow / 1000 + 5),
      },
    });
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.2', 'backport-to: v1.1']));
    await h.idle();
    // retry-after as given; the reset 5 s after the app's (frozen) now, plus a second's margin.
    expect(h.sleeps).toEqual([7_000, 6_000]);
    expect(calls(repo, 'pulls/create').map((r) => r.status)).toEqual([429, 201]);
    expect(calls(repo, 'issues/create').map((r) => r.status)).toEqual([403, 201]);
    expect(backportPulls(h.sim, repo)).toHaveLength(1);
    expect(conflictIssues(h.sim, repo)).toHaveLength(1);
    expect(statusRows(h.sim, repo, number).map((r) => r.state)).toEqual(['conflict', 'opened']);
    expect(h.sim.violations).toEqual([]);
  });

  it('a persistent failure for one target: its row says so in plain words, the other targets complete', async () => {
    const repo = await world('persistent');
    h.onRequest((req) => {
      const body = req.body ? (JSON.parse(req.body) as { base?: string }) : {};
      if (req.method !== 'POST' || !pathOf(repo, 'pulls').test(req.url.pathname) || body.base !== 'v1.2')
        return undefined;
      return Response.json({ message: 'Server Error' }, { status: 502 });
    });
    const reset = h.retryNow / 1000 + 3600;
    h.sim.faults.add({
      method: 'POST',
      pathRegex: pathOf(repo, 'issues'),
      status: 403,
      times: 100,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
      body: { message: 'API rate limit exceeded for installation ID 100.' },
    });
    const { number } = await mergedPull(
      h.sim,
      repo,
      fix(['backport-to: v1.2', 'backport-to: v1.3', 'backport-to: v1.1']),
    );
    await h.idle();
    h.sim.faults.clear();
    const rows = statusRows(h.sim, repo, number);
    expect(rows.find((r) => r.target === 'v1.2')).toMatchObject({
      state: 'failed',
      error: {
        code: 'github-error',
        message: expect.stringMatching(/^GitHub answered 502 to POST .*pulls: Server Error$/),
      },
    });
    expect(rows.find((r) => r.target === 'v1.1')).toMatchObject({
      state: 'failed',
      error: { code: 'rate-limited', message: expect.stringContaining('API rate limit exceeded') },
    });
    expect(rows.find((r) => r.target === 'v1.3')?.state).toBe('opened');
    expect(backportPulls(h.sim, repo).map((p) => p.pull!.baseRef)).toEqual(['v1.3']);
    expect(h.sim.violations).toEqual([]);
  });

  it('the status comment cannot be updated: every target is still backported, and the job is reported failed', async () => {
    const repo = await world('status-write-fails');
    // The comment is created, then every edit of it fails.
    const fault = h.sim.faults.add({
      method: 'PATCH',
      pathRegex: new RegExp(`^/repos/${repo}/issues/comments/\\d+$`),
      status: 502,
      times: 1000,
    });
    await mergedPull(h.sim, repo, fix(['backport-to: v1.2', 'backport-to: v1.3', 'backport-to: v1.1']));
    await h.idle();
    h.sim.faults.clear();
    expect(fault.fired).toBeGreaterThan(0);
    expect(
      backportPulls(h.sim, repo)
        .map((p) => p.pull!.baseRef)
        .sort(),
    ).toEqual(['v1.2', 'v1.3']);
    expect(conflictIssues(h.sim, repo, 'v1.1')).toHaveLength(1);
    expect(
      h.logs.some(
        (l) => l.includes('backport job failed') && l.includes(repo) && l.includes('issues/comments'),
      ),
    ).toBe(true);
    expect(h.sim.violations).toEqual([]);
  });

  it('git fetch failing (upload-pack answers 500): every row says so, and the app keeps working', async () => {
    const repo = await world('fetch-fails');
    const fault = h.sim.faults.add({ operationId: 'git/upload-pack', status: 500, times: 100 });
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.2', 'backport-to: v1.3']));
    await h.idle();
    h.sim.faults.clear();
    expect(fault.fired).toBeGreaterThan(0);
    for (const row of statusRows(h.sim, repo, number)) {
      expect(row).toMatchObject({
        state: 'failed',
        error: {
          code: 'fetch-failed',
          message: 'Could not fetch main: the server answered 500 Internal Server Error.',
        },
      });
    }
    // The same app then does the next job.
    const again = await world('fetch-recovers');
    const next = await mergedPull(h.sim, again, fix(['backport-to: v1.2']));
    await h.idle();
    expect(statusRow(h.sim, again, next.number, 'v1.2').state).toBe('opened');
    expect(h.sim.violations).toEqual([]);
  });

  it('git fetch failing for one target only: that row says so, the other target completes', async () => {
    const repo = await world('fetch-one');
    const number = await openPull(h.sim, repo, fix(['backport-to: v1.2', 'backport-to: v1.3']));
    await h.idle();
    // v1.2 moves after the preview, so its tip is not in the cache and must be fetched (a tip
    // already there is not fetched at all); the fault fails only the fetch that wants it.
    const tip = await h.sim.commitFiles(repo, {
      branch: 'v1.2',
      files: { NOTES: 'notes\n' },
      message: 'on 1.2',
    });
    const fault = h.sim.faults.add({ operationId: 'git/upload-pack', status: 503, wanting: tip });
    await h.sim.mergePull({ repo, number, method: 'squash', mergedBy: 'maint' });
    await h.idle();
    expect(fault.fired).toBe(1);
    expect(statusRow(h.sim, repo, number, 'v1.2')).toMatchObject({
      state: 'failed',
      error: {
        code: 'fetch-failed',
        message: 'Could not fetch v1.2: the server answered 503 Service Unavailable.',
      },
    });
    expect(statusRow(h.sim, repo, number, 'v1.3').state).toBe('opened');
    expect(h.sim.violations).toEqual([]);
  });

  it('an unexpected error in one target: its row says so (no half-done job), the other completes', async () => {
    const repo = await world('internal');
    // GitHub answers nonsense to the lookup of v1.2's backport PR.
    h.onRequest((req) =>
      req.method === 'GET' &&
      pathOf(repo, 'pulls').test(req.url.pathname) &&
      req.url.searchParams.get('head')?.endsWith('-to-v1.2')
        ? Response.json({ unexpected: true })
        : undefined,
    );
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.2', 'backport-to: v1.3']));
    await h.idle();
    expect(statusRow(h.sim, repo, number, 'v1.2')).toMatchObject({
      state: 'failed',
      error: {
        code: 'internal',
        message: 'An unexpected error stopped this backport; it was logged for the app owner.',
      },
    });
    expect(statusRow(h.sim, repo, number, 'v1.3').state).toBe('opened');
    expect(h.sim.violations).toEqual([]);
  });

  it('a job that cannot even open its git cache leaves no row "in progress"', async () => {
    const repo = await world('no-cache');
    // A repository (it has HEAD) whose objects directory is a file: the cache cannot store
    // or read an object there. (A path without HEAD is not enough: the cache starts that afresh.)
    const gitdir = join(h.cacheDir, 'acme', `${repo.split('/')[1]}.git`);
    mkdirSync(gitdir, { recursive: true });
    writeFileSync(join(gitdir, 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(gitdir, 'objects'), 'not a directory');
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.2']));
    await h.idle();
    const rows = statusRows(h.sim, repo, number);
    expect(rows).toEqual([expect.objectContaining({ target: 'v1.2', state: 'failed' })]);
    expect(rows[0]!.error?.code).toBe('corrupt-object');
    expect(h.logs.some((l) => l.includes('backport job failed') && l.includes(repo))).toBe(true);
    expect(h.sim.violations).toEqual([]);
  });

  it("across every scenario above: pushes only to the app's own branches, and no token in any log or body", () => {
    const accepted = h.sim.pushLog.filter((p) => p.accepted);
    expect(accepted.length).toBeGreaterThan(5);
    for (const p of accepted) expect(p.ref).toMatch(/^refs\/heads\/backport\//);

    // The tokens the app really used (every push carried one) are among those checked.
    const used = h.sim.pushLog.map((p) => p.token).filter((t) => t !== null);
    expect(used.length).toBeGreaterThan(0);
    for (const t of used) expect(h.sim.state.tokens.has(t)).toBe(true);
    expectNoTokenLeak(h.sim, h.logs);
    // The logs did record failures (so the scan looked at error lines too).
    expect(h.logs.some((l) => l.includes('"level":"error"') || l.includes('"level":"warn"'))).toBe(true);
  });
});
