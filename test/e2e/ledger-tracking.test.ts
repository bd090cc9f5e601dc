// The "Backport status" issue on the simulated GitHub: made once, rewritten in place, and
// written once for a burst of events, whether the burst ends by the debounce window or by a
// flush.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { GitHubSim } from '../../tools/github-sim/index.js';
import { startLedgerHarness, type LedgerHarness } from './ledger-harness.js';

const REPO = 'acme/widgets';
const lines = (n: number, change: Record<number, string> = {}) =>
  Array.from({ length: n }, (_, i) => change[i + 1] ?? `line ${i + 1}`).join('\n') + '\n';

async function world(sim: GitHubSim): Promise<void> {
  await sim.createRepo({ owner: 'acme', name: 'widgets' });
  await sim.commitFiles(REPO, {
    branch: 'main',
    files: { 'src/a.c': lines(40), '.github/backport.yml': 'branches: [v1.2]\n' },
    message: 'initial',
  });
  await sim.createBranch(REPO, 'v1.2', 'main');
  sim.addCollaborator(REPO, 'maint', 'maintain');
  sim.addCollaborator(REPO, 'alice', 'write');
}

async function openPull(sim: GitHubSim, name: string, line: number, labels: string[]): Promise<number> {
  await sim.commitFiles(REPO, {
    branch: name,
    files: { 'src/a.c': lines(40, { [line]: `line ${line} fixed` }) },
    message: `fix: ${name}`,
    author: 'alice',
  });
  return sim.createPull({
    repo: REPO,
    head: name,
    base: 'main',
    title: `Fix ${name}`,
    user: 'alice',
    labels,
  });
}

function tracking(sim: GitHubSim) {
  return sim.issues(REPO).filter((i) => i.title === 'Backport status');
}

/** Every write to the tracking issue: the app files no other issue in these tests. */
function writes(sim: GitHubSim): number {
  const number = tracking(sim)[0]?.number;
  return sim.requestLog.filter(
    (r) =>
      (r.operationId === 'issues/create' && r.status === 201) ||
      (r.operationId === 'issues/update' && r.path === `/repos/${REPO}/issues/${number}`),
  ).length;
}

async function waitFor(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!ok()) throw new Error(`timed out waiting for ${what}`);
}

describe('the tracking issue, flushed', () => {
  let h: LedgerHarness;
  beforeAll(async () => {
    h = await startLedgerHarness();
    await world(h.sim);
  });
  afterAll(() => h?.stop());

  it('is created once, then rewritten in place with the branch, its open items and latency', async () => {
    const { sim } = h;
    const n = await openPull(sim, 'overflow', 5, ['backport-to: v1.2']);
    await sim.mergePull({ repo: REPO, number: n, method: 'squash', mergedBy: 'maint' });
    await h.settle();
    expect(tracking(sim)).toHaveLength(1);
    const issue = tracking(sim)[0]!;
    expect(issue.user).toBe(sim.botLogin);
    expect(issue.body).toContain('**1 open PR · 0 conflicts · 0 missing fixes**');
    const backport = sim.pulls(REPO).find((p) => p.pull?.baseRef === 'v1.2')!;
    expect(issue.body).toContain(`- Oldest open: [#${backport.number}]`);
    expect(issue.body).toContain(`(<${h.url}/backport/acme/widgets>)`);
    expect(writes(sim)).toBe(1);

    await sim.mergePull({ repo: REPO, number: backport.number, method: 'squash', mergedBy: 'maint' });
    await h.settle();
    expect(tracking(sim)).toEqual([expect.objectContaining({ number: issue.number })]);
    const body = tracking(sim)[0]!.body!;
    expect(body).toContain('**0 open PRs · 0 conflicts · 0 missing fixes**');
    expect(body).toMatch(/- Latency over the last 90 days \(1 backport\): median \d+m, p90 \d+m\./);
    expect(body).not.toContain('Oldest open');
    expect(writes(sim)).toBe(2);
  });

  it('is not filed in a repository with no supported branch and no backport', async () => {
    const { sim } = h;
    await sim.createRepo({ owner: 'acme', name: 'plain' });
    await sim.commitFiles('acme/plain', { branch: 'main', files: { 'a.txt': 'one\n' }, message: 'initial' });
    await sim.commitFiles('acme/plain', { branch: 'docs', files: { 'a.txt': 'two\n' }, message: 'docs' });
    const n = await sim.createPull({
      repo: 'acme/plain',
      head: 'docs',
      base: 'main',
      title: 'Docs',
      user: 'alice',
    });
    await sim.mergePull({ repo: 'acme/plain', number: n, method: 'squash', mergedBy: 'alice' });
    await h.settle();
    expect(await h.ledger.store.repo('acme/plain')).toBeDefined();
    expect(sim.issues('acme/plain')).toEqual([]);
  });

  it('writes once for 50 events that arrive at once', async () => {
    const { sim } = h;
    const n = await openPull(sim, 'burst', 20, []);
    await h.settle();
    const before = { writes: writes(sim), touches: h.ledger.stats.touches };
    const statuses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => sim.addLabel(REPO, n, `area-${i}`, 'maint')),
    );
    expect(statuses.map((d) => d?.status)).toEqual(Array(50).fill(200));
    // Every event reached the ledger and asked for an update…
    expect(h.ledger.stats.touches - before.touches).toBe(50);
    await h.settle();
    // …and the issue was written once.
    expect(writes(sim) - before.writes).toBe(1);
    expect(sim.violations).toEqual([]);
  });
});

describe('the tracking issue, left to its debounce window', () => {
  let h: LedgerHarness;
  beforeAll(async () => {
    h = await startLedgerHarness({ debounceMs: 1000 });
    await world(h.sim);
  });
  afterAll(() => h?.stop());

  it('is written on its own once a burst is over, once per burst', async () => {
    const { sim } = h;
    const n = await openPull(sim, 'overflow', 5, []);
    await waitFor('the tracking issue', () => tracking(sim).length === 1);
    await h.sim.settle();
    const before = writes(sim);
    expect(before).toBe(1);

    await Promise.all(Array.from({ length: 50 }, (_, i) => sim.addLabel(REPO, n, `area-${i}`, 'maint')));
    await waitFor('the update', () => writes(sim) > before);
    // Another window passes with no event: nothing more is written.
    await new Promise((r) => setTimeout(r, 1500));
    expect(writes(sim)).toBe(before + 1);
    expect(tracking(sim)).toHaveLength(1);
  });
});
