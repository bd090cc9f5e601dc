import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './app-harness.js';
import { gitShow } from './git-async.js';
import {
  backportPulls,
  beforeSimRequest,
  commitsOnTop,
  lines,
  makeRepo,
  mergedPull,
  statusRow,
} from './world.js';

/**
 * The push's ref discovery is asked while the pick is made, not after it (one round trip
 * fewer). Its guards must hold as before: a target that moved by the time it answers is
 * picked on again, and the push still names the old tip it saw, so a backport branch that
 * changed after the discovery is refused by the server, never overwritten.
 */
/** How long a held request waits for what it waits for before it is let go anyway. */
const HOLD_MS = 10_000;

describe('the push asks for its refs during the pick, and its guards still hold', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  const fix = {
    branch: 'fix',
    title: 'Fix overflow',
    labels: ['backport-to: v1.2'],
    commits: [{ 'src/calc.c': lines(20, { 7: 'line 7 fixed' }) }],
  };

  /** Runs `fn` once, before the simulator answers the first request of `repo` that `when` picks. */
  function once(repo: string, when: (method: string, url: URL) => boolean, fn: () => Promise<string>) {
    let done: string | undefined;
    const restore = beforeSimRequest(h.sim, async (method, url) => {
      if (done || !url.pathname.startsWith(`/${repo}.git/`) || !when(method, url)) return;
      done = await fn();
    });
    return { restore, done: () => done };
  }

  const receivePackDiscovery = (method: string, url: URL) =>
    method === 'GET' && url.searchParams.get('service') === 'git-receive-pack';
  const receivePackPush = (method: string, url: URL) =>
    method === 'POST' && url.pathname.endsWith('/git-receive-pack');

  it('the target moves as the push asks for its refs: the pick is made again on the new tip', async () => {
    const repo = await makeRepo(h.sim, 'moves-at-discovery', {
      files: { 'src/calc.c': lines(20), NEWS: 'news\n' },
      branches: { 'v1.2': null },
    });
    const move = once(repo, receivePackDiscovery, () =>
      h.sim.commitFiles(repo, { branch: 'v1.2', files: { NEWS: 'news, meanwhile\n' }, message: 'meanwhile' }),
    );
    try {
      const { number } = await mergedPull(h.sim, repo, fix);
      await h.idle();
      expect(move.done()).toBeDefined();
      expect(statusRow(h.sim, repo, number, 'v1.2').state).toBe('opened');
      const [pull] = backportPulls(h.sim, repo, 'v1.2');
      const tip = (await h.sim.resolve(repo, `refs/heads/${pull!.pull!.headRef}`))!;
      // Made on the moved tip, and pushed once: the first pick's push sent nothing.
      const ours = await commitsOnTop(h.sim, repo, move.done()!, tip);
      expect(ours.parents).toEqual([move.done()]);
      expect(await gitShow(h.sim.repoPath(repo), `${tip}:NEWS`)).toBe('news, meanwhile\n');
      const pushes = h.sim.pushLog.filter(
        (p) => p.repo === repo && p.ref === `refs/heads/${pull!.pull!.headRef}`,
      );
      expect(pushes).toHaveLength(1);
    } finally {
      move.restore();
    }
    expect(h.sim.violations).toEqual([]);
  });

  it('the backport branch appears between the discovery and the push: refused, not overwritten', async () => {
    const repo = await makeRepo(h.sim, 'branch-at-push', {
      files: { 'src/calc.c': lines(20) },
      branches: { 'v1.2': null },
    });
    let branch: string | undefined;
    const someone = once(repo, receivePackPush, async () => {
      const source = h.sim.pulls(repo).find((p) => p.pull!.merged)!;
      branch = `backport/${source.number}-to-v1.2`;
      return h.sim.commitFiles(repo, {
        branch,
        from: 'v1.2',
        files: { 'PEOPLE.md': 'a person was first\n' },
        message: 'by hand',
      });
    });
    try {
      const { number } = await mergedPull(h.sim, repo, fix);
      await h.idle();
      expect(someone.done()).toBeDefined();
      // The push named the old tip it saw (none): the server refused it.
      expect(await h.sim.resolve(repo, `refs/heads/${branch}`)).toBe(someone.done());
      expect(backportPulls(h.sim, repo, 'v1.2')).toEqual([]);
      expect(statusRow(h.sim, repo, number, 'v1.2')).toMatchObject({
        state: 'failed',
        error: { code: 'push-rejected' },
      });
    } finally {
      someone.restore();
    }
    expect(h.sim.violations).toEqual([]);
  });

  it('the backport branch appears after the ref discovery and before the push refs: refused, not overwritten', async () => {
    const repo = await makeRepo(h.sim, 'branch-between-looks', {
      files: { 'src/calc.c': lines(20) },
      branches: { 'v1.2': null },
    });
    let branch: string | undefined;
    // The push's discovery is answered only once the job's ls-refs was (which showed no
    // backport branch), and a person's branch is made in between: the push's forced update
    // would name it as the old tip and go over it, were the two looks not compared.
    const someone = once(repo, receivePackDiscovery, async () => {
      const lsRefs = () =>
        h.sim.requestLog.some((e) => e.path.startsWith(`/${repo}.git/`) && e.upload?.command === 'ls-refs');
      for (let i = 0; !lsRefs() && i < HOLD_MS / 10; i++) await new Promise((r) => setTimeout(r, 10));
      const source = h.sim.pulls(repo).find((p) => p.pull!.merged)!;
      branch = `backport/${source.number}-to-v1.2`;
      return h.sim.commitFiles(repo, {
        branch,
        from: 'v1.2',
        files: { 'PEOPLE.md': 'a person was first\n' },
        message: 'by hand',
      });
    });
    try {
      const { number } = await mergedPull(h.sim, repo, fix);
      await h.idle();
      expect(someone.done()).toBeDefined();
      expect(await h.sim.resolve(repo, `refs/heads/${branch}`)).toBe(someone.done());
      expect(h.sim.pushLog.filter((p) => p.repo === repo && p.ref === `refs/heads/${branch}`)).toEqual([]);
      expect(backportPulls(h.sim, repo, 'v1.2')).toEqual([]);
      expect(statusRow(h.sim, repo, number, 'v1.2')).toMatchObject({
        state: 'failed',
        error: { code: 'push-rejected' },
      });
    } finally {
      someone.restore();
    }
    expect(h.sim.violations).toEqual([]);
  });
});
