// Two app instances writing one ledger in PostgreSQL at the same time. Each store here has a
// connection pool of its own, as each instance has; their statements interleave on the
// server. Whatever the interleaving, the ledger must end as if the facts had been applied one
// after another: per identity the newest fact, as the reducer chooses it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openDatabase } from '../../src/database/open-database.js';
import type { Fact } from '../../src/ledger/ledger-facts.js';
import { factKey, latestFacts } from '../../src/ledger/ledger-facts.js';
import { LedgerStore } from '../../src/ledger/ledger-store.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { REPO, at, backportPr, prChecks, request, shuffled, sourcePr } from './fact-builders.js';

const ITEMS = 12;

/**
 * Several versions of each item, out of order: a source PR labelled, merged; its backport PR
 * opened, merged; its request; and pairs stamped with one second where only "further along"
 * decides (a close and the label change that caused it).
 */
function versions(): Fact[] {
  const facts: Fact[] = [];
  for (let n = 1; n <= ITEMS; n++) {
    const bp = 100 + n;
    facts.push(
      sourcePr({ number: n, updatedAt: at(n) }),
      sourcePr({ number: n, labels: ['backport-to: v1'], updatedAt: at(n + 1) }),
      sourcePr({ number: n, labels: ['backport-to: v1'], mergedAt: at(n + 2) }),
      // Same second as the merge, not merged: must lose to it.
      sourcePr({
        number: n,
        labels: ['backport-to: v1'],
        state: 'closed',
        closedAt: at(n + 2),
        updatedAt: at(n + 2),
      }),
      request({ source: n, target: 'v1', updatedAt: at(n + 1) }),
      request({ source: n, target: 'v1', updatedAt: at(n + 3) }),
      // Checks of one head read twice in one second: the settled state wins.
      prChecks({ number: bp, state: 'pending', updatedAt: at(n + 5) }),
      prChecks({ number: bp, state: 'success', updatedAt: at(n + 5) }),
      backportPr({ number: bp, source: n, target: 'v1', createdAt: at(n + 4) }),
      backportPr({ number: bp, source: n, target: 'v1', createdAt: at(n + 4), mergedAt: at(n + 6) }),
      backportPr({ number: bp, source: n, target: 'v1', createdAt: at(n + 4), closedAt: at(n + 6) }),
      backportPr({ number: bp, source: n, target: 'v1', createdAt: at(n + 4), updatedAt: at(n + 5) }),
    );
  }
  return facts;
}

const byKey = (facts: Fact[]) => [...facts].sort((a, b) => (factKey(a) < factKey(b) ? -1 : 1));

describe('one ledger in PostgreSQL, written by two instances at once', () => {
  let pg: TestDatabase;
  beforeAll(async () => {
    pg = await createTestDatabase();
  });
  afterAll(() => pg.drop());

  /** A store as an instance opens it: its own pool on the shared database. */
  const instance = async () =>
    LedgerStore.open(openDatabase({ url: pg.url, sqlitePath: 'unused' }), { ownsDatabase: true });

  /** Empties the shared ledger between rounds (the schema stays). */
  async function clear(store: LedgerStore): Promise<void> {
    await store.forgetRepo(REPO);
  }

  it('ends with the sequential result whatever the interleaving', async () => {
    const all = versions();
    const [a, b] = await Promise.all([instance(), instance()]);
    try {
      // The sequential result, from one writer, one fact after another.
      for (const f of all) await a.applyFacts([f]);
      const sequential = byKey(await a.facts(REPO));
      expect(sequential).toEqual(byKey(latestFacts(all)));
      const sequentialLedger = await a.ledger(REPO);

      for (let round = 1; round <= 4; round++) {
        await clear(a);
        // Each instance gets every fact (every webhook reaches both), in an order of its own,
        // one delivery per call and all of them in flight together.
        await Promise.all([
          ...shuffled(all, round).map((f) => a.applyFacts([f])),
          ...shuffled(all, 100 + round).map((f) => b.applyFacts([f])),
        ]);
        expect(byKey(await b.facts(REPO))).toEqual(sequential);
        expect(await b.ledger(REPO)).toEqual(sequentialLedger);
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('keeps the newest fact when a rebuild races the webhooks of another instance', async () => {
    const all = versions();
    const newest = latestFacts(all);
    const [a, b] = await Promise.all([instance(), instance()]);
    try {
      for (let round = 1; round <= 3; round++) {
        await clear(a);
        // A rebuilds from a snapshot of GitHub (some version of each item, perhaps an old
        // one) while B applies every version, in batches of several items in an order of its
        // own. The rebuild started before any of them, so it forgets nothing.
        const snapshot = [...new Map(shuffled(all, round).map((f) => [factKey(f), f])).values()];
        const batches: Fact[][] = [];
        const order = shuffled(all, 7 * round);
        for (let i = 0; i < order.length; i += 5) batches.push(order.slice(i, i + 5));
        await Promise.all([
          a.rebuildRepo(REPO, snapshot, at(0)),
          ...batches.map((batch) => b.applyFacts(batch)),
        ]);
        expect(byKey(await a.facts(REPO))).toEqual(byKey(newest));
      }
    } finally {
      await a.close();
      await b.close();
    }
  });
});
