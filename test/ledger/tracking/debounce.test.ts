import { describe, expect, it } from '@jest/globals';
import { findMarker } from '../../../src/render/marker.js';
import { Debouncer } from '../../../src/ledger/tracking/debounce.js';
import { LedgerStore } from '../../../src/ledger/ledger-store.js';
import type { IssueRecord, TrackingIssueApi } from '../../../src/ledger/tracking/tracking-issue-sync.js';
import { createTrackingUpdater } from '../../../src/ledger/tracking/tracking-updater.js';
import { REPO, at, sourcePr } from '../fact-builders.js';
import { ManualClock, settle } from '../manual-clock.js';

function recorder(clock: ManualClock) {
  const runs: [string, number][] = [];
  return { runs, run: async (key: string) => void runs.push([key, clock.now()]) };
}

describe('debouncer', () => {
  it('turns 50 events at once into one run after the quiet period', async () => {
    const clock = new ManualClock();
    const r = recorder(clock);
    const d = new Debouncer({ run: r.run, clock, waitMs: 5_000, maxWaitMs: 30_000 });
    for (let i = 0; i < 50; i++) d.trigger('a/b');
    await clock.advance(4_999);
    expect(r.runs).toEqual([]);
    await clock.advance(1);
    expect(r.runs).toEqual([['a/b', 5_000]]);
    await clock.advance(60_000);
    expect(r.runs).toHaveLength(1);
  });

  it('still runs at least every maxWait during a steady stream, per key', async () => {
    const clock = new ManualClock();
    const r = recorder(clock);
    const d = new Debouncer({ run: r.run, clock, waitMs: 5_000, maxWaitMs: 12_000 });
    for (let t = 0; t < 30_000; t += 1_000) {
      d.trigger('a/b');
      if (t === 0) d.trigger('c/d');
      await clock.advance(1_000);
    }
    await clock.advance(10_000);
    // a/b: bursts end at the 12 s cap (12 000, then 12 000 + 12 000), then 5 s after the last event.
    expect(r.runs.filter(([k]) => k === 'a/b').map(([, t]) => t)).toEqual([12_000, 24_000, 34_000]);
    expect(r.runs.filter(([k]) => k === 'c/d').map(([, t]) => t)).toEqual([5_000]);
  });

  it('never overlaps runs of one key, and runs once more for events during a run', async () => {
    const clock = new ManualClock();
    let release: () => void = () => {};
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const d = new Debouncer({
      clock,
      waitMs: 100,
      run: async () => {
        runs++;
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise<void>((resolve) => (release = resolve));
        active--;
      },
    });
    d.trigger('k');
    await clock.advance(100);
    for (let i = 0; i < 10; i++) d.trigger('k');
    release();
    await settle();
    await clock.advance(100);
    expect(runs).toBe(2);
    release();
    await settle();
    expect(maxActive).toBe(1);
    expect(d.pending()).toEqual([]);
  });

  it('flushes pending work at once and reports failures without throwing', async () => {
    const clock = new ManualClock();
    const errors: string[] = [];
    const done: string[] = [];
    const d = new Debouncer({
      clock,
      run: async (key) => {
        if (key === 'bad') throw new Error('boom');
        done.push(key);
      },
      onError: (key, err) => errors.push(`${key}: ${(err as Error).message}`),
    });
    d.trigger('x');
    d.trigger('bad');
    expect(d.pending()).toEqual(['bad', 'x']);
    await d.close();
    expect(done).toEqual(['x']);
    expect(errors).toEqual(['bad: boom']);
    expect(clock.scheduled()).toBe(0);
    d.trigger('y');
    expect(d.pending()).toEqual([]);
  });
});

/** An in-memory stand-in for the issues API of one repository, counting writes. */
class IssuesFake implements TrackingIssueApi {
  issues: IssueRecord[] = [];
  creates = 0;
  updates = 0;
  async getIssue(n: number) {
    return this.issues.find((i) => i.number === n) ?? null;
  }
  async listOwnIssues() {
    return [...this.issues].reverse();
  }
  async createIssue(_title: string, body: string) {
    this.creates++;
    const issue: IssueRecord = { number: this.issues.length + 1, state: 'open', body };
    this.issues.push(issue);
    return issue;
  }
  async updateIssue(n: number, body: string) {
    this.updates++;
    (this.issues.find((i) => i.number === n) as IssueRecord).body = body;
  }
}

/** An in-memory ledger that knows REPO: public, its default branch main. */
async function storeWithRepo(): Promise<LedgerStore> {
  const store = await LedgerStore.openFile(':memory:');
  await store.upsertRepo({
    repo: REPO,
    private: false,
    htmlUrl: `https://github.com/${REPO}`,
    defaultBranch: 'main',
  });
  return store;
}

describe('tracking issue updates', () => {
  it('stay debounced: 50 events at once give one issue write', async () => {
    const clock = new ManualClock();
    const store = await storeWithRepo();
    const fake = new IssuesFake();
    const updater = createTrackingUpdater({
      store,
      api: async () => fake,
      clock,
      now: () => new Date(at(100)),
    });
    for (let i = 1; i <= 50; i++) {
      await store.applyFacts([sourcePr({ number: i, mergedAt: at(i), labels: ['backport-to: v1'] })]);
      updater.touch(REPO);
    }
    await clock.advance(5_000);
    expect(fake.creates + fake.updates).toBe(1);
    expect(findMarker(fake.issues[0]!.body, 'tracking-issue')).toBeDefined();
    expect(fake.issues[0]!.body).toContain('50 requests not picked yet');
    expect((await store.repo(REPO))?.trackingIssue).toBe(1);

    // The next burst edits the same issue, and a burst that changes nothing writes nothing.
    for (let i = 0; i < 50; i++) updater.touch(REPO);
    await updater.flush();
    expect([fake.creates, fake.updates]).toEqual([1, 0]);
    await store.applyFacts([sourcePr({ number: 51, mergedAt: at(51), labels: ['backport-to: v1'] })]);
    updater.touch(REPO);
    await updater.close();
    expect([fake.creates, fake.updates]).toEqual([1, 1]);
    await store.close();
  });

  it('finds its issue by marker when the stored number is lost', async () => {
    const store = await storeWithRepo();
    const fake = new IssuesFake();
    fake.issues.push({ number: 1, state: 'open', body: 'Backport status (someone else’s, no marker)' });
    const first = createTrackingUpdater({ store, api: async () => fake });
    first.touch(REPO);
    await first.close();
    expect(fake.issues.map((i) => i.number)).toEqual([1, 2]);

    await store.setTrackingIssue(REPO, null);
    await store.applyFacts([sourcePr({ number: 9, mergedAt: at(1), labels: ['backport-to: v1'] })]);
    const second = createTrackingUpdater({ store, api: async () => fake });
    second.touch(REPO);
    await second.close();
    expect([fake.creates, fake.updates]).toEqual([1, 1]);
    expect((await store.repo(REPO))?.trackingIssue).toBe(2);
    await store.close();
  });
});
