import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './app-harness.js';
import {
  backportPulls,
  botComments,
  expectNoTokenLeak,
  lines,
  makeRepo,
  mergedPull,
  openPull,
  statusComments,
  statusRow,
  statusRows,
} from './world.js';

/** Three release branches that all take the fix cleanly. */
const releases = (h: Harness, name: string) =>
  makeRepo(h.sim, name, {
    files: { 'src/calc.c': lines(20), 'README.md': 'widgets\n' },
    branches: { 'v1.2': null, 'v1.3': null, 'v1.4': null },
  });
const fix = (branch: string, labels: string[] = []) => ({
  branch,
  title: 'Fix overflow',
  labels,
  commits: [{ 'src/calc.c': lines(20, { 7: 'line 7 fixed' }) }],
});

describe('what starts a backport', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  it('pull_request.closed (merged): every matching label names a target, other labels are ignored', async () => {
    const repo = await releases(h, 'closed');
    const { number } = await mergedPull(
      h.sim,
      repo,
      fix('fix', ['backport-to: v1.2', 'backport-to: v1.3', 'bug']),
    );
    await h.idle();
    expect(
      backportPulls(h.sim, repo)
        .map((p) => p.pull!.baseRef)
        .sort(),
    ).toEqual(['v1.2', 'v1.3']);
    expect(statusRows(h.sim, repo, number).map((r) => [r.target, r.state])).toEqual([
      ['v1.2', 'opened'],
      ['v1.3', 'opened'],
    ]);
    expect(h.sim.violations).toEqual([]);
  });

  it('pull_request.labeled on a merged PR: that label only, the others are left alone', async () => {
    const repo = await releases(h, 'labeled');
    const { number } = await mergedPull(h.sim, repo, fix('fix', ['backport-to: v1.2']));
    await h.idle();
    const before = statusRow(h.sim, repo, number, 'v1.2');
    const pushes = h.sim.pushLog.length;

    await h.sim.addLabel(repo, number, 'backport-to: v1.3', 'maint');
    await h.idle();
    expect(backportPulls(h.sim, repo, 'v1.3')).toHaveLength(1);
    expect(backportPulls(h.sim, repo, 'v1.2')).toHaveLength(1);
    // v1.2 was not run again: its row is untouched and nothing but v1.3 was pushed.
    expect(statusRow(h.sim, repo, number, 'v1.2')).toEqual(before);
    expect(h.sim.pushLog.slice(pushes).map((p) => p.ref)).toEqual([`refs/heads/backport/${number}-to-v1.3`]);
    expect(h.sim.violations).toEqual([]);
  });

  it('labels on an unmerged PR do nothing until the merge, which then backports them all', async () => {
    const repo = await releases(h, 'unmerged');
    const number = await openPull(h.sim, repo, fix('fix', ['backport-to: v1.2']));
    await h.sim.addLabel(repo, number, 'backport-to: v1.3', 'maint');
    await h.idle();
    expect(botComments(h.sim, repo, number)).toEqual([]);
    expect(backportPulls(h.sim, repo)).toEqual([]);
    expect(h.sim.pushLog.filter((p) => p.repo === repo)).toEqual([]);

    await h.sim.mergePull({ repo, number, method: 'squash', mergedBy: 'maint' });
    await h.idle();
    expect(
      backportPulls(h.sim, repo)
        .map((p) => p.pull!.baseRef)
        .sort(),
    ).toEqual(['v1.2', 'v1.3']);
    expect(h.sim.violations).toEqual([]);
  });

  it('/backport by a writer (permission checked through the API) adds the labels and backports', async () => {
    const repo = await releases(h, 'command');
    const { number } = await mergedPull(h.sim, repo, fix('fix'));
    await h.idle();
    const asked = h.sim.requestLog.length;
    const commentId = await h.sim.comment(repo, number, 'Needed on both:\n/backport v1.2 v1.3', 'alice');
    await h.idle();

    const permissionChecks = h.sim.requestLog
      .slice(asked)
      .filter((r) => r.operationId === 'repos/get-collaborator-permission-level');
    expect(permissionChecks.map((r) => r.path)).toEqual([`/repos/${repo}/collaborators/alice/permission`]);
    const pr = h.sim.pulls(repo).find((p) => p.number === number)!;
    expect(pr.labels).toEqual(expect.arrayContaining(['backport-to: v1.2', 'backport-to: v1.3']));
    expect(h.sim.comments(repo, number).find((c) => c.id === commentId)!.reactions).toEqual([
      expect.objectContaining({ content: 'rocket', user: h.sim.botLogin }),
    ]);
    expect(
      backportPulls(h.sim, repo)
        .map((p) => p.pull!.baseRef)
        .sort(),
    ).toEqual(['v1.2', 'v1.3']);
    expect(statusRows(h.sim, repo, number).map((r) => r.state)).toEqual(['opened', 'opened']);
    expect(h.sim.violations).toEqual([]);
  });

  it('/backport on an unmerged PR adds the labels; the merge then backports them', async () => {
    const repo = await releases(h, 'command-early');
    const number = await openPull(h.sim, repo, fix('fix'));
    await h.sim.comment(repo, number, '/backport v1.4', 'alice');
    await h.idle();
    expect(h.sim.pulls(repo).find((p) => p.number === number)!.labels).toEqual(['backport-to: v1.4']);
    expect(backportPulls(h.sim, repo)).toEqual([]);
    await h.sim.mergePull({ repo, number, method: 'squash', mergedBy: 'maint' });
    await h.idle();
    expect(backportPulls(h.sim, repo).map((p) => p.pull!.baseRef)).toEqual(['v1.4']);
    expect(h.sim.violations).toEqual([]);
  });

  it('/backport naming a target that cannot be a branch: a reply says why, the valid targets go on', async () => {
    const repo = await releases(h, 'bad-command');
    const { number } = await mergedPull(h.sim, repo, fix('fix'));
    await h.idle();
    await h.sim.comment(repo, number, '/backport v1..2 v1.2', 'maint');
    await h.idle();
    const replies = botComments(h.sim, repo, number).filter((c) => c.body.includes('/backport'));
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body).toContain('`v1..2` is not a valid branch name: it contains `..`');
    expect(h.sim.pulls(repo).find((p) => p.number === number)!.labels).toEqual(['backport-to: v1.2']);
    expect(backportPulls(h.sim, repo).map((p) => p.pull!.baseRef)).toEqual(['v1.2']);
    expect(h.sim.violations).toEqual([]);
  });

  it('/backport by a read-only user: one polite refusal and nothing else', async () => {
    const repo = await releases(h, 'refused');
    h.sim.addCollaborator(repo, 'rita', 'read');
    const { number } = await mergedPull(h.sim, repo, fix('fix'));
    await h.idle();
    const pushes = h.sim.pushLog.length;
    await h.sim.comment(repo, number, '/backport v1.2', 'rita');
    await h.idle();

    const replies = botComments(h.sim, repo, number);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body).toContain('was not run: only people with write access');
    expect(replies[0]!.body).toContain('`read`');
    expect(replies[0]!.body).not.toMatch(/@rita\b/); // named, never pinged
    expect(h.sim.pulls(repo).find((p) => p.number === number)!.labels).toEqual([]);
    expect(backportPulls(h.sim, repo)).toEqual([]);
    expect(h.sim.pushLog.length).toBe(pushes);
    expect(h.sim.violations).toEqual([]);
  });

  it('the status comment: one per PR, edited in place, one row per target with result and time', async () => {
    const repo = await makeRepo(h.sim, 'status', {
      files: { 'src/calc.c': lines(20) },
      branches: { 'v1.2': null, 'v1.1': { 'src/calc.c': lines(20, { 7: 'line 7 (1.1)' }) } },
    });
    const { number } = await mergedPull(h.sim, repo, fix('fix', ['backport-to: v1.2']));
    await h.idle();
    const [first] = statusComments(h.sim, repo, number);
    await h.sim.addLabel(repo, number, 'backport-to: v1.1', 'maint');
    await h.sim.addLabel(repo, number, 'backport-to: v9', 'maint');
    await h.idle();

    const comments = statusComments(h.sim, repo, number);
    expect(comments.map((c) => c.id)).toEqual([first!.id]);
    const creates = h.sim.requestLog.filter(
      (r) =>
        r.operationId === 'issues/create-comment' && r.path.startsWith(`/repos/${repo}/issues/${number}/`),
    );
    expect(creates).toHaveLength(1);
    const rows = statusRows(h.sim, repo, number);
    expect(rows.map((r) => [r.target, r.state])).toEqual([
      ['v1.1', 'conflict'],
      ['v1.2', 'opened'],
      ['v9', 'failed'],
    ]);
    const body = comments[0]!.body;
    for (const row of rows) {
      expect(Date.parse(row.at)).not.toBeNaN();
      // The rendered table shows every row with its time, not only the hidden marker.
      expect(body).toMatch(
        new RegExp(`^\\| \`${row.target}\` \\| .+ \\| ${row.at.replace(/\./g, '\\.')} \\|$`, 'm'),
      );
    }
    expect(body).toMatch(/\| `v1\.2` \| ✅ backport pull request \[#\d+\]\(<http[^>]+>\) \|/);
    expect(body).toMatch(/\| `v1\.1` \| ⚠️ needs manual adaptation: see \[#\d+\]/);
    expect(body).toMatch(/\| `v9` \| ❌ There is no branch v9 in acme\/status-\d+\./);
    expect(h.sim.violations).toEqual([]);
  });

  it('leaks no token into any log line or body the app wrote', () => {
    expectNoTokenLeak(h.sim, h.logs);
  });
});
