import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fetchRefs } from '../../../src/repo/fetch-refs.js';
import { ObjectReader } from '../../../src/repo/storage/object-reader.js';
import { GitObjectStore } from '../../../src/repo/storage/git-object-store.js';
import { fsck, gitAsync, simWorld, type SimWorld } from './transport-world.js';

describe('fetchRefs: several refs in one round', () => {
  let w: SimWorld;
  let tips: Record<string, string>;

  beforeAll(async () => {
    w = await simWorld('acme', 'fetch-refs');
    await w.sim.commitFiles(w.repo, { branch: 'main', files: { 'a.txt': 'one\n' }, message: 'one' });
    await w.sim.createBranch(w.repo, 'v1', 'main');
    await w.sim.commitFiles(w.repo, { branch: 'v1', files: { 'b.txt': 'v1\n' }, message: 'on v1' });
    await w.sim.commitFiles(w.repo, { branch: 'main', files: { 'a.txt': 'two\n' }, message: 'two' });
    await w.sim.commitFiles(w.repo, { branch: 'main', files: { 'a.txt': 'three\n' }, message: 'three' });
    await w.sim.commitFiles(w.repo, { branch: 'main', files: { 'a.txt': 'four\n' }, message: 'four' });
    tips = await w.sim.refs(w.repo);
  });
  afterAll(() => w.close());

  /** What each upload-pack POST since `from` asked for. */
  const uploads = (from: number) => w.sim.requestLog.slice(from).flatMap((r) => (r.upload ? [r.upload] : []));

  it('brings every ref asked for with one upload-pack request, each as deep as asked', async () => {
    const gitdir = await w.emptyRepo();
    const before = w.sim.requestLog.length;
    const got = await fetchRefs(gitdir, w.remote, ['refs/heads/main', 'refs/heads/v1', 'refs/heads/gone'], {
      depth: 2,
    });
    expect([...got]).toEqual([
      ['refs/heads/main', tips['refs/heads/main']],
      ['refs/heads/v1', tips['refs/heads/v1']],
      ['refs/heads/gone', undefined],
    ]);
    // One ls-refs and one fetch (after the capabilities' GET): commits and trees only.
    expect(uploads(before)).toEqual([
      { command: 'ls-refs', wants: 0 },
      { command: 'fetch', wants: 2, deepen: 2 },
    ]);
    await fsck(gitdir);
    const store = new GitObjectStore(gitdir);
    const main = await store.readCommit(tips['refs/heads/main']!);
    expect((await store.readCommit(main.parents[0]!)).message).toBe('three');
    // Two deep: the commit before is not here.
    await expect(
      store.readCommit((await store.readCommit(main.parents[0]!)).parents[0]!),
    ).rejects.toMatchObject({
      code: 'unknown-revision',
    });
    expect((await gitAsync(gitdir, ['rev-parse', 'refs/remotes/origin/v1'])).trim()).toBe(
      tips['refs/heads/v1'],
    );

    // Asked again with nothing new: only the refs are listed (the capabilities are remembered).
    const again = w.sim.requestLog.length;
    await fetchRefs(gitdir, w.remote, ['refs/heads/main', 'refs/heads/v1'], { depth: 2 });
    expect(uploads(again)).toEqual([{ command: 'ls-refs', wants: 0 }]);
    expect(w.sim.requestLog.slice(again)).toHaveLength(1);
  });

  it('with partial, leaves the blobs out and marks the repository a partial clone', async () => {
    const gitdir = await w.emptyRepo();
    const before = w.sim.requestLog.length;
    await fetchRefs(gitdir, w.remote, ['refs/heads/main', 'refs/heads/v1'], { depth: 1, partial: true });
    expect(uploads(before).at(-1)).toEqual({ command: 'fetch', wants: 2, deepen: 1, filter: 'blob:none' });
    const store = new GitObjectStore(gitdir);
    const main = await store.readCommit(tips['refs/heads/main']!);
    const [entry] = await store.readTree(main.tree);
    const objects = new ObjectReader(gitdir);
    expect(objects.has(entry!.oid)).toBe(false);
    objects.close();
    expect((await gitAsync(gitdir, ['config', 'remote.origin.promisor'])).trim()).toBe('true');
    // git itself sees a partial clone: the blob is promised, not missing.
    await fsck(gitdir);
  });
});
