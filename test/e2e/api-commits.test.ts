import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './app-harness.js';
import { gitAsync, gitShow } from './git-async.js';
import {
  backportPulls,
  beforeSimRequest,
  commitsOnTop,
  gitCherryPick,
  lines,
  makeRepo,
  mergedPull,
  openPull,
  statusRow,
} from './world.js';

describe('commits: api (verified commits through the Git Database API)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  it('gives the same tree as a push, in signed commits of the app that credit the author', async () => {
    const { sim } = h;
    const repo = await makeRepo(sim, 'signed', {
      files: { 'a.txt': lines(20), 'b.txt': 'b\n', 'old.txt': 'old\n' },
      config: 'commits: api\n',
      branches: { 'v1.2': { 'c.txt': 'only on 1.2\n' } },
    });
    const number = await openPull(sim, repo, {
      branch: 'fix',
      title: 'Fix a and b',
      commits: [
        { 'a.txt': lines(20, { 3: 'three fixed' }), 'dir/new.txt': 'new\n' },
        { 'b.txt': 'b fixed\n', 'old.txt': null },
      ],
      labels: ['backport-to: v1.2'],
    });
    const mergeSha = await sim.mergePull({ repo, number, method: 'rebase', mergedBy: 'maint' });
    await h.idle();

    const [pull] = backportPulls(sim, repo, 'v1.2');
    expect(statusRow(sim, repo, number, 'v1.2')).toMatchObject({
      state: 'opened',
      link: { number: pull!.number },
    });
    const onto = (await sim.resolve(repo, 'v1.2'))!;
    const head = (await sim.resolve(repo, `refs/heads/backport/${number}-to-v1.2`))!;
    const landed = (
      await gitAsync(sim.repoPath(repo), ['rev-list', '--reverse', `${mergeSha}~2..${mergeSha}`])
    )
      .trim()
      .split('\n');
    const expected = await gitCherryPick(sim, repo, onto, landed);
    const made = await commitsOnTop(sim, repo, onto, head);
    expect(made.tree).toBe(expected.tree);
    expect(made.messages).toHaveLength(2);

    const raw = await gitAsync(sim.repoPath(repo), ['cat-file', 'commit', head]);
    expect(raw).toMatch(/^gpgsig -----BEGIN PGP SIGNATURE-----/m);
    expect(raw).toMatch(new RegExp(`^committer ${sim.botLogin.replace(/[[\]]/g, '\\$&')} <`, 'm'));
    expect(made.messages[1]).toMatch(/\(cherry picked from commit [0-9a-f]{40}\)\nCo-authored-by: .+ <.+>$/);

    // No git push: a blob per changed file (the deleted one needs none), a tree and a commit each, one ref.
    const ops = sim.requestLog.map((r) => r.operationId);
    expect(ops.filter((op) => op === 'git/receive-pack')).toEqual([]);
    expect(ops.filter((op) => op === 'git/create-blob')).toHaveLength(3);
    expect(ops.filter((op) => op === 'git/create-tree')).toHaveLength(2);
    expect(ops.filter((op) => op === 'git/create-commit')).toHaveLength(2);
    expect(sim.pushLog.map((p) => p.ref)).toEqual([`refs/heads/backport/${number}-to-v1.2`]);
    // The check on the PR's head names the commit GitHub made.
    expect((await sim.checkRuns(repo, head)).length).toBeGreaterThan(0);
    expect(sim.violations).toEqual([]);
  });

  it('the target moves while the pick is made: the commits are written on the new tip', async () => {
    const { sim } = h;
    const repo = await makeRepo(sim, 'signed-race', {
      files: { 'a.txt': lines(20), NEWS: 'news\n' },
      config: 'commits: api\n',
      branches: { 'v1.2': null },
    });
    // Moved once the app fetched v1.2 (its cache holds origin/v1.2), before the next git
    // request is answered: the job's ref discovery showed the old tip.
    const tracking = join(h.cacheDir, 'acme', `${repo.split('/')[1]}.git`, 'refs/remotes/origin/v1.2');
    let moved: string | undefined;
    const restore = beforeSimRequest(sim, async (_method, url) => {
      if (moved || !url.pathname.startsWith(`/${repo}.git/`) || !existsSync(tracking)) return;
      moved = await sim.commitFiles(repo, {
        branch: 'v1.2',
        files: { NEWS: 'news, meanwhile\n' },
        message: 'meanwhile',
      });
    });
    try {
      const { number } = await mergedPull(sim, repo, {
        branch: 'fix',
        title: 'Fix a',
        commits: [{ 'a.txt': lines(20, { 3: 'three fixed' }) }],
        labels: ['backport-to: v1.2'],
      });
      await h.idle();
      expect(moved).toBeDefined();
      const pulls = backportPulls(sim, repo, 'v1.2');
      expect(pulls).toHaveLength(1);
      const head = (await sim.resolve(repo, `refs/heads/${pulls[0]!.pull!.headRef}`))!;
      expect((await commitsOnTop(sim, repo, moved!, head)).parents).toEqual([moved]);
      expect(await gitShow(sim.repoPath(repo), `${head}:NEWS`)).toBe('news, meanwhile\n');
      // The commits written on the old tip were never named by the branch.
      expect(sim.pushLog.filter((p) => p.repo === repo).map((p) => p.new)).toEqual([head]);
      expect(statusRow(sim, repo, number, 'v1.2').state).toBe('opened');
    } finally {
      restore();
    }
    expect(sim.violations).toEqual([]);
  });
});
