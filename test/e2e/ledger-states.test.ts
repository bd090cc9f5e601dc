// Every state of the release managers' ledger, reached through the simulated GitHub as people
// and the app really move a backport along (labels, merges, the app's PRs and issues, closes),
// and the same ledger read back from GitHub alone after the database is lost.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LedgerItem } from '../../src/ledger/ledger-item.js';
import { comparableLedger, startLedgerHarness, type LedgerHarness } from './ledger-harness.js';

const REPO = 'acme/widgets';
const FILES = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
const lines = (n: number, change: Record<number, string> = {}) =>
  Array.from({ length: n }, (_, i) => change[i + 1] ?? `line ${i + 1}`).join('\n') + '\n';

let h: LedgerHarness;
const pr: Record<string, number> = {};

/** A PR by alice changing one line of its own file (so merges never collide), with labels. */
async function openFix(name: string, file: string, line: number, labels: string[]): Promise<number> {
  await h.sim.commitFiles(REPO, {
    branch: `fix-${name}`,
    files: { [file]: lines(40, { [line]: `line ${line} fixed by ${name}` }) },
    message: `fix: ${name}`,
    author: 'alice',
  });
  pr[name] = await h.sim.createPull({
    repo: REPO,
    head: `fix-${name}`,
    base: 'main',
    title: `Fix ${name}`,
    user: 'alice',
    labels,
  });
  return pr[name]!;
}

const merge = (number: number) =>
  h.sim.mergePull({ repo: REPO, number, method: 'squash', mergedBy: 'maint' });

async function state(
  source: number,
  target: string,
): Promise<Pick<LedgerItem, 'state' | 'reason'> | undefined> {
  const item = await h.item(source, target);
  return item && { state: item.state, reason: item.reason };
}

beforeAll(async () => {
  h = await startLedgerHarness();
  const { sim } = h;
  await sim.createRepo({ owner: 'acme', name: 'widgets' });
  await sim.commitFiles(REPO, {
    branch: 'main',
    files: Object.fromEntries([...FILES.map((f) => [`src/${f}.c`, lines(40)]), ['src/calc.c', lines(40)]]),
    message: 'initial',
  });
  for (const b of ['v1.1', 'v1.2', 'v1.3']) await sim.createBranch(REPO, b, 'main');
  // v1.1 changed line 20 of calc.c, so a fix there needs a person on v1.1.
  await sim.commitFiles(REPO, {
    branch: 'v1.1',
    files: { 'src/calc.c': lines(40, { 20: 'line 20 (1.1 hotfix)' }) },
    message: 'hotfix on 1.1',
  });
  sim.addCollaborator(REPO, 'maint', 'maintain');
  sim.addCollaborator(REPO, 'alice', 'write');
});
afterAll(() => h?.stop());

