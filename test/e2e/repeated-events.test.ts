import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './app-harness.js';
import type { Delivery } from '../../tools/github-sim/index.js';
import { repeatWorld, type RepeatWorld } from './repeat-world.js';
import { conflictIssues, expectNoTokenLeak, fix, mergedPull, statusRow } from './world.js';

/**
 * GitHub redelivers, duplicates and reorders webhooks, and (with apiWebhooks) the app's own
 * writes send more of them. Whatever arrives, each (PR, target) ends with exactly one backport
 * PR or one conflict issue, found again rather than made twice.
 */
describe('repeated, duplicated and reordered events', () => {
  let h: Harness;
  let w: RepeatWorld;
  beforeAll(async () => {
    h = await startHarness({ apiWebhooks: true, fastRetry: {} });
    w = repeatWorld(h);
  });
  afterAll(() => h.stop());

  it('a redelivered closed event (same id, same bytes) finds and links what the first made', async () => {
    const repo = await w.world('redeliver');
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.2', 'backport-to: v1.1']));
    await w.quiet();
    const closed = h.sim.deliveries.find(
      (d) => d.event === 'pull_request' && d.action === 'closed' && d.body.includes(`"full_name":"${repo}"`),
    )!;
    expect(await h.sim.redeliver(closed.id)).toBe(200);
    expect(await h.sim.redeliver(closed.id)).toBe(200);
    await w.quiet();
    w.expectOneEach(repo, number, ['v1.2'], ['v1.1']);
    expect(statusRow(h.sim, repo, number, 'v1.1')).toMatchObject({
      state: 'conflict',
      link: { number: conflictIssues(h.sim, repo, 'v1.1')[0]!.number },
    });
    expect(h.sim.violations).toEqual([]);
  });

  it('the same event delivered three times at once still makes one PR per target', async () => {
    const repo = await w.world('burst');
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.2', 'backport-to: v1.3']));
    const closed = h.sim.deliveries.filter(
      (d) => d.action === 'closed' && d.body.includes(`"full_name":"${repo}"`),
    );
    await Promise.all([0, 1, 2].map(() => h.sim.redeliver(closed[0]!.id)));
    await w.quiet();
    w.expectOneEach(repo, number, ['v1.2', 'v1.3']);
    expect(h.sim.violations).toEqual([]);
  });

  it('a label removed and added again links the existing PR instead of opening another', async () => {
    const repo = await w.world('relabel');
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.2']));
    await w.quiet();
    const first = statusRow(h.sim, repo, number, 'v1.2');
    await h.sim.removeLabel(repo, number, 'backport-to: v1.2', 'maint');
    await h.sim.addLabel(repo, number, 'backport-to: v1.2', 'maint');
    await w.quiet();
    w.expectOneEach(repo, number, ['v1.2']);
    expect(statusRow(h.sim, repo, number, 'v1.2').link).toEqual(first.link);
    expect(h.sim.violations).toEqual([]);
  });

  /** Runs `act` with webhooks going nowhere and returns what would have been delivered. */
  async function captured(act: () => Promise<unknown>): Promise<Delivery[]> {
    const url = h.sim.webhookUrl;
    const from = h.sim.deliveries.length;
    h.sim.webhookUrl = 'http://127.0.0.1:9/unreachable';
    try {
      await act();
    } finally {
      h.sim.webhookUrl = url;
    }
    return h.sim.deliveries.slice(from);
  }
  const send = (d: Delivery) => h.sim.deliver(d.event, JSON.parse(d.body) as Record<string, unknown>);

  it.each([
    ['labeled first, then closed', (l: Delivery, c: Delivery) => [l, c]],
    ['closed first, then labeled', (l: Delivery, c: Delivery) => [c, l]],
  ])('closed and labeled both arriving, %s: one PR per target', async (_, order) => {
    const repo = await w.world('order');
    let number = 0;
    const events = await captured(async () => {
      ({ number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.2'])));
      await h.sim.addLabel(repo, number, 'backport-to: v1.3', 'maint');
    });
    const closed = events.find((d) => d.action === 'closed')!;
    const labeled = events.find((d) => d.action === 'labeled' && d.body.includes('backport-to: v1.3'))!;
    for (const d of order(labeled, closed)) expect(await send(d)).toBe(200);
    await w.quiet();
    w.expectOneEach(repo, number, ['v1.2', 'v1.3']);
    expect(h.sim.violations).toEqual([]);
  });

  it('closed and labeled arriving at the same moment: one PR per target', async () => {
    const repo = await w.world('together');
    let number = 0;
    const events = await captured(async () => {
      ({ number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.2', 'backport-to: v1.1'])));
      await h.sim.addLabel(repo, number, 'backport-to: v1.3', 'maint');
    });
    const wanted = events.filter((d) => d.action === 'closed' || d.action === 'labeled');
    await Promise.all([...wanted, ...wanted].map(send));
    await w.quiet();
    w.expectOneEach(repo, number, ['v1.2', 'v1.3'], ['v1.1']);
    expect(h.sim.violations).toEqual([]);
  });

  it('/backport adds labels whose own labeled webhooks come back: still one PR per target', async () => {
    const repo = await w.world('command');
    const { number } = await mergedPull(h.sim, repo, fix([]));
    await w.quiet();
    await h.sim.comment(repo, number, '/backport v1.2 v1.3', 'maint');
    await w.quiet();
    const labeledByApp = h.sim.deliveries.filter(
      (d) =>
        d.action === 'labeled' &&
        d.body.includes(`"full_name":"${repo}"`) &&
        d.body.includes(`"login":"${h.sim.botLogin}"`),
    );
    expect(labeledByApp.length).toBeGreaterThan(0);
    w.expectOneEach(repo, number, ['v1.2', 'v1.3']);
    expect(h.sim.violations).toEqual([]);
  });

  it('leaks no token into any log line or body the app wrote', () => {
    expectNoTokenLeak(h.sim, h.logs);
  });
});
