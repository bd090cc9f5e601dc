import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { isBackportError } from '../../../src/errors.js';
import { cherryPick } from '../../../src/pick/cherry-pick.js';
import { fetchMissingObjects, fetchOnDemand } from '../../../src/repo/fetch-missing-objects.js';
import { fetchRefs } from '../../../src/repo/fetch-refs.js';
import { fetchBranch } from '../../../src/repo/git-remote.js';
import { pickGroups, prefetchTrees } from '../../../src/repo/prefetch-trees.js';
import { RemoteSession } from '../../../src/repo/remote-session.js';
import { GitObjectStore } from '../../../src/repo/storage/git-object-store.js';
import { hasObject, tempDir } from '../../support/git.js';
import { fsck, gitAsync, simWorld, type SimWorld } from './transport-world.js';

const text = (n: number, edit: Record<number, string> = {}) =>
  Array.from({ length: n }, (_, i) => edit[i] ?? `shared line ${i} of the module`).join('\n') + '\n';

/**
 * A commit whose tree is a large subtree no pick here touches, vendor/lib<i>/sub<j>/ with
 * 60 files each (one blob under many names, made with plumbing: a file per spawn is slow).
 */
async function vendorCommit(repoDir: string): Promise<string> {
  const mktree = async (lines: string[]) =>
    (await gitAsync(repoDir, ['mktree'], Buffer.from(lines.join('\n') + '\n'))).trim();
  const blob = (await gitAsync(repoDir, ['hash-object', '-w', '--stdin'], Buffer.from('vendored\n'))).trim();
  const libs: string[] = [];
  for (let i = 0; i < 3; i++) {
    const subs: string[] = [];
    for (let j = 0; j < 3; j++) {
      const files = Array.from({ length: 60 }, (_, k) => `100644 blob ${blob}\tf${k}-${i}-${j}.txt`);
      subs.push(`040000 tree ${await mktree(files)}\tsub${j}`);
    }
    libs.push(`040000 tree ${await mktree(subs)}\tlib${i}`);
  }
  const root = await mktree([`040000 tree ${await mktree(libs)}\tvendor`]);
  const commit = (await gitAsync(repoDir, ['commit-tree', root, '-m', 'vendor'])).trim();
  await gitAsync(repoDir, ['update-ref', 'refs/heads/main', commit]);
  return commit;
}

