import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { metrics } from '../../../src/common/metrics.js';
import { isBackportError } from '../../../src/errors.js';
import { fetchOnDemand, fetchMissingObjects } from '../../../src/repo/fetch-missing-objects.js';
import { cherryPick } from '../../../src/pick/cherry-pick.js';
import { fetchBranch } from '../../../src/repo/git-remote.js';
import { RemoteSession } from '../../../src/repo/remote-session.js';
import { GitObjectStore } from '../../../src/repo/storage/git-object-store.js';
import { hasObject } from '../../support/git.js';
import { fsck, gitAsync, noisyText, simWorld, type SimWorld } from './transport-world.js';

const BIG = noisyText(3, 2000);

describe('a partial fetch (protocol v2, filter blob:none) and blobs on demand', () => {
  let w: SimWorld;
  let tip: string;
  const blob: Record<string, string> = {};

  beforeAll(async () => {
    w = await simWorld('acme', 'partial');
    tip = await w.sim.commitFiles(w.repo, {
      branch: 'main',
      files: { 'big.txt': BIG, 'a.txt': 'a\n', 'b.txt': 'b\n', 'c.txt': 'c\n' },
      message: 'one',
    });
    for (const name of ['big.txt', 'a.txt', 'b.txt', 'c.txt']) {
      blob[name] = (await gitAsync(w.sim.repoPath(w.repo), ['rev-parse', `${tip}:${name}`])).trim();
    }
  });
  afterAll(() => w.close());

  async function partialCache() {
    const gitdir = await w.emptyRepo();
    const session = RemoteSession.forBranches(w.remote, ['main']);
    const before = w.sim.stats.gitUploadBytes;
    expect(await fetchBranch(gitdir, session, 'main', { depth: 1, partial: true })).toBe(tip);
    return { gitdir, session, fetched: w.sim.stats.gitUploadBytes - before };
  }

  it('brings the commit and its tree, no blob, and git finds the cache sound', async () => {
    const { gitdir, fetched } = await partialCache();
    expect(fetched).toBeLessThan(BIG.length / 4);
    for (const oid of Object.values(blob)) expect(hasObject(gitdir, oid)).toBe(false);
    const store = new GitObjectStore(gitdir);
    expect((await store.readTree((await store.readCommit(tip)).tree)).map((e) => e.name)).toEqual([
      'a.txt',
      'b.txt',
      'big.txt',
      'c.txt',
    ]);
    // git accepts the missing blobs: the pack came from the promisor remote.
    await expect(fsck(gitdir)).resolves.toBeDefined();
  });

  it('counts what a v2 fetch receives in the bytes-fetched metric', async () => {
    const counted = async () => (await metrics.bytesFetched.get()).values[0]?.value ?? 0;
    const before = await counted();
    const { fetched } = await partialCache();
    const received = (await counted()) - before;
    // The pack's round, not the ref listing: more than nothing, no more than the server sent.
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThanOrEqual(fetched);
  });

  it('fetches the blobs a caller names in one request, only those absent', async () => {
    const { gitdir, session } = await partialCache();
    const from = w.sim.requestLog.length;
    expect(await fetchMissingObjects(gitdir, session, [blob['a.txt']!, blob['b.txt']!, blob['a.txt']!])).toBe(
      2,
    );
    expect(w.sim.requestLog.slice(from).map((e) => e.operationId)).toEqual(['git/upload-pack']);
    expect(hasObject(gitdir, blob['a.txt']!)).toBe(true);
    expect(hasObject(gitdir, blob['big.txt']!)).toBe(false);
    expect(await fetchMissingObjects(gitdir, session, [blob['a.txt']!])).toBe(0);
    await expect(fsck(gitdir)).resolves.toBeDefined();
  });

  it('a store with a promisor reads an absent blob by fetching it, and prefetches in one batch', async () => {
    const { gitdir, session } = await partialCache();
    const local = { gitdir, store: new GitObjectStore(gitdir) };
    fetchOnDemand(local, session);
    expect(Buffer.from(await local.store.readBlob(blob['big.txt']!)).toString()).toBe(BIG);
    const from = w.sim.requestLog.length;
    await local.store.prefetchBlobs([blob['a.txt']!, blob['b.txt']!, blob['big.txt']!]);
    expect(w.sim.requestLog.length - from).toBe(1);
    expect(Buffer.from(await local.store.readBlob(blob['b.txt']!)).toString()).toBe('b\n');
    expect(w.sim.requestLog.length - from).toBe(1);
  });

  it('an absent blob is never taken as empty: without a promisor, or when the remote does not send it', async () => {
    const { gitdir } = await partialCache();
    const bare = new GitObjectStore(gitdir);
    const err = await bare.readBlob(blob['c.txt']!).catch((e: unknown) => e);
    expect(isBackportError(err, 'unknown-revision')).toBe(true);
    const stingy = new GitObjectStore(gitdir);
    stingy.setPromisor(async () => undefined);
    const err2 = await stingy.readBlob(blob['c.txt']!).catch((e: unknown) => e);
    expect(isBackportError(err2, 'unknown-revision')).toBe(true);
    expect((err2 as Error).message).toContain('the remote did not send it');
  });

  it('a pick on a partial cache: renames compared and lines merged with blobs fetched in batches', async () => {
    const text = (n: number, edit: Record<number, string> = {}) =>
      Array.from({ length: n }, (_, i) => edit[i] ?? `shared line ${i} of the module`).join('\n') + '\n';
    // On a branch of its own: the other tests fetch main.
    await w.sim.createBranch(w.repo, 'trunk', tip);
    const base = await w.sim.commitFiles(w.repo, {
      branch: 'trunk',
      files: { 'src/old.c': text(40), 'src/other.c': 'other\n' },
      message: 'base',
    });
    await w.sim.createBranch(w.repo, 'v9', base);
    const target = await w.sim.commitFiles(w.repo, {
      branch: 'v9',
      files: { 'src/old.c': text(40, { 30: 'line 30 on v9' }) },
      message: 'v9 edits line 30',
    });
    // Upstream renames the file and edits it: finding the rename compares blobs.
    const fix = await w.sim.commitFiles(w.repo, {
      branch: 'trunk',
      files: { 'src/old.c': null, 'src/new.c': text(40, { 5: 'line 5 fixed' }) },
      message: 'rename and fix',
    });
    const gitdir = await w.emptyRepo();
    const session = RemoteSession.forBranches(w.remote, ['trunk', 'v9']);
    expect(await fetchBranch(gitdir, session, 'trunk', { depth: 2, partial: true })).toBe(fix);
    expect(await fetchBranch(gitdir, session, 'v9', { depth: 1, partial: true, have: fix })).toBe(target);
    const local = { gitdir, store: new GitObjectStore(gitdir) };
    fetchOnDemand(local, session);
    const from = w.sim.requestLog.length;
    const result = await cherryPick(local.store, { commits: [fix], onto: target });
    expect(result.status).toBe('applied');
    const tree = await local.store.readTree(
      (await local.store.readCommit((result as { commit: string }).commit)).tree,
    );
    const src = await local.store.readTree(tree.find((e) => e.name === 'src')!.oid);
    expect(src.map((e) => e.name).sort()).toEqual(['new.c', 'other.c']);
    const merged = Buffer.from(
      await local.store.readBlob(src.find((e) => e.name === 'new.c')!.oid),
    ).toString();
    expect(merged).toBe(text(40, { 5: 'line 5 fixed', 30: 'line 30 on v9' }));
    // One batch for rename detection, one for the line merge.
    const fetches = w.sim.requestLog.slice(from).filter((e) => e.operationId === 'git/upload-pack');
    expect(fetches).toHaveLength(2);
  });
  it('a server without filter support sends whole trees instead', async () => {
    w.sim.git.allowFilter = false;
    try {
      const { gitdir, fetched } = await partialCache();
      expect(fetched).toBeGreaterThan(BIG.length / 2);
      for (const oid of Object.values(blob)) expect(hasObject(gitdir, oid)).toBe(true);
    } finally {
      w.sim.git.allowFilter = true;
    }
  });
});
