import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './app-harness.js';
import { gitShow } from './git-async.js';
import {
  backportPulls,
  beforeSimRequest,
  commitsOnTop,
  fix,
  lines,
  makeRepo,
  mergedPull,
  openPull,
  statusRow,
} from './world.js';

/**
 * The push's ref discovery is asked beside the job's ls-refs, not after the fetch (one round
 * trip fewer on the way to the PR). Its guards must hold as before: a target that moved by
 * the time it answers is picked on again, the push still names the old tip it saw, so a
 * backport branch that changed after the discovery is refused by the server, never
 * overwritten, and a target that moves after it answered is seen by a look beside the push.
 */
/** How long a held request waits for what it waits for before it is let go anyway. */
const HOLD_MS = 10_000;

describe('the push asks for its refs during the pick, and its guards still hold', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  const fixToV12 = fix(['backport-to: v1.2']);

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
      const { number } = await mergedPull(h.sim, repo, fixToV12);
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

  /** The branch a backport of `repo`'s merged pull request to v1.2 is pushed to. */
  function backportBranch(repo: string): string {
    const source = h.sim.pulls(repo).find((p) => p.pull!.merged)!;
    return `backport/${source.number}-to-v1.2`;
  }

  /** A person's own commit on that branch, made from v1.2 before the app pushes there. */
  function personsBranch(repo: string): Promise<string> {
    return h.sim.commitFiles(repo, {
      branch: backportBranch(repo),
      from: 'v1.2',
      files: { 'PEOPLE.md': 'a person was first\n' },
      message: 'by hand',
    });
  }

  /** The person's branch is as they made it, no backport PR was opened, and the row says why. */
  async function expectPersonsBranchStands(repo: string, number: number, commit: string | undefined) {
    expect(commit).toBeDefined();
    expect(await h.sim.resolve(repo, `refs/heads/${backportBranch(repo)}`)).toBe(commit);
    expect(backportPulls(h.sim, repo, 'v1.2')).toEqual([]);
    expect(statusRow(h.sim, repo, number, 'v1.2')).toMatchObject({
      state: 'failed',
      error: { code: 'push-rejected' },
    });
  }

  it('the backport branch appears between the discovery and the push: refused, not overwritten', async () => {
    const repo = await makeRepo(h.sim, 'branch-at-push', {
      files: { 'src/calc.c': lines(20) },
      branches: { 'v1.2': null },
    });
    const someone = once(repo, receivePackPush, async () => personsBranch(repo));
    try {
      const { number } = await mergedPull(h.sim, repo, fixToV12);
      await h.idle();
      // The push named the old tip it saw (none): the server refused it.
      await expectPersonsBranchStands(repo, number, someone.done());
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
    // The push's discovery is answered only once the job's ls-refs was (which showed no
    // backport branch), and a person's branch is made in between: the push's forced update
    // would name it as the old tip and go over it, were the two looks not compared.
    const someone = once(repo, receivePackDiscovery, async () => {
      const lsRefs = () =>
        h.sim.requestLog.some((e) => e.path.startsWith(`/${repo}.git/`) && e.upload?.command === 'ls-refs');
      for (let i = 0; !lsRefs() && i < HOLD_MS / 10; i++) await new Promise((r) => setTimeout(r, 10));
      return personsBranch(repo);
    });
    try {
      const { number } = await mergedPull(h.sim, repo, fixToV12);
      await h.idle();
      await expectPersonsBranchStands(repo, number, someone.done());
      expect(
        h.sim.pushLog.filter((p) => p.repo === repo && p.ref === `refs/heads/${backportBranch(repo)}`),
      ).toEqual([]);
    } finally {
      someone.restore();
    }
    expect(h.sim.violations).toEqual([]);
  });

  /** A second, warm backport of `fixToV12`'s file in `repo`, its PR open and previewed (unheld). */
  async function warmPull(repo: string): Promise<number> {
    // The first backport fills the cache and the remembered capabilities.
    await mergedPull(h.sim, repo, fixToV12);
    const number = await openPull(h.sim, repo, {
      ...fixToV12,
      branch: 'fix-two',
      commits: [{ 'src/calc.c': lines(20, { 7: 'line 7 fixed', 12: 'line 12 fixed' }) }],
    });
    await h.idle();
    return number;
  }

  it('a warm job asks for the push refs before its fetches answer, not after them', async () => {
    const repo = await makeRepo(h.sim, 'push-refs-ahead', {
      files: { 'src/calc.c': lines(20), NEWS: 'news\n' },
      branches: { 'v1.2': null },
    });
    const number = await warmPull(repo);
    // Every upload-pack request (ls-refs, fetches) of the next job waits for the push's ref
    // discovery: asked only after a fetch, it would never come, and the hold time out.
    const order: string[] = [];
    let asked!: () => void;
    const pushRefsAsked = new Promise<void>((resolve) => (asked = resolve));
    const restore = beforeSimRequest(h.sim, async (method, url) => {
      if (!url.pathname.startsWith(`/${repo}.git/`)) return;
      if (receivePackDiscovery(method, url)) {
        order.push('push refs asked');
        asked();
      } else if (method === 'POST' && url.pathname.endsWith('/git-upload-pack')) {
        let timer: NodeJS.Timeout | undefined;
        const released = await Promise.race([
          pushRefsAsked.then(() => 'upload-pack answered after'),
          new Promise<string>(
            (resolve) => (timer = setTimeout(() => resolve('upload-pack timed out'), HOLD_MS)),
          ),
        ]);
        clearTimeout(timer);
        order.push(released);
      }
    });
    try {
      await h.sim.mergePull({ repo, number, method: 'squash', mergedBy: 'maint' });
      await h.idle();
    } finally {
      restore();
    }
    expect(order).toContain('push refs asked');
    expect(order).not.toContain('upload-pack timed out');
    expect(order.filter((o) => o === 'push refs asked')).toHaveLength(1);
    expect(statusRow(h.sim, repo, number, 'v1.2').state).toBe('opened');
    const [pull] = backportPulls(h.sim, repo, 'v1.2').filter((p) => p.pull!.headRef.includes(`${number}-`));
    const tip = (await h.sim.resolve(repo, `refs/heads/${pull!.pull!.headRef}`))!;
    expect(await gitShow(h.sim.repoPath(repo), `${tip}:src/calc.c`)).toContain('line 12 fixed');
    expect(h.sim.violations).toEqual([]);
  });

  it('the target moves after the push refs answered: seen beside the push, no PR on the old tip', async () => {
    const repo = await makeRepo(h.sim, 'moves-after-push-refs', {
      files: { 'src/calc.c': lines(20), NEWS: 'news\n' },
      branches: { 'v1.2': null },
    });
    const number = await warmPull(repo);
    const oldTip = (await h.sim.resolve(repo, 'refs/heads/v1.2'))!;
    // Moved before the first upload-pack request the simulator answers once it has answered
    // both the job's ls-refs and the push's discovery (which then showed the old tip): no
    // look the job had made before the push can see it.
    const from = h.sim.requestLog.length;
    const answered = () => {
      const log = h.sim.requestLog.slice(from).filter((e) => e.path.startsWith(`/${repo}.git/`));
      return (
        log.some((e) => e.path.includes('service=git-receive-pack')) &&
        log.some((e) => e.upload?.command === 'ls-refs')
      );
    };
    const move = once(
      repo,
      (method, url) => method === 'POST' && url.pathname.endsWith('/git-upload-pack') && answered(),
      () =>
        h.sim.commitFiles(repo, {
          branch: 'v1.2',
          files: { NEWS: 'news, meanwhile\n' },
          message: 'meanwhile',
        }),
    );
    try {
      await h.sim.mergePull({ repo, number, method: 'squash', mergedBy: 'maint' });
      await h.idle();
    } finally {
      move.restore();
    }
    expect(move.done()).toBeDefined();
    expect(statusRow(h.sim, repo, number, 'v1.2').state).toBe('opened');
    const pulls = backportPulls(h.sim, repo, 'v1.2').filter((p) => p.pull!.headRef.includes(`${number}-`));
    expect(pulls).toHaveLength(1);
    const tip = (await h.sim.resolve(repo, `refs/heads/${pulls[0]!.pull!.headRef}`))!;
    const ours = await commitsOnTop(h.sim, repo, move.done()!, tip);
    expect(ours.parents).toEqual([move.done()]);
    expect(ours.parents).not.toEqual([oldTip]);
    expect(await gitShow(h.sim.repoPath(repo), `${tip}:NEWS`)).toBe('news, meanwhile\n');
    expect(await gitShow(h.sim.repoPath(repo), `${tip}:src/calc.c`)).toContain('line 12 fixed');
    expect(h.sim.violations).toEqual([]);
  });
});
