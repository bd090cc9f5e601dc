// Transient failures retried as jobs, a final "failed" row once the tries are spent, and
// `/backport retry` running failed targets again.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from '../app-harness.js';
import { answerWith, conflictedBackport, decisionsOf, theIssue } from '../resolve-world.js';
import { backportPulls, botComments, lines, makeRepo, mergedPull, statusRow } from '../world.js';

describe('retries', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ fastRetry: {}, jobs: { maxAttempts: 3, backoffMs: 10 } });
  });
  afterAll(() => h.stop());

  const world = (name: string) =>
    makeRepo(h.sim, name, { files: { 'src/calc.c': lines(20) }, branches: { 'v1.2': null } });
  const fix = {
    branch: 'fix',
    title: 'Fix',
    labels: ['backport-to: v1.2'],
    commits: [{ 'src/calc.c': lines(20, { 7: 'fixed' }) }],
  };
  const creates = (repo: string) =>
    h.sim.requestLog.filter((r) => r.operationId === 'pulls/create' && r.path === `/repos/${repo}/pulls`);
  const pulls = (repo: string) => new RegExp(`^/repos/${repo}/pulls$`);

  it("runs the job again when GitHub keeps failing past the client's own retry", async () => {
    const repo = await world('retry-job');
    h.sim.faults.add({ pathRegex: pulls(repo), method: 'POST', status: 502, times: 2 });
    const { number } = await mergedPull(h.sim, repo, fix);
    await h.idle();
    // The client tries a create twice; the second try of the job makes the PR.
    expect(creates(repo).map((r) => r.status)).toEqual([502, 502, 201]);
    expect(backportPulls(h.sim, repo)).toHaveLength(1);
    expect(statusRow(h.sim, repo, number, 'v1.2').state).toBe('opened');
    expect(h.logs.some((l) => l.includes('job will be retried'))).toBe(true);
  });

  it('ends with a "failed" row after the last try, and /backport retry runs the target again', async () => {
    const repo = await world('retry-command');
    const fault = h.sim.faults.add({ pathRegex: pulls(repo), method: 'POST', status: 502, times: 1000 });
    const { number } = await mergedPull(h.sim, repo, fix);
    await h.idle();
    expect(fault.fired).toBe(6); // three tries of the job, two of the client each
    const failed = statusRow(h.sim, repo, number, 'v1.2');
    expect(failed.state).toBe('failed');
    expect(failed.error?.message).toContain('502');
    expect(backportPulls(h.sim, repo)).toHaveLength(0);

    h.sim.faults.clear();
    await h.sim.comment(repo, number, '/backport retry', 'maint');
    await h.idle();
    expect(backportPulls(h.sim, repo)).toHaveLength(1);
    expect(statusRow(h.sim, repo, number, 'v1.2').state).toBe('opened');

    // Nothing failed any more: the command says so and starts nothing.
    await h.sim.comment(repo, number, '/backport retry', 'maint');
    await h.idle();
    expect(botComments(h.sim, repo, number).some((c) => c.body.includes('nothing to retry'))).toBe(true);
    expect(creates(repo).filter((r) => r.status === 201)).toHaveLength(1);
  });

  it('answers a /backport resolve once when GitHub kept failing through all its tries', async () => {
    const { repo } = await conflictedBackport(h.sim, 'retry-resolve');
    await h.idle();
    const issue = theIssue(h.sim, repo);
    const answer = answerWith(await decisionsOf(h.sim, repo, issue), ['apply-regions', 'theirs']);
    const fault = h.sim.faults.add({ pathRegex: pulls(repo), method: 'POST', status: 502, times: 1000 });
    await h.sim.comment(repo, issue.number, `/backport resolve ${answer}`, 'maint');
    await h.idle();
    h.sim.faults.clear();
    expect(fault.fired).toBe(6); // three tries of the job, two of the client each
    expect(botComments(h.sim, repo, issue.number).map((c) => c.body)).toEqual([
      `\`/backport resolve ${answer}\` could not be finished: GitHub kept failing after 3 tries (GitHub answered 502 to POST /repos/{owner}/{repo}/pulls: Server Error). Comment it again to try again.`,
    ]);
  });

  it('answers a /backport <target> once when GitHub kept failing through all its tries', async () => {
    const repo = await world('retry-target-command');
    const { number } = await mergedPull(h.sim, repo, { ...fix, labels: [] });
    await h.idle();
    const permission = /\/collaborators\/[^/]+\/permission$/;
    h.sim.faults.add({ pathRegex: permission, method: 'GET', status: 502, times: 1000 });
    await h.sim.comment(repo, number, '/backport v1.2', 'maint');
    await h.idle();
    h.sim.faults.clear();
    expect(botComments(h.sim, repo, number).map((c) => c.body)).toEqual([
      expect.stringMatching(
        /^`\/backport v1\.2` could not be finished: GitHub kept failing after 3 tries \(.*502/,
      ),
    ]);
    expect(h.sim.pulls(repo).find((p) => p.number === number)!.labels).toEqual([]);
    expect(backportPulls(h.sim, repo)).toHaveLength(0);
  });

  it('refuses /backport retry from someone without write access', async () => {
    const repo = await world('retry-refused');
    h.sim.addCollaborator(repo, 'tria', 'triage');
    const { number } = await mergedPull(h.sim, repo, fix);
    await h.idle();
    await h.sim.comment(repo, number, '/backport retry', 'tria');
    await h.idle();
    expect(
      botComments(h.sim, repo, number).some((c) => c.body.includes('only people with write access')),
    ).toBe(true);
  });
});