describe('ledger states, driven through GitHub', () => {
  it('requested → PR open (with its checks) → merged, with the latency', async () => {
    const n = await openFix('overflow', 'src/a.c', 5, ['backport-to: v1.2']);
    await h.settle();
    // Asked for on a PR not merged yet: requested, and nobody is waiting on it.
    expect(await h.item(n, 'v1.2')).toMatchObject({
      state: 'requested',
      reason: 'requested',
      sourceMergedAt: null,
    });

    await merge(n);
    await h.settle();
    const open = (await h.item(n, 'v1.2'))!;
    expect(open).toMatchObject({ state: 'pr-open', reason: 'pr-open', sourceTitle: 'Fix overflow' });
    const backport = h.sim.pulls(REPO).find((p) => p.pull?.headRef === `backport/${n}-to-v1.2`)!;
    // The app's own marker check has passed on it, which is not CI: no checks yet.
    expect(open.backportPr).toMatchObject({ number: backport.number, state: 'open', checks: 'none' });
    expect(open.since).toBe(backport.createdAt);

    // CI reports on the backport's head; the next update reads it through REST.
    await h.sim.setCheckRuns(REPO, `refs/heads/backport/${n}-to-v1.2`, [
      { name: 'ci', status: 'completed', conclusion: 'failure' },
    ]);
    h.ledger.touch(REPO);
    await h.settle();
    expect((await h.item(n, 'v1.2'))!.backportPr!.checks).toBe('failure');

    await merge(backport.number);
    await h.settle();
    const merged = (await h.item(n, 'v1.2'))!;
    const source = h.sim.pulls(REPO).find((p) => p.number === n)!;
    const landed = h.sim.pulls(REPO).find((p) => p.number === backport.number)!;
    expect(merged).toMatchObject({ state: 'merged', reason: 'pr-merged', since: landed.pull!.mergedAt });
    expect(merged.latencyMs).toBe(Date.parse(landed.pull!.mergedAt!) - Date.parse(source.pull!.mergedAt!));
    expect(merged.latencyMs).toBeGreaterThan(0);
  });

  it('conflict (issue open, assignees) → abandoned when the issue is closed without a PR', async () => {
    const n = await openFix('calc', 'src/calc.c', 20, ['backport-to: v1.1']);
    await merge(n);
    await h.settle();
    const issue = h.sim.issues(REPO).find((i) => i.title.startsWith(`Backport #${n} to v1.1`))!;
    expect(await h.item(n, 'v1.1')).toMatchObject({
      state: 'conflict',
      reason: 'conflict-open',
      since: issue.createdAt,
      conflictIssue: { number: issue.number, state: 'open', assignees: ['alice', 'maint'] },
    });

    await h.sim.closeIssue(REPO, issue.number, 'maint', 'not_planned');
    await h.settle();
    expect(await h.item(n, 'v1.1')).toMatchObject({
      state: 'abandoned',
      reason: 'issue-closed',
      conflictIssue: { number: issue.number, state: 'closed' },
      backportPr: null,
    });
  });

  it('PR closed unmerged → abandoned → requested again by re-adding the label', async () => {
    const n = await openFix('parser', 'src/b.c', 7, ['backport-to: v1.3']);
    await merge(n);
    await h.settle();
    const backport = (await h.item(n, 'v1.3'))!.backportPr!;
    expect(await state(n, 'v1.3')).toEqual({ state: 'pr-open', reason: 'pr-open' });

    await h.sim.closePull(REPO, backport.number, 'maint');
    await h.settle();
    expect(await h.item(n, 'v1.3')).toMatchObject({
      state: 'abandoned',
      reason: 'pr-closed',
      backportPr: { number: backport.number, state: 'closed' },
    });

    await h.sim.removeLabel(REPO, n, 'backport-to: v1.3', 'maint');
    await h.sim.addLabel(REPO, n, 'backport-to: v1.3', 'maint');
    await h.settle();
    // The app does not reopen a PR someone closed: it says so, and the request stays open.
    expect(await state(n, 'v1.3')).toEqual({ state: 'requested', reason: 're-requested' });
    const status = h.sim.comments(REPO, n).find((c) => c.body.includes('was closed without merging'));
    expect(status).toBeDefined();
  });

  it('declined by `no-backport`, and by `no-backport-to: X` replacing a request', async () => {
    const all = await openFix('docs', 'src/c.c', 3, ['no-backport']);
    await merge(all);
    const one = await openFix('typo', 'src/d.c', 9, ['backport-to: v1.2']);
    await h.settle();
    expect(await state(one, 'v1.2')).toEqual({ state: 'requested', reason: 'requested' });

    await h.sim.removeLabel(REPO, one, 'backport-to: v1.2', 'maint');
    await h.sim.addLabel(REPO, one, 'no-backport-to: v1.2', 'maint');
    await merge(one);
    await h.settle();
    expect(await state(all, '*')).toEqual({ state: 'declined', reason: 'declined-all' });
    expect(await state(one, 'v1.2')).toEqual({ state: 'declined', reason: 'declined-target' });
    // Nothing was picked for either.
    expect(h.sim.pulls(REPO).filter((p) => p.pull?.headRef.startsWith(`backport/${one}-`))).toEqual([]);
  });

  it('a request on a PR closed without merging is abandoned', async () => {
    const n = await openFix('wontfix', 'src/e.c', 11, ['backport-to: v1.3']);
    await h.sim.closePull(REPO, n, 'maint');
    await h.settle();
    expect(await state(n, 'v1.3')).toEqual({ state: 'abandoned', reason: 'source-closed' });
  });

  it('a backport PR left open keeps its checks; the tracking issue shows each branch', async () => {
    const n = await openFix('leak', 'src/f.c', 13, ['backport-to: v1.3']);
    await merge(n);
    await h.settle();
    await h.sim.setCheckRuns(REPO, `refs/heads/backport/${n}-to-v1.3`, [
      { name: 'ci', status: 'completed', conclusion: 'success' },
    ]);
    h.ledger.touch(REPO);
    await h.settle();
    expect(await h.item(n, 'v1.3')).toMatchObject({ state: 'pr-open', backportPr: { checks: 'success' } });

    const tracking = h.sim.issues(REPO).filter((i) => i.title === 'Backport status');
    expect(tracking).toHaveLength(1);
    const body = tracking[0]!.body!;
    for (const b of ['v1.1', 'v1.2', 'v1.3']) expect(body).toContain(`## [\`${b}\`]`);
    expect(body).toContain('✅ passing');
    expect(h.sim.violations).toEqual([]);
  });
});

