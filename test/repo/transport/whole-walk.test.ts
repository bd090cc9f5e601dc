import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { bringTargetTrees } from '../../../src/jobs/bring-target-trees.js';
import { fetchOnDemand } from '../../../src/repo/fetch-missing-objects.js';
import { fetchRefs } from '../../../src/repo/fetch-refs.js';
import { fetchBranch } from '../../../src/repo/git-remote.js';
import { pickGroups, prefetchTrees } from '../../../src/repo/prefetch-trees.js';
import { RemoteSession } from '../../../src/repo/remote-session.js';
import type { CachedRepository } from '../../../src/repo/repo-cache.js';
import { GitObjectStore } from '../../../src/repo/storage/git-object-store.js';
import { readWalkedTrees, writeWalkedTrees } from '../../../src/repo/walked-trees.js';
import { FastImport, tempDir } from '../../support/git.js';
import { Random } from '../../support/random.js';
import { gitAsync, simWorld, type SimWorld } from './transport-world.js';

/*
 * The whole walk after a job's picks (jobs/bring-target-trees.ts), guided by the record of
 * the last one onto each target, against the walk of every directory where the versions
 * differ (the record deleted first, as before there was one): on the same caches, the same
 * requests and the same trees here after, while reading a fraction of the trees.
 */

type Files = Record<string, string | null>;

/** Directories a world starts with (a file in each), and some that only edits create. */
const DIRS = Array.from({ length: 8 }, (_, i) =>
  Array.from({ length: 3 }, (_, j) => [`a${i}/b${j}`, `a${i}/b${j}/c0`, `a${i}/b${j}/c1/d`]).flat(),
).flat();
const NEW_DIRS = ['n0/x', 'n1', 'n2/y/z', 'a3/new'];

/** Commits `files` on `branch` over `parent` in the simulator's repository; returns it. */
function commit(w: SimWorld, branch: string, parent: string | undefined, files: Files): string {
  const fi = new FastImport();
  const mark = fi.commit(`refs/heads/${branch}`, files, { parents: parent ? [parent] : [] });
  return fi.run(w.sim.repoPath(w.repo)).get(mark)!;
}

function randomEdits(r: Random, n: number): Files {
  const files: Files = {};
  for (let k = 0; k < n; k++) {
    const dir = r.chance(0.15) ? r.pick(NEW_DIRS) : r.pick(DIRS);
    if (r.chance(0.1)) files[dir] = null;
    else files[`${dir}/f${r.int(2)}.txt`] = `${dir} ${r.int(1e9)}\n`;
  }
  return files;
}

/** A cache as a job opens it: absent objects are fetched from the simulator. */
function open(w: SimWorld, gitdir: string, branches: string[]) {
  const session = RemoteSession.forBranches(w.remote, branches);
  const store = new GitObjectStore(gitdir);
  fetchOnDemand({ gitdir, store }, session);
  const local: CachedRepository = { gitdir, store, release: async () => store.close() };
  return { local, session };
}

/** The trees here, read by git (which lists what is present and fetches nothing). */
async function treesHere(gitdir: string): Promise<string[]> {
  const out = await gitAsync(gitdir, [
    'cat-file',
    '--batch-all-objects',
    '--batch-check=%(objecttype) %(objectname)',
  ]);
  return out
    .split('\n')
    .filter((l) => l.startsWith('tree '))
    .map((l) => l.slice(5))
    .sort();
}

interface Walk {
  requests: { filter?: string; wants: number }[];
  /** Trees the whole walk read (it reads with keep: false, the pick's walk does not). */
  reads: number;
  trees: string[];
}

