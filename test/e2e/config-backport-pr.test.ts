import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './app-harness.js';
import {
  backportPulls,
  expectNoTokenLeak,
  lines,
  makeRepo,
  mergedPull,
  openPull,
  statusRow,
} from './world.js';

/** A REST call as the app's installation would make it (for set-up the test API lacks). */
async function rest(h: Harness, method: string, path: string, body?: unknown): Promise<unknown> {
  const token = h.sim.createInstallationToken('acme');
  const res = await fetch(`${h.sim.apiUrl}${path}`, {
    method,
    headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status}`);
  return res.json();
}

/**
 * Labels, branch, title, assignees, reviewers and milestone of the backport PR, as the
 * repository's configuration asks.
 */
describe('.github/backport.yml shapes the backport PR', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  it('custom labelPattern, targetBranch, branchName, title, labels, copyLabels, copyAssignees, requestReviewers', async () => {
    const repo = await makeRepo(h.sim, 'custom', {
      files: { 'src/calc.c': lines(20) },
      branches: { 'release/1.2': null },
      config: [
        "labelPattern: '^backport (?<target>\\d+\\.\\d+)$'",
        "label: 'backport {target}'",
        "targetBranch: 'release/{target}'",
        "branchName: 'bp/pr-{number}/{target}'",
        "title: 'Backport #{number} to {branch}: {title}'",
        'labels: [backport, automated]',
        "copyLabels: ['^area/']",
        'copyAssignees: true',
        "requestReviewers: ['{merger}', '@carol']",
      ].join('\n'),
    });
    h.sim.addCollaborator(repo, 'carol', 'write');
    const number = await openPull(h.sim, repo, {
      branch: 'fix',
      title: 'Fix overflow',
      labels: ['backport 1.2', 'area/core', 'bug', 'backport-to: 1.2'],
      commits: [{ 'src/calc.c': lines(20, { 7: 'fixed' }) }],
    });
    await rest(h, 'POST', `/repos/${repo}/issues/${number}/assignees`, { assignees: ['alice'] });
    await h.sim.mergePull({ repo, number, method: 'squash', mergedBy: 'maint' });
    await h.idle();

    const pulls = backportPulls(h.sim, repo);
    expect(pulls).toHaveLength(1);
    const pull = pulls[0]!;
    expect(pull.title).toBe(`Backport #${number} to release/1.2: Fix overflow`);
    expect(pull.pull!.headRef).toBe(`bp/pr-${number}/1.2`);
    expect(pull.pull!.baseRef).toBe('release/1.2');
    // Only `area/*` is copied: never the request label, nor labels outside copyLabels.
    expect([...pull.labels].sort()).toEqual(['area/core', 'automated', 'backport']);
    expect(pull.assignees).toEqual(['alice']);
    expect([...pull.pull!.requestedReviewers].sort()).toEqual(['carol', 'maint']);
    expect(pull.body).toContain('assignees @&#8203;alice');
    expect(statusRow(h.sim, repo, number, '1.2')).toMatchObject({ state: 'opened', branch: 'release/1.2' });
    expect(h.sim.pushLog.filter((p) => p.repo === repo).map((p) => p.ref)).toEqual([
      `refs/heads/bp/pr-${number}/1.2`,
    ]);
    expect(h.sim.violations).toEqual([]);
  });

  it('copyAssignees: false, requestReviewers: [] and labels: [] leave the backport bare', async () => {
    const repo = await makeRepo(h.sim, 'bare', {
      files: { 'src/calc.c': lines(20) },
      branches: { 'v1.2': null },
      config: 'copyAssignees: false\nrequestReviewers: []\nlabels: []\ncopyLabels: [".*"]\n',
    });
    const number = await openPull(h.sim, repo, {
      branch: 'fix',
      labels: ['backport-to: v1.2', 'bug'],
      commits: [{ 'src/calc.c': lines(20, { 7: 'fixed' }) }],
    });
    await rest(h, 'POST', `/repos/${repo}/issues/${number}/assignees`, { assignees: ['alice'] });
    await h.sim.mergePull({ repo, number, method: 'squash', mergedBy: 'maint' });
    await h.idle();
    const [pull] = backportPulls(h.sim, repo);
    expect(pull!.labels).toEqual(['bug']);
    expect(pull!.assignees).toEqual([]);
    expect(pull!.pull!.requestedReviewers).toEqual([]);
    expect(h.sim.violations).toEqual([]);
  });

  it('copyMilestone: the milestone is asked for on the backport (the simulator has no milestones)', async () => {
    // GitHub's answer for the source PR gets a milestone; what the app then asks for is observed.
    const patches: Array<{ path: string; body: Record<string, unknown> }> = [];
    let repo = '';
    let source = 0;
    h.onFetch(async (req, response) => {
      if (!repo || !req.url.pathname.startsWith(`/repos/${repo}/`)) return undefined;
      if (req.method === 'PATCH' && req.body)
        patches.push({ path: req.url.pathname, body: JSON.parse(req.body) });
      if (req.method !== 'GET' || req.url.pathname !== `/repos/${repo}/pulls/${source}`) return undefined;
      const json = (await response.json()) as Record<string, unknown>;
      const milestone = { number: 3, title: '1.2.1', state: 'open' };
      return Response.json({ ...json, milestone }, { status: response.status, headers: response.headers });
    });
    for (const copy of [true, false]) {
      patches.length = 0;
      repo = await makeRepo(h.sim, 'milestone', {
        files: { 'src/calc.c': lines(20) },
        branches: { 'v1.2': null },
        config: `copyMilestone: ${copy}\n`,
      });
      ({ number: source } = await mergedPull(h.sim, repo, {
        branch: 'fix',
        labels: ['backport-to: v1.2'],
        commits: [{ 'src/calc.c': lines(20, { 7: 'fixed' }) }],
      }));
      await h.idle();
      const [pull] = backportPulls(h.sim, repo);
      const asked = patches.filter(
        (p) => p.path === `/repos/${repo}/issues/${pull!.number}` && 'milestone' in p.body,
      );
      expect(asked.map((p) => p.body.milestone)).toEqual(copy ? [3] : []);
      if (copy) expect(pull!.body).toContain('milestone `1.2.1`');
      else expect(pull!.body).not.toContain('milestone `');
    }
    repo = '';
    expect(h.sim.violations).toEqual([]);
  });

  it('leaks no token into any log line or body the app wrote', () => {
    expectNoTokenLeak(h.sim, h.logs);
  });
});