describe('rebuilding the ledger from GitHub', () => {
  let live: LedgerItem[];
  beforeAll(async () => {
    await h.settle();
    live = await h.ledger.store.ledger(REPO);
    // Enough of the app's own issues that the conflict issue is on the second page.
    for (let i = 0; i < 105; i++)
      await h.sim.createIssue({
        repo: REPO,
        title: `noise ${i}`,
        body: 'not a ledger issue',
        user: h.sim.botLogin,
      });
  });

  it('gives the live ledger again after a restart with the database lost', async () => {
    const reset = Math.floor(Date.now() / 1000) + 1;
    // GitHub's secondary limit in the middle of the listing: waited out, then carried on.
    const limit = h.sim.faults.add({
      operationId: 'pulls/list',
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset), 'retry-after': '1' },
      body: { message: 'API rate limit exceeded', documentation_url: 'https://docs.github.com/rest' },
      times: 1,
    });
    await h.restart({ wipeDatabase: true, rebuildWhenEmpty: true });
    await h.settle();
    expect(limit.fired).toBe(1);
    expect(h.ledger.stats.rebuilds).toBe(1);
    expect(comparableLedger(await h.ledger.store.ledger(REPO))).toEqual(comparableLedger(live));
    const pages = h.sim.requestLog.filter(
      (r) => r.operationId === 'issues/list-for-repo' && /[?&]page=2/.test(r.path),
    );
    expect(pages.length).toBeGreaterThan(0);
    // The tracking issue is found again by its marker, not opened twice.
    expect(h.sim.issues(REPO).filter((i) => i.title === 'Backport status')).toHaveLength(1);
  });

  it('gives it again when GitHub announces a new installation', async () => {
    await h.restart({ wipeDatabase: true, rebuildWhenEmpty: false });
    expect(await h.ledger.store.ledger(REPO)).toEqual([]);
    const payload = await import('../../tools/github-sim/index.js').then(
      ({ examplePayload, withOverrides }) =>
        withOverrides(examplePayload('installation', 'created'), {
          installation: { id: h.sim.installationId('acme') },
          repositories: [{ id: 1, node_id: 'R_1', name: 'widgets', full_name: REPO, private: false }],
        }),
    );
    expect(await h.sim.deliver('installation', payload)).toBe(200);
    await h.settle();
    expect(comparableLedger(await h.ledger.store.ledger(REPO))).toEqual(comparableLedger(live));
    expect(h.sim.violations).toEqual([]);
  });

  it('tries a failed rebuild again on a later event, even after a restart', async () => {
    await h.restart({ wipeDatabase: true });
    h.sim.faults.add({ operationId: 'pulls/list', status: 404, times: 1 });
    await h.sim.addLabel(REPO, pr.docs!, 'area: docs', 'maint');
    await h.settle();
    // Only what the one webhook said is known, and the store says the read is still owed.
    expect(await h.ledger.store.rebuiltAt(REPO)).toBeNull();
    expect((await h.ledger.store.ledger(REPO)).map((i) => i.source)).toEqual([pr.docs]);

    await h.restart();
    await h.sim.removeLabel(REPO, pr.docs!, 'area: docs', 'maint');
    await h.settle();
    expect(await h.ledger.store.rebuiltAt(REPO)).not.toBeNull();
    expect(comparableLedger(await h.ledger.store.ledger(REPO))).toEqual(comparableLedger(live));
  });
});
