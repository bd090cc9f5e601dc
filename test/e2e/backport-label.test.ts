import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { gitShow } from './git-async.js';
import { startHarness, type Harness } from './app-harness.js';

const REPO = 'acme/widgets';
const lines = (n: number, change: Record<number, string> = {}) =>
  Array.from({ length: n }, (_, i) => change[i + 1] ?? `line ${i + 1}`).join('\n') + '\n';

describe('a maintainer labels a merged PR', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    const { sim } = h;
    await sim.createRepo({ owner: 'acme', name: 'widgets' });
    await sim.commitFiles(REPO, {
      branch: 'main',
      files: { 'src/calc.c': lines(40), 'README.md': 'widgets\n' },
      message: 'initial',
    });
    await sim.createBranch(REPO, 'v1.2', 'main');
    await sim.createBranch(REPO, 'v1.1', 'main');
    // v1.1 diverged where the fix lands, so the fix conflicts there.
    await sim.commitFiles(REPO, {
      branch: 'v1.1',
      files: { 'src/calc.c': lines(40, { 20: 'line 20 (1.1 hotfix)' }) },
      message: 'hotfix on 1.1',
    });
    await sim.commitFiles(REPO, { branch: 'main', files: { 'README.md': 'widgets 2\n' }, message: 'docs' });
    sim.addCollaborator(REPO, 'maint', 'maintain');
    sim.addCollaborator(REPO, 'alice', 'write');
  });
  afterAll(() => h.stop());

  it('opens a clean backport PR for one target and files a conflict issue for the other', async () => {
    const { sim } = h;
    await sim.commitFiles(REPO, {
      branch: 'fix-overflow',
      files: { 'src/calc.c': lines(40, { 20: 'line 20 fixed' }) },
      message: 'Fix overflow in calc',
      author: 'alice',
    });
    const number = await sim.createPull({
      repo: REPO,
      head: 'fix-overflow',
      base: 'main',
      title: 'Fix overflow',
      user: 'alice',
      labels: ['backport-to: v1.2', 'backport-to: v1.1', 'bug'],
    });
    await sim.mergePull({ repo: REPO, number, method: 'squash', mergedBy: 'maint' });
    await h.idle();

    const backport = sim.pulls(REPO).find((p) => p.pull?.baseRef === 'v1.2');
    expect(backport).toBeDefined();
    expect(backport!.title).toBe('[v1.2] Fix overflow');
    expect(backport!.pull!.headRef).toBe(`backport/${number}-to-v1.2`);
    const tip = await sim.resolve(REPO, `refs/heads/backport/${number}-to-v1.2`);
    expect(await gitShow(sim.repoPath(REPO), `${tip}:src/calc.c`)).toContain('line 20 fixed');

    const issue = sim
      .issues(REPO)
      .find((i) => i.title === `Backport #${number} to v1.1 needs manual adaptation`);
    expect(issue).toBeDefined();
    expect(issue!.body).toContain('line 20 (1.1 hotfix)');
    expect(issue!.body).toContain('+line 20 fixed');

    const status = sim.comments(REPO, number).filter((c) => c.body.includes('backport-assistant'));
    expect(status).toHaveLength(1);
    expect(sim.pushLog.every((p) => p.ref.startsWith('refs/heads/backport/'))).toBe(true);
    expect(sim.violations).toEqual([]);
  });
});