describe('the whole walk after a job, guided by the record of the last one', () => {
  let w: SimWorld;
  const dirs: { remove: () => void }[] = [];
  beforeAll(async () => {
    w = await simWorld('acme', 'walked');
  });
  afterAll(async () => {
    await w.close();
    for (const d of dirs) d.remove();
  });

  const fetchesSince = (from: number) =>
    w.sim.requestLog
      .slice(from)
      .filter((e) => e.operationId === 'git/upload-pack' && e.upload?.command === 'fetch')
      .map((e) => ({ filter: e.upload!.filter, wants: e.upload!.wants }));

  /** Two copies of one empty cache: `old` walks with no record, `new` with its record. */
  function twoCaches(): { old: string; new: string } {
    const root = tempDir('bpa-walked-');
    dirs.push(root);
    const caches = { old: path.join(root.path, 'old.git'), new: path.join(root.path, 'new.git') };
    for (const gitdir of Object.values(caches)) fs.mkdirSync(gitdir);
    return caches;
  }

  /**
   * One job onto `targets` in `gitdir`, as run-backport makes it: the fetches (treeless and
   * all in one on an empty cache, else thin against what is here), the pick's walk, then
   * the whole walk, which this measures. `record: false` deletes the record first; `picked:
   * false` leaves the pick's walk out (a job whose picks failed before it).
   */
  async function job(
    gitdir: string,
    [source, fix]: [string, string],
    targets: string[],
    { record, picked = true }: { record: boolean; picked?: boolean },
  ): Promise<Walk> {
    if (!fs.existsSync(path.join(gitdir, 'HEAD'))) await gitAsync(gitdir, ['init', '-q', '--bare']);
    const { local, session } = open(w, gitdir, [source, ...targets]);
    const warm = fs.readdirSync(path.join(gitdir, 'objects', 'pack')).length > 0;
    let tips: string[];
    if (!warm) {
      const heads = [source, ...targets].map((b) => `refs/heads/${b}`);
      const got = await fetchRefs(gitdir, session, heads, { depth: 2, partial: true, treeless: true });
      tips = heads.slice(1).map((h) => got.get(h)!);
    } else {
      await fetchBranch(gitdir, session, source, { depth: 2, partial: true, treeless: true });
      tips = [];
      for (const t of targets) {
        tips.push(
          (await fetchBranch(gitdir, session, t, { depth: 1, have: fix, partial: true, treeless: true }))!,
        );
      }
    }
    if (picked) await prefetchTrees(local.store, await pickGroups(local.store, { commits: [fix] }, tips));
    if (!record) fs.rmSync(path.join(gitdir, 'backport-walked-trees'), { force: true });
    let reads = 0;
    const read = local.store.readRawTree.bind(local.store);
    local.store.readRawTree = (oid, options) => {
      if (options?.keep === false) reads++;
      return read(oid, options);
    };
    const from = w.sim.requestLog.length;
    await bringTargetTrees(local, { commits: [fix] }, targets);
    const requests = fetchesSince(from);
    await local.release();
    return { requests, reads, trees: await treesHere(gitdir) };
  }

  /** Whether every tree a whole walk with no record reads is here: it then asks for none. */
  async function wholeDiffHere(gitdir: string, fix: string, targets: string[]): Promise<boolean> {
    const store = new GitObjectStore(gitdir);
    let asked = false;
    store.setPromisor(async () => {
      asked = true;
    });
    const tips = targets.map((t) =>
      fs.readFileSync(path.join(gitdir, 'refs/remotes/origin', t), 'utf8').trim(),
    );
    await prefetchTrees(store, await pickGroups(store, { commits: [fix] }, tips), 'whole').catch(() => {
      asked = true;
    });
    store.close();
    return !asked;
  }

  /** Both caches make the same job; `old` first, with its record deleted. */
  async function both(
    caches: { old: string; new: string },
    source: [string, string],
    targets: string[],
    picked = true,
  ) {
    return {
      old: await job(caches.old, source, targets, { record: false, picked }),
      new: await job(caches.new, source, targets, { record: true, picked }),
    };
  }

  it('a warm job reads what changed since, and brings the same trees in the same requests', async () => {
    const main = 'main';
    const base = commit(w, main, undefined, Object.fromEntries(DIRS.map((d) => [`${d}/f0.txt`, `${d}\n`])));
    // release differs from main in a0..a3; main moves on in a4..a5 after it branched.
    const edits: Files = {};
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 3; j++) edits[`a${i}/b${j}/c1/d/f0.txt`] = `release ${i}.${j}\n`;
    const release = commit(w, 'release', base, edits);
    const moved = commit(w, main, base, { 'a4/b0/c0/f0.txt': 'main\n', 'a5/b1/f0.txt': 'main\n' });
    const fix1 = commit(w, main, moved, { 'a6/b2/c0/f0.txt': 'fix 1\n' });
    const caches = twoCaches();
    const cold = await both(caches, [main, fix1], ['release']);
    // An empty cache has no record: the same walk.
    expect(cold.new).toEqual(cold.old);
    expect(cold.old.requests.length).toBeGreaterThan(0);
    expect([...readWalkedTrees(caches.new).keys()]).toEqual(['release']);

    // release changes a7/, where it was main's until now: main's a7/ trees were never
    // brought, and the server leaves them out of main's thin fetch (an old tip has them).
    commit(w, 'release', release, { 'a7/b0/c1/d/f1.txt': 'release 7\n', 'n1/f0.txt': 'new on release\n' });
    const fix2 = commit(w, main, fix1, { 'a1/b1/f0.txt': 'fix 2\n' });
    const warm = await both(caches, [main, fix2], ['release']);
    expect(warm.old.requests.length).toBeGreaterThan(0);
    expect(warm.new.requests).toEqual(warm.old.requests);
    expect(warm.new.trees).toEqual(warm.old.trees);
    expect(warm.new.reads * 4).toBeLessThan(warm.old.reads);
    expect(await wholeDiffHere(caches.new, fix2, ['release'])).toBe(true);

    // Nothing moved but the fix: the next job reads little more than the fix's directories.
    const fix3 = commit(w, main, fix2, { 'a2/b0/c0/f0.txt': 'fix 3\n' });
    const again = await both(caches, [main, fix3], ['release']);
    expect(again.new.requests).toEqual(again.old.requests);
    expect(again.new.trees).toEqual(again.old.trees);
    expect(again.new.reads * 5).toBeLessThan(again.old.reads);
  });

  it('a record whose trees are not here is no record: the same reads and requests', async () => {
    const main = 'bogus-main';
    const base = commit(
      w,
      main,
      undefined,
      Object.fromEntries(DIRS.map((d) => [`${d}/f0.txt`, `bogus ${d}\n`])),
    );
    commit(w, 'v2', base, { 'a0/b0/c1/d/f0.txt': 'v2\n', 'a1/b2/f0.txt': 'v2\n' });
    const fix = commit(w, main, base, { 'a0/b0/f0.txt': 'fix\n' });
    const caches = twoCaches();
    for (const gitdir of Object.values(caches)) await gitAsync(gitdir, ['init', '-q', '--bare']);
    writeWalkedTrees(caches.new, new Map([['v2', ['1'.repeat(40), '2'.repeat(40)] as const]]));
    const walks = await both(caches, [main, fix], ['v2']);
    expect(walks.new).toEqual(walks.old);
    expect(walks.old.requests.length).toBeGreaterThan(0);
  });

  it.each([1, 2, 3])(
    'random histories onto two targets (seed %i): the same as the whole walk',
    async (seed) => {
      const r = new Random(seed);
      const main = `main-${seed}`;
      const base = commit(
        w,
        main,
        undefined,
        Object.fromEntries(DIRS.map((d) => [`${d}/f0.txt`, `${seed} ${d}\n`])),
      );
      const heads = new Map<string, string>([[main, base]]);
      const move = (branch: string, edits: number) =>
        heads.set(branch, commit(w, branch, heads.get(branch) ?? base, randomEdits(r, edits)));
      const targets = [`r${seed}a`, `r${seed}b`];
      for (const t of targets) move(t, 1 + r.int(6));
      const caches = twoCaches();
      for (let step = 0; step < 4; step++) {
        for (let k = r.int(3); k > 0; k--) move(main, 1 + r.int(4));
        for (const t of targets) if (r.chance(0.5)) move(t, 1 + r.int(3));
        move(main, 1 + r.int(3));
        const fix = heads.get(main)!;
        // Once, no pick's walk before it: the commit's own change is this walk's to bring.
        const walks = await both(caches, [main, fix], targets, step !== 2);
        const { reads: oldReads, ...old } = walks.old;
        const { reads: newReads, ...now } = walks.new;
        expect({ step, ...now }).toEqual({ step, ...old });
        expect(newReads).toBeLessThanOrEqual(oldReads);
        expect(await wholeDiffHere(caches.new, fix, targets)).toBe(true);
      }
    },
  );
});
