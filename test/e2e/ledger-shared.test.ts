// Two instances of the app behind one PostgreSQL database (DATABASE_URL): GitHub's webhooks
// reach only instance A, yet the backport they record shows in instance B's ledger, its
// dashboard pages and its answer to a later event, because both read and write one ledger.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LedgerService } from '../../src/ledger/ledger-service.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { startLedgerHarness, type LedgerHarness } from './ledger-harness.js';

const REPO = 'acme/widgets';
const lines = (n: number, change: Record<number, string> = {}) =>
  Array.from({ length: n }, (_, i) => change[i + 1] ?? `line ${i + 1}`).join('\n') + '\n';

let pg: TestDatabase;
let h: LedgerHarness;
let b: { url: string; ledger: LedgerService };

beforeAll(async () => {
  pg = await createTestDatabase();
  h = await startLedgerHarness({ databaseUrl: pg.url, signIn: false });
  b = await h.addInstance();
  const { sim } = h;
  await sim.createRepo({ owner: 'acme', name: 'widgets' });
  await sim.commitFiles(REPO, { branch: 'main', files: { 'a.c': lines(40) }, message: 'initial' });
  await sim.createBranch(REPO, 'v1.2', 'main');
  sim.addCollaborator(REPO, 'maint', 'maintain');
}, 120_000);
afterAll(async () => {
  await h?.stop();
  await pg?.drop();
});

async function mergeFix(line: number): Promise<number> {
  const { sim } = h;
  await sim.commitFiles(REPO, {
    branch: `fix-${line}`,
    files: { 'a.c': lines(40, { [line]: `line ${line} fixed` }) },
    message: `fix: line ${line}`,
    author: 'maint',
  });
  const n = await sim.createPull({
    repo: REPO,
    head: `fix-${line}`,
    base: 'main',
    title: `Fix line ${line}`,
    user: 'maint',
    labels: ['backport-to: v1.2'],
  });
  await sim.mergePull({ repo: REPO, number: n, method: 'squash', mergedBy: 'maint' });
  await h.settle();
  return n;
}

describe('one ledger shared by two instances in PostgreSQL', () => {
  it('shows a backport recorded by instance A in instance B’s ledger and dashboard', async () => {
    const source = await mergeFix(5);
    const backport = h.sim.pulls(REPO).find((p) => p.pull?.baseRef === 'v1.2')!;
    expect(backport).toBeDefined();

    const seenByB = (await b.ledger.store.ledger(REPO)).find(
      (i) => i.source === source && i.target === 'v1.2',
    );
    expect(seenByB).toMatchObject({ state: 'pr-open', backportPr: { number: backport.number } });
    expect(await b.ledger.store.ledger(REPO)).toEqual(await h.ledger.store.ledger(REPO));

    const list = await fetch(`${b.url}/backport/`);
    expect(list.status).toBe(200);
    expect(await list.text()).toContain(REPO);
    const page = await fetch(`${b.url}/backport/${REPO}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`/pull/${backport.number}`);
  });

  it('lets instance B carry on where A left off: a later event B receives knows the repository', async () => {
    // B answers a webhook of a repository A already read in full: no rebuild from GitHub.
    const rebuildsBefore = b.ledger.stats.rebuilds;
    await b.ledger.onRepository({
      repo: REPO,
      private: false,
      htmlUrl: `https://github.com/${REPO}`,
      defaultBranch: 'main',
    });
    await b.ledger.flush();
    expect(b.ledger.stats.rebuilds).toBe(rebuildsBefore);
    expect(await b.ledger.store.rebuiltAt(REPO)).not.toBeNull();
  });
});
