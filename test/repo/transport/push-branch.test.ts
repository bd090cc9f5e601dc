import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fetchBranch, pushBranch } from '../../../src/repo/git-remote.js';
import { GitObjectStore } from '../../../src/repo/storage/git-object-store.js';
import type { Signature } from '../../../src/pick/types.js';
import { fsck, gitAsync, noisyText, simWorld, type SimWorld } from './transport-world.js';

const BIG = noisyText(11, 3000);
const who: Signature = {
  name: 'Backport Bot',
  email: 'bot@example.com',
  timestamp: 1_700_000_000,
  timezoneOffset: 0,
};

describe('pushBranch over smart HTTP (the real git http-backend)', () => {
  let w: SimWorld;
  let gitdir: string;
  let target: string;

  beforeAll(async () => {
    w = await simWorld('acme', 'pushing');
    await w.sim.commitFiles(w.repo, {
      branch: 'main',
      files: { 'big.txt': BIG, 'src/a.c': 'a\n' },
      message: 'one',
    });
    target = await w.sim.createBranch(w.repo, 'v1.2', 'main');
    gitdir = await w.emptyRepo();
    await fetchBranch(gitdir, w.remote, 'v1.2', { depth: 1 });
  });
  afterAll(() => w.close());

  /** A commit on `parent` that changes src/a.c, written the way the engine writes (loose). */
  async function commitOn(parent: string, content: string, message: string): Promise<string> {
    const store = new GitObjectStore(gitdir);
    const base = await store.readTree((await store.readCommit(parent)).tree);
    const srcEntry = base.find((e) => e.name === 'src')!;
    const src = await store.readTree(srcEntry.oid);
    const blob = await store.writeBlob(Buffer.from(content));
    const newSrc = await store.writeTree(src.map((e) => (e.name === 'a.c' ? { ...e, oid: blob } : e)));
    const tree = await store.writeTree(base.map((e) => (e.name === 'src' ? { ...e, oid: newSrc } : e)));
    const commit = await store.writeCommit({ tree, parents: [parent], author: who, committer: who, message });
    await store.flush();
    return commit;
  }

  it('pushes a new branch with only the objects the app wrote; the server reads them back', async () => {
    const commit = await commitOn(target, 'a, fixed\n', 'Fix a\n');
    const before = w.sim.stats.gitReceiveBytes;
    await pushBranch(gitdir, w.remote, { branch: 'backport/1-to-v1.2', commit, base: 'v1.2', force: true });
    // One commit, two trees, one small blob: nowhere near big.txt's size.
    expect(w.sim.stats.gitReceiveBytes - before).toBeLessThan(1_000);
    expect(w.sim.pushLog.at(-1)).toMatchObject({
      ref: 'refs/heads/backport/1-to-v1.2',
      old: '0'.repeat(40),
      new: commit,
      accepted: true,
    });
    const server = w.sim.repoPath(w.repo);
    expect(await gitAsync(server, ['cat-file', '-p', `${commit}:src/a.c`])).toBe('a, fixed\n');
    expect(await gitAsync(server, ['cat-file', '-p', commit])).toContain('Fix a');
    await fsck(server);
    expect((await gitAsync(gitdir, ['rev-parse', 'refs/remotes/origin/backport/1-to-v1.2'])).trim()).toBe(
      commit,
    );
  });

  it('updates the branch (force), sending the new commit on top of what the server has', async () => {
    const first = await w.sim.resolve(w.repo, 'refs/heads/backport/1-to-v1.2');
    const second = await commitOn(target, 'a, fixed better\n', 'Fix a better\n');
    await pushBranch(gitdir, w.remote, {
      branch: 'backport/1-to-v1.2',
      commit: second,
      base: 'v1.2',
      force: true,
    });
    expect(w.sim.pushLog.at(-1)).toMatchObject({ old: first, new: second, accepted: true });
    const server = w.sim.repoPath(w.repo);
    expect(await gitAsync(server, ['cat-file', '-p', `refs/heads/backport/1-to-v1.2:src/a.c`])).toBe(
      'a, fixed better\n',
    );
    await fsck(server);
  });

  it('pushes a commit on top of its own unpushed parent: both go', async () => {
    const mid = await commitOn(target, 'step one\n', 'Step one\n');
    const tip = await commitOn(mid, 'step two\n', 'Step two\n');
    await pushBranch(gitdir, w.remote, {
      branch: 'backport/2-to-v1.2',
      commit: tip,
      base: 'v1.2',
      force: true,
    });
    const server = w.sim.repoPath(w.repo);
    expect((await gitAsync(server, ['log', '--format=%s', 'backport/2-to-v1.2'])).trim().split('\n')).toEqual(
      ['Step two', 'Step one', 'one'],
    );
    expect(await gitAsync(server, ['cat-file', '-p', `${mid}:src/a.c`])).toBe('step one\n');
    await fsck(server);
  });

  it('a refused push (protected branch) says why, in the server’s words', async () => {
    w.sim.protectBranch(w.repo, 'backport/3-to-v1.2');
    const commit = await commitOn(target, 'refused\n', 'Refused\n');
    const push = pushBranch(gitdir, w.remote, {
      branch: 'backport/3-to-v1.2',
      commit,
      base: 'v1.2',
      force: true,
    });
    await expect(push).rejects.toMatchObject({
      code: 'push-rejected',
      message: 'The push to backport/3-to-v1.2 was rejected: hook declined.',
    });
    expect(await w.sim.resolve(w.repo, 'refs/heads/backport/3-to-v1.2')).toBeNull();
  });

  it('without force, refuses to replace a branch that moved to a commit this one does not build on', async () => {
    const mine = await commitOn(target, 'mine\n', 'Mine\n');
    await pushBranch(gitdir, w.remote, {
      branch: 'backport/4-to-v1.2',
      commit: mine,
      base: 'v1.2',
      force: true,
    });
    const theirs = await w.sim.commitFiles(w.repo, {
      branch: 'backport/4-to-v1.2',
      files: { 'src/a.c': 'a person pushed this\n' },
      message: 'by hand',
    });
    const next = await commitOn(mine, 'mine again\n', 'Mine again\n');
    const push = pushBranch(gitdir, w.remote, {
      branch: 'backport/4-to-v1.2',
      commit: next,
      base: 'v1.2',
      force: false,
    });
    await expect(push).rejects.toMatchObject({
      code: 'push-rejected',
      message: 'The push to backport/4-to-v1.2 was rejected: the branch changed meanwhile.',
    });
    expect(await w.sim.resolve(w.repo, 'refs/heads/backport/4-to-v1.2')).toBe(theirs);
    // A fast-forward needs no force.
    await fetchBranch(gitdir, w.remote, 'backport/4-to-v1.2', { depth: 1 });
    const ff = await commitOn(theirs, 'on top of theirs\n', 'On top\n');
    await pushBranch(gitdir, w.remote, {
      branch: 'backport/4-to-v1.2',
      commit: ff,
      base: 'v1.2',
      force: false,
    });
    expect(await w.sim.resolve(w.repo, 'refs/heads/backport/4-to-v1.2')).toBe(ff);
  });

  it('pushing what the branch already points at sends nothing', async () => {
    const tip = (await w.sim.resolve(w.repo, 'refs/heads/backport/1-to-v1.2'))!;
    const pushes = w.sim.pushLog.length;
    await pushBranch(gitdir, w.remote, {
      branch: 'backport/1-to-v1.2',
      commit: tip,
      base: 'v1.2',
      force: true,
    });
    expect(w.sim.pushLog.length).toBe(pushes);
  });
});
