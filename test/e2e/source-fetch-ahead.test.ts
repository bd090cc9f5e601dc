import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './app-harness.js';
import { gitAsync, gitShow } from './git-async.js';
import {
  backportPulls,
  fetchesSince,
  holdUntilArrives,
  lines,
  makeRepo,
  mergedPull,
  openPull,
  statusRow,
} from './world.js';

/** How long a held configuration read waits for the fetch before it is let go anyway. */
const HOLD_LIMIT_MS = 10_000;

/**
 * On a warm cache the merged commit is fetched by its id as soon as the pull request has
 * answered, beside the configuration's reads, not after them and the ref discovery that
 * waits for them. The test holds every configuration read of the job until an upload-pack
 * `fetch` arrives: the fetch must come while they are held. (Were the fetch still behind the
 * configuration, the reads would be let go only after HOLD_LIMIT_MS, and the test fail.)
 */
describe('a warm backport fetches the merged commit beside the configuration reads', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  /** A repository whose first backport (of `fix-one`) has filled the cache and the remembered capabilities. */
  async function warmRepo(name: string) {
    const repo = await makeRepo(h.sim, name, {
      files: { 'src/calc.c': lines(30), 'README.md': 'calc\n' },
      branches: { 'v1.2': { 'NOTES.md': 'release notes\n' } },
    });
    const first = await mergedPull(h.sim, repo, {
      branch: 'fix-one',
      commits: [{ 'src/calc.c': lines(30, { 1: 'line 1 fixed' }) }],
      labels: ['backport-to: v1.2'],
    });
    return { repo, first };
  }

  /** The tip of the backport PR that `number`'s backport to v1.2 opened. */
  async function backportTip(repo: string, number: number): Promise<string> {
    const [pull] = backportPulls(h.sim, repo, 'v1.2').filter((p) => p.pull!.headRef.includes(`${number}-`));
    return (await h.sim.resolve(repo, `refs/heads/${pull!.pull!.headRef}`))!;
  }

  it.each<['squash' | 'rebase', number]>([
    ['squash', 1],
    ['rebase', 3],
  ])('%s merge of %i commit(s)', async (method, count) => {
    const { repo } = await warmRepo(`ahead-${method}`);
    const fixed: Record<number, string> = { 1: 'line 1 fixed' };
    const commits = Array.from({ length: count }, (_, i) => {
      fixed[10 + i] = `line ${10 + i} fixed`;
      return { 'src/calc.c': lines(30, { ...fixed }) };
    });
    const number = await openPull(h.sim, repo, { branch: 'fix-two', commits, labels: ['backport-to: v1.2'] });
    // The open PR's preview runs unheld: only the backport job's reads are held.
    await h.idle();

    const { order, restore } = holdUntilArrives(h.sim, {
      held: (method, url) => method === 'GET' && url.pathname.includes('/contents/.github'),
      awaited: (method, url) => method === 'POST' && url.pathname === `/${repo}.git/git-upload-pack`,
      limitMs: HOLD_LIMIT_MS,
    });
    const from = h.sim.requestLog.length;
    try {
      await h.sim.mergePull({ repo, number, method, mergedBy: 'maint' });
      await h.idle();
    } finally {
      restore();
    }
    // The configuration's reads (side by side, both held) come first, then the fetch, before
    // any of them is answered.
    expect(order[0]).toBe('held');
    expect(order.indexOf('awaited')).toBeGreaterThan(0);
    expect(order.indexOf('awaited')).toBeLessThan(order.indexOf('released'));
    expect(order).not.toContain('timed out');
    // One ls-refs for the job (and one of the target alone, beside the push), and one fetch
    // of commits and trees: the fetch by id. (Blobs the pick reads come in requests of their
    // own, unfiltered.)
    const uploads = h.sim.requestLog.slice(from).filter((e) => e.operationId === 'git/upload-pack');
    expect(uploads.filter((e) => e.upload!.command === 'ls-refs')).toHaveLength(2);
    const trees = uploads.filter((e) => e.upload!.command === 'fetch' && e.upload!.filter !== undefined);
    expect(trees.map((e) => e.upload)).toEqual([
      expect.objectContaining({ filter: 'blob:none', deepen: count + 1, wants: 1 }),
    ]);

    expect(statusRow(h.sim, repo, number, 'v1.2').state).toBe('opened');
    const tip = await backportTip(repo, number);
    const calc = await gitShow(h.sim.repoPath(repo), `${tip}:src/calc.c`);
    for (let i = 0; i < count; i++) expect(calc).toContain(`line ${10 + i} fixed`);
    expect(await gitShow(h.sim.repoPath(repo), `${tip}:NOTES.md`)).toBe('release notes\n');
    expect(h.sim.violations).toEqual([]);
  });

  it("starts that fetch from the webhook's merge commit, before GitHub answers for the PR", async () => {
    const { repo } = await warmRepo('ahead-of-pull');
    const number = await openPull(h.sim, repo, {
      branch: 'fix-two',
      commits: [{ 'src/calc.c': lines(30, { 1: 'line 1 fixed', 20: 'line 20 fixed' }) }],
      labels: ['backport-to: v1.2'],
    });
    await h.idle();

    // The job's read of the PR is held until an upload-pack arrives: only a fetch started
    // from the webhook's merge commit can come first (the ls-refs waits for the PR too).
    const { order, restore } = holdUntilArrives(h.sim, {
      held: (method, url) => method === 'GET' && url.pathname === `/repos/${repo}/pulls/${number}`,
      awaited: (method, url) => method === 'POST' && url.pathname === `/${repo}.git/git-upload-pack`,
      limitMs: HOLD_LIMIT_MS,
    });
    const from = h.sim.requestLog.length;
    try {
      await h.sim.mergePull({ repo, number, method: 'squash', mergedBy: 'maint' });
      await h.idle();
    } finally {
      restore();
    }
    expect(order).toContain('released');
    expect(order).not.toContain('timed out');
    // Still one fetch of commits and trees: the one started from the webhook was used.
    const trees = fetchesSince(h.sim, from).filter((f) => f.filter !== undefined);
    expect(trees).toEqual([{ filter: 'blob:none', wants: 1 }]);
    expect(statusRow(h.sim, repo, number, 'v1.2').state).toBe('opened');
    const tip = await backportTip(repo, number);
    expect(await gitShow(h.sim.repoPath(repo), `${tip}:src/calc.c`)).toContain('line 20 fixed');
    expect(h.sim.violations).toEqual([]);
  });

  it('picks the merge GitHub names for the PR when the webhook named another commit', async () => {
    const { repo, first } = await warmRepo('other-hint');
    // Merged without a label: no job yet.
    const second = await mergedPull(h.sim, repo, {
      branch: 'fix-two',
      commits: [{ 'src/calc.c': lines(30, { 1: 'line 1 fixed', 20: 'line 20 fixed' }) }],
    });
    await h.idle();
    const closed = h.sim.deliveries.findLast(
      (d) =>
        d.event === 'pull_request' && d.action === 'closed' && JSON.parse(d.body).number === second.number,
    )!;
    // The label is put on through the API, which sends no webhook here; the webhook that
    // says so is then delivered with the first PR's merge commit in place of the second's.
    const token = h.sim.createInstallationToken(repo.split('/')[0]!);
    const put = await fetch(`${h.sim.apiUrl}/repos/${repo}/issues/${second.number}/labels`, {
      method: 'POST',
      headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ labels: ['backport-to: v1.2'] }),
    });
    expect(put.status).toBe(200);
    const payload = JSON.parse(closed.body) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(payload.pull_request.merge_commit_sha).toBe(second.mergeSha);
    payload.action = 'labeled';
    payload.label = { name: 'backport-to: v1.2' };
    payload.pull_request.merge_commit_sha = first.mergeSha;
    payload.pull_request.labels = [{ name: 'backport-to: v1.2' }];
    expect(await h.sim.deliver('pull_request', payload)).toBe(200);
    await h.idle();

    expect(statusRow(h.sim, repo, second.number, 'v1.2').state).toBe('opened');
    const pulls = backportPulls(h.sim, repo, 'v1.2').filter((p) =>
      p.pull!.headRef.includes(`${second.number}-`),
    );
    expect(pulls).toHaveLength(1);
    const tip = (await h.sim.resolve(repo, `refs/heads/${pulls[0]!.pull!.headRef}`))!;
    expect(await gitShow(h.sim.repoPath(repo), `${tip}:src/calc.c`)).toContain('line 20 fixed');
    // The commit picked is the second PR's merge: its message, not the first's.
    expect(await gitAsync(h.sim.repoPath(repo), ['log', '-1', '--format=%B', tip])).toContain(
      `(cherry picked from commit ${second.mergeSha})`,
    );
    expect(h.sim.violations).toEqual([]);
  });
});
