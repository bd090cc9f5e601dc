import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './app-harness.js';
import { backportPulls, fix, lines, makeRepo, mergedPull, statusRow } from './world.js';

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
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.2']));
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

  it('rewrites what the body says was copied, keeping what a person wrote around it', async () => {
    const repo = await makeRepo(h.sim, 'repair-body', {
      files: { 'src/calc.c': lines(20) },
      branches: { 'v1.2': null },
      // carol is no collaborator: GitHub refuses her as a reviewer.
      config: "requestReviewers: ['{author}', carol]\n",
    });
    const labels = h.sim.faults.add({ operationId: 'issues/add-labels', status: 502, times: 100 });
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.2']));
    await h.idle();
    const [pull] = backportPulls(h.sim, repo, 'v1.2');
    // Written before the labels failed: it claims what was never done.
    expect(pull?.body).toContain('carol');
    const edited = `Tested on staging by hand.\r\n\r\n${pull!.body!}\r\n\r\nRelease note: none.`;
    const res = await fetch(`${h.sim.apiUrl}/repos/${repo}/pulls/${pull!.number}`, {
      method: 'PATCH',
      headers: {
        authorization: `token ${h.sim.createUserToken('alice')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ body: edited }),
    });
    expect(res.status).toBe(200);

    labels.times = labels.fired;
    const closed = h.sim.webhooks.deliveries.find(
      (d) =>
        d.event === 'pull_request' &&
        d.action === 'closed' &&
        (JSON.parse(d.body) as { repository: { full_name: string } }).repository.full_name === repo,
    );
    await h.sim.webhooks.deliver('pull_request', JSON.parse(closed!.body) as Record<string, unknown>);
    await h.idle();

    const [repaired] = backportPulls(h.sim, repo, 'v1.2');
    expect(repaired?.number).toBe(pull?.number);
    expect(repaired?.labels).toContain('backport');
    expect(repaired?.pull?.requestedReviewers).toEqual(['alice']);
    const body = repaired!.body!;
    expect(body).toContain(
      `Copied from #${number}: labels \`backport\`. Review requested from @&#8203;alice.`,
    );
    expect(body).not.toContain('carol');
    expect(body.startsWith('Tested on staging by hand.\r\n\r\n')).toBe(true);
    expect(body.endsWith('\r\n\r\nRelease note: none.')).toBe(true);
    expect(statusRow(h.sim, repo, number, 'v1.2').state).toBe('opened');
  });
});
