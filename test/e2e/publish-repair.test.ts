import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './app-harness.js';
import { backportPulls, lines, makeRepo, mergedPull, statusRow } from './world.js';

/**
 * Defect c: labels or reviewers that failed after the backport PR was created stayed missing
 * after a redelivery, while the PR body said they were copied. A later run repairs them.
 */
describe('a half-finished publish', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ fastRetry: {} });
  });
  afterAll(() => h.stop());

  it('is repaired by the next run: the missing labels and reviewers are added', async () => {
    const repo = await makeRepo(h.sim, 'repair', {
      files: { 'src/calc.c': lines(20) },
      branches: { 'v1.2': null },
    });
    const labels = h.sim.faults.add({ operationId: 'issues/add-labels', status: 502, times: 100 });
    const reviewers = h.sim.faults.add({ operationId: 'pulls/request-reviewers', status: 502, times: 100 });
    const { number } = await mergedPull(h.sim, repo, {
      branch: 'fix',
      title: 'Fix overflow',
      labels: ['backport-to: v1.2'],
      commits: [{ 'src/calc.c': lines(20, { 7: 'line 7 fixed' }) }],
      author: 'alice',
    });
    await h.idle();
    expect(labels.fired).toBeGreaterThan(0);
    expect(statusRow(h.sim, repo, number, 'v1.2').state).toBe('failed');
    const [pull] = backportPulls(h.sim, repo, 'v1.2');
    expect(pull?.labels ?? []).not.toContain('backport');

    labels.times = labels.fired;
    reviewers.times = reviewers.fired;
    const closed = h.sim.webhooks.deliveries.find((d) => d.event === 'pull_request' && d.action === 'closed');
    // Delivered anew (a new delivery id): what GitHub sends when someone asks again.
    await h.sim.webhooks.deliver('pull_request', JSON.parse(closed!.body) as Record<string, unknown>);
    await h.idle();

    const [repaired] = backportPulls(h.sim, repo, 'v1.2');
    expect(repaired?.number).toBe(pull?.number);
    expect(repaired?.labels).toContain('backport');
    expect(repaired?.pull?.requestedReviewers).toContain('alice');
    expect(statusRow(h.sim, repo, number, 'v1.2').state).toBe('opened');
  });
});