describe('a treeless fetch (filter tree:1) and trees fetched level by level', () => {
  let w: SimWorld;
  let base: string;
  let fix: string;
  let target: string;
  /** Every tree under vendor/ at the base (the same at the fix and on v9). */
  let vendorTrees: string[];

  beforeAll(async () => {
    w = await simWorld('acme', 'treeless');
    await vendorCommit(w.sim.repoPath(w.repo));
    base = await w.sim.commitFiles(w.repo, {
      branch: 'main',
      files: { 'src/a/deep/x.c': text(40), 'src/b.c': 'b\n', 'README.md': 'r\n' },
      message: 'base',
    });
    await w.sim.createBranch(w.repo, 'v9', base);
    // The target moves src/a/deep/ to src/moved/ and edits line 30: the pick must follow the rename.
    target = await w.sim.commitFiles(w.repo, {
      branch: 'v9',
      files: { 'src/a/deep/x.c': null, 'src/moved/x.c': text(40, { 30: 'line 30 on v9' }) },
      message: 'v9 moves x.c',
    });
    fix = await w.sim.commitFiles(w.repo, {
      branch: 'main',
      files: { 'src/a/deep/x.c': text(40, { 5: 'line 5 fixed' }) },
      message: 'fix line 5',
    });
    const out = await gitAsync(w.sim.repoPath(w.repo), ['ls-tree', '-r', '-t', base, 'vendor']);
    vendorTrees = out
      .split('\n')
      .filter((l) => l.includes(' tree '))
      .map((l) => l.split(/\s+/)[2]!);
    expect(vendorTrees).toHaveLength(13);
  });
  afterAll(() => w.close());

  const fetchesSince = (from: number) =>
    w.sim.requestLog
      .slice(from)
      .filter((e) => e.operationId === 'git/upload-pack' && e.upload?.command === 'fetch')
      .map((e) => e.upload!);

  /** The tree `git cherry-pick <fix>` makes on v9, in a clone of the simulator's repository. */
  async function gitsPickOnV9(branch = 'v9'): Promise<string> {
    const work = tempDir('bpa-tree-fetch-');
    try {
      await gitAsync(work.path, ['clone', '-q', w.sim.repoPath(w.repo), 'c']);
      const c = `${work.path}/c`;
      await gitAsync(c, ['checkout', '-q', branch]);
      await gitAsync(c, ['cherry-pick', fix]);
      return (await gitAsync(c, ['rev-parse', 'HEAD^{tree}'])).trim();
    } finally {
      work.remove();
    }
  }

  /** An empty cache that fetched main two deep (the fix and its parent), treeless. */
  async function treelessCache() {
    const gitdir = await w.emptyRepo();
    const session = RemoteSession.forBranches(w.remote, ['main', 'v9']);
    const from = w.sim.requestLog.length;
    expect(await fetchBranch(gitdir, session, 'main', { depth: 2, partial: true, treeless: true })).toBe(fix);
    const store = new GitObjectStore(gitdir);
    const local = { gitdir, store };
    fetchOnDemand(local, session);
    return { ...local, session, fetches: fetchesSince(from) };
  }

  it('brings commits and their root trees only, and git finds the cache sound', async () => {
    const { gitdir, store, fetches } = await treelessCache();
    expect(fetches).toEqual([expect.objectContaining({ filter: 'tree:1', deepen: 2, wants: 1 })]);
    const root = (await store.readCommit(fix)).tree;
    expect(hasObject(gitdir, root)).toBe(true);
    expect(hasObject(gitdir, (await store.readCommit(base)).tree)).toBe(true);
    const src = (await store.readTree(root)).find((e) => e.name === 'src')!.oid;
    expect(hasObject(gitdir, src)).toBe(false);
    for (const oid of vendorTrees) expect(hasObject(gitdir, oid)).toBe(false);
    await expect(fsck(gitdir)).resolves.toBeDefined();
    expect(await gitAsync(gitdir, ['config', 'remote.origin.partialclonefilter'])).toBe('tree:0\n');
  });

  it('fetches the trees a diff reads in one request per level, none of the untouched subtree', async () => {
    const { gitdir, store } = await treelessCache();
    const from = w.sim.requestLog.length;
    await prefetchTrees(store, await pickGroups(store, { commits: [fix] }));
    // src/, src/a/, src/a/deep/ at the base and at the fix: three levels, two trees each.
    expect(fetchesSince(from)).toEqual([
      expect.objectContaining({ filter: 'tree:0', wants: 2 }),
      expect.objectContaining({ filter: 'tree:0', wants: 2 }),
      expect.objectContaining({ filter: 'tree:0', wants: 2 }),
    ]);
    for (const oid of vendorTrees) expect(hasObject(gitdir, oid)).toBe(false);
    // Present now: walking again asks for nothing.
    const again = w.sim.requestLog.length;
    await prefetchTrees(store, await pickGroups(store, { commits: [fix] }));
    expect(fetchesSince(again)).toEqual([]);
    await expect(fsck(gitdir)).resolves.toBeDefined();
  });

  it('a pick on a treeless cache follows the target rename as git does, reading no vendored tree', async () => {
    const { gitdir, store, session } = await treelessCache();
    await prefetchTrees(store, await pickGroups(store, { commits: [fix] }));
    expect(
      await fetchBranch(gitdir, session, 'v9', { depth: 1, partial: true, treeless: true, have: fix }),
    ).toBe(target);
    await prefetchTrees(store, await pickGroups(store, { commits: [fix] }, target));
    const from = w.sim.requestLog.length;
    const result = await cherryPick(store, { commits: [fix], onto: target });
    expect(result.status).toBe('applied');
    // Only blobs were left to fetch: no tree is read on demand.
    for (const f of fetchesSince(from)) expect(f.filter).toBeUndefined();
    for (const oid of vendorTrees) expect(hasObject(gitdir, oid)).toBe(false);
    // Written: git still finds the cache sound (the absent trees are the promisor remote's).
    await store.flush();
    await expect(fsck(gitdir)).resolves.toBeDefined();

    expect((await store.readCommit((result as { commit: string }).commit)).tree).toBe(await gitsPickOnV9());
  });

  it('a cold cache: source and target in one request, then one walk brings the trees of both', async () => {
    const gitdir = await w.emptyRepo();
    const session = RemoteSession.forBranches(w.remote, ['main', 'v9']);
    const store = new GitObjectStore(gitdir);
    fetchOnDemand({ gitdir, store }, session);
    const from = w.sim.requestLog.length;
    const tips = await fetchRefs(gitdir, session, ['refs/heads/main', 'refs/heads/v9'], {
      depth: 2,
      partial: true,
      treeless: true,
    });
    expect([tips.get('refs/heads/main'), tips.get('refs/heads/v9')]).toEqual([fix, target]);
    await prefetchTrees(store, await pickGroups(store, { commits: [fix] }, [target]));
    expect(fetchesSince(from)).toEqual([
      // Both tips and their parents: commits and root trees (no have, so no thin deltas).
      expect.objectContaining({ filter: 'tree:1', deepen: 2, wants: 2 }),
      // src/ at base, fix and v9; src/a/ at base and fix. v9 lacks src/a/: the walk goes on
      // along v9's whole diff from the base too (the engine looks for v9's renames there), so
      // src/a/deep/ at base and fix come with src/moved/ on v9.
      expect.objectContaining({ filter: 'tree:0', wants: 3 }),
      expect.objectContaining({ filter: 'tree:0', wants: 2 }),
      expect.objectContaining({ filter: 'tree:0', wants: 3 }),
    ]);
    // The target is here: its fetch and the pick's own walk ask for nothing.
    const again = w.sim.requestLog.length;
    expect(
      await fetchBranch(gitdir, session, 'v9', { depth: 1, partial: true, treeless: true, have: fix }),
    ).toBe(target);
    await prefetchTrees(store, await pickGroups(store, { commits: [fix] }, target));
    expect(fetchesSince(again)).toEqual([]);
    const result = await cherryPick(store, { commits: [fix], onto: target });
    expect(result.status).toBe('applied');
    // Only blobs were left to fetch; the untouched subtree never came.
    for (const f of fetchesSince(again)) expect(f.filter).toBeUndefined();
    for (const oid of vendorTrees) expect(hasObject(gitdir, oid)).toBe(false);
    await store.flush();
    await expect(fsck(gitdir)).resolves.toBeDefined();
    expect((await store.readCommit((result as { commit: string }).commit)).tree).toBe(await gitsPickOnV9());
  });

  it('an absent tree is fetched when read, with the trees below it; never taken as empty', async () => {
    const { gitdir, store } = await treelessCache();
    const vendor = vendorTrees[0]!;
    const bare = new GitObjectStore(gitdir);
    const err = await bare.readTree(vendor).catch((e: unknown) => e);
    expect(isBackportError(err, 'unknown-revision')).toBe(true);
    const from = w.sim.requestLog.length;
    expect((await store.readTree(vendor)).map((e) => e.name)).toEqual(['lib0', 'lib1', 'lib2']);
    expect(fetchesSince(from)).toEqual([expect.objectContaining({ filter: 'blob:none', wants: 1 })]);
    for (const oid of vendorTrees) expect(hasObject(gitdir, oid)).toBe(true);
  });

  it('asks again for a wanted tree that tree:0 left out (an entry of a tree wanted before it)', async () => {
    const { gitdir, session } = await treelessCache();
    // vendor/, then vendor/lib0/ (its entry), then vendor/lib0/sub0/: git sends the first only.
    const out = await gitAsync(w.sim.repoPath(w.repo), [
      'rev-parse',
      `${base}:vendor`,
      `${base}:vendor/lib0`,
    ]);
    const [vendor, lib0] = out.trim().split('\n') as [string, string];
    const sub0 = (await gitAsync(w.sim.repoPath(w.repo), ['rev-parse', `${base}:vendor/lib0/sub0`])).trim();
    const from = w.sim.requestLog.length;
    await fetchMissingObjects(gitdir, session, [vendor, lib0, sub0], 'tree:0');
    for (const oid of [vendor, lib0, sub0]) expect(hasObject(gitdir, oid)).toBe(true);
    expect(fetchesSince(from).map((f) => f.wants)).toEqual([3, 1]);
    // Nothing else: vendor/lib1/ stays absent.
    expect(vendorTrees.filter((oid) => hasObject(gitdir, oid))).toHaveLength(3);
  });

  it('a target that differs elsewhere: the pick reads none of it, the whole walk after it does', async () => {
    await w.sim.createBranch(w.repo, 'v8', base);
    // v8 adds docs/guide/ (where the fix is not) and a file beside the one the fix edits.
    const v8 = await w.sim.commitFiles(w.repo, {
      branch: 'v8',
      files: { 'docs/guide/intro.md': 'intro\n', 'src/a/deep/y.c': 'y\n' },
      message: 'v8 docs',
    });
    const gitdir = await w.emptyRepo();
    const session = RemoteSession.forBranches(w.remote, ['main', 'v8']);
    const store = new GitObjectStore(gitdir);
    fetchOnDemand({ gitdir, store }, session);
    await fetchRefs(gitdir, session, ['refs/heads/main', 'refs/heads/v8'], {
      depth: 2,
      partial: true,
      treeless: true,
    });
    const out = await gitAsync(w.sim.repoPath(w.repo), ['rev-parse', `${v8}:docs`, `${v8}:docs/guide`]);
    const docs = out.trim().split('\n');
    const from = w.sim.requestLog.length;
    await prefetchTrees(store, await pickGroups(store, { commits: [fix] }, v8));
    // src/, src/a/, src/a/deep/ at base, fix and v8: nothing of docs/.
    expect(fetchesSince(from).map((f) => f.wants)).toEqual([3, 3, 3]);
    const result = await cherryPick(store, { commits: [fix], onto: v8 });
    expect(result.status).toBe('applied');
    for (const f of fetchesSince(from)) expect(f.filter).not.toBe('blob:none');
    expect(docs.filter((oid) => hasObject(gitdir, oid))).toEqual([]);
    expect((await store.readCommit((result as { commit: string }).commit)).tree).toBe(
      await gitsPickOnV9('v8'),
    );

    const after = w.sim.requestLog.length;
    await prefetchTrees(store, await pickGroups(store, { commits: [fix] }, v8), 'whole');
    expect(fetchesSince(after).map((f) => [f.filter, f.wants])).toEqual([
      ['tree:0', 1],
      ['tree:0', 1],
    ]);
    expect(docs.filter((oid) => hasObject(gitdir, oid))).toEqual(docs);
    for (const oid of vendorTrees) expect(hasObject(gitdir, oid)).toBe(false);
    await store.flush();
    await expect(fsck(gitdir)).resolves.toBeDefined();
  });

  // Last: it moves main.
  it('a later fetch with a treeless have completes the deltas against trees it lacks', async () => {
    const { gitdir, store, session } = await treelessCache();
    // One file more in a 60-entry directory: the server sends the new tree as a delta
    // against the old one, which this cache never fetched.
    const next = await w.sim.commitFiles(w.repo, {
      branch: 'main',
      files: { 'vendor/lib1/sub1/f60.txt': 'one more\n' },
      message: 'vendor one more',
    });
    session.forget();
    const from = w.sim.requestLog.length;
    expect(await fetchBranch(gitdir, session, 'main', { depth: 1, partial: true, treeless: true })).toBe(
      next,
    );
    // A have is here (the old tip): commits and new trees, then the delta bases it lacks.
    expect(fetchesSince(from)).toEqual([
      expect.objectContaining({ filter: 'blob:none', deepen: 1, wants: 1 }),
      expect.objectContaining({ filter: 'tree:0', wants: expect.any(Number) }),
    ]);
    const out = await gitAsync(w.sim.repoPath(w.repo), ['rev-parse', `${next}:vendor/lib1/sub1`]);
    expect((await store.readTree(out.trim())).map((e) => e.name)).toContain('f60.txt');
    await expect(fsck(gitdir)).resolves.toBeDefined();
  });
});
