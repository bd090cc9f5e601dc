import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { cherryPick } from '../../src/pick/cherry-pick.js';
import { consolidatePacks } from '../../src/repo/consolidate-packs.js';
import { fetchMissingObjects } from '../../src/repo/fetch-missing-objects.js';
import { fetchBranch } from '../../src/repo/git-remote.js';
import { RemoteSession } from '../../src/repo/remote-session.js';
import { RepoCache } from '../../src/repo/repo-cache.js';
import { GitObjectStore } from '../../src/repo/storage/git-object-store.js';
import { createHash } from 'node:crypto';
import { git, tempDir } from '../support/git.js';
import { editLine, fsck, gitAsync, simWorld, type SimWorld } from './transport/transport-world.js';

const LINES = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
const MAX_PACKS = 4;

const packFiles = (gitdir: string, ext: string) =>
  fs.readdirSync(path.join(gitdir, 'objects', 'pack')).filter((f) => f.endsWith(ext));

/** Every object id the repository holds, as git itself lists them. */
async function allObjects(gitdir: string): Promise<string[]> {
  const out = await gitAsync(gitdir, ['cat-file', '--batch-all-objects', '--batch-check=%(objectname)']);
  return out.trim().split('\n').sort();
}

/** Picks `commit` onto `onto`; blobs come through `promisor` (which may refuse). */
async function pick(
  gitdir: string,
  commit: string,
  onto: string,
  promisor: (oids: string[]) => Promise<unknown>,
) {
  const store = new GitObjectStore(gitdir);
  try {
    store.setPromisor(promisor);
    const result = await cherryPick(store, { commits: [commit], onto });
    expect(result.status).toBe('applied');
    if (result.status !== 'applied') throw new Error('conflict');
    return (await store.readCommit(result.commit)).tree;
  } finally {
    store.close();
  }
}

describe('a cache repository with many packs (defect f)', () => {
  let w: SimWorld;
  const root = tempDir('bpa-consolidate-');
  const tips: string[] = [];
  const trees: string[] = [];
  let target: string;
  let gitdir: string;
  let content = LINES;

  beforeAll(async () => {
    w = await simWorld('acme', 'consolidate');
    await w.sim.commitFiles(w.repo, { branch: 'main', files: { 'src/a.c': LINES }, message: 'one' });
    await w.sim.createBranch(w.repo, 'v1.2', 'main');
    target = await w.sim.commitFiles(w.repo, {
      branch: 'v1.2',
      files: { 'src/a.c': editLine(LINES, 39, 'line 40 on 1.2') },
      message: 'hotfix',
    });
  });
  afterAll(async () => {
    await w.close();
    root.remove();
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('is consolidated, not fetched afresh: the count stays bounded and every object stays', async () => {
    const cache = new RepoCache(root.path, { maxPacks: MAX_PACKS });
    let consolidated = 0;
    let left = 0;
    for (let i = 0; i < 10; i++) {
      // Lines apart: each pick merges cleanly onto the target, which lacks the earlier fixes.
      content = editLine(content, 3 * i, `line ${3 * i + 1} fixed`);
      tips.push(
        await w.sim.commitFiles(w.repo, {
          branch: 'main',
          files: { 'src/a.c': content },
          message: `fix ${i}`,
        }),
      );
      const local = await cache.open('acme', 'consolidate');
      gitdir = local.gitdir;
      const opened = packFiles(gitdir, '.pack').length;
      if (opened < left) consolidated++;
      expect(opened).toBeLessThanOrEqual(MAX_PACKS);
      const session = new RemoteSession(w.remote, ['refs/heads/main', 'refs/heads/v1.2']);
      expect(await fetchBranch(gitdir, session, 'v1.2', { depth: 1, partial: true })).toBe(target);
      expect(await fetchBranch(gitdir, session, 'main', { depth: 2, partial: true })).toBe(tips[i]);
      // The pick reads blobs, which come as packs of their own.
      trees.push(await pick(gitdir, tips[i]!, target, (oids) => fetchMissingObjects(gitdir, session, oids)));
      local.release();
      left = packFiles(gitdir, '.pack').length;
    }
    expect(consolidated).toBeGreaterThan(0);

    // Nothing is fetched again: every pick is redone from the cache alone.
    const before = await allObjects(gitdir);
    const local = await cache.open('acme', 'consolidate');
    const refuse = async (oids: string[]) => {
      throw new Error(`fetched again: ${oids.join(' ')}`);
    };
    for (let i = 0; i < tips.length; i++) expect(await pick(gitdir, tips[i]!, target, refuse)).toBe(trees[i]);
    local.release();
    expect(await allObjects(gitdir)).toEqual(before);
    await fsck(gitdir);
  });

  it('rewrites every pack as one, keeps the partial clone marks, and git finds it sound', async () => {
    await w.sim.commitFiles(w.repo, { branch: 'main', files: { 'src/c.c': 'c\n' }, message: 'c' });
    await fetchBranch(gitdir, new RemoteSession(w.remote, ['refs/heads/main']), 'main', {
      depth: 2,
      partial: true,
    });
    const before = await allObjects(gitdir);
    expect(packFiles(gitdir, '.pack').length).toBeGreaterThan(1);
    const result = await consolidatePacks(gitdir);
    expect(result.after).toBe(1);
    const [pack] = packFiles(gitdir, '.pack');
    expect(packFiles(gitdir, '.promisor')).toEqual([pack!.replace(/\.pack$/, '.promisor')]);
    expect(await allObjects(gitdir)).toEqual(before);
    await fsck(gitdir);
    // git's own reader agrees with the rewritten index and the re-aimed deltas.
    await gitAsync(gitdir, [
      'verify-pack',
      path.join(gitdir, 'objects', 'pack', pack!.replace(/\.pack$/, '.idx')),
    ]);
  });

  it('leaves a usable repository when it stops half way, and finishes on the next call', async () => {
    // More packs: a few more fetches and picks into the same repository.
    for (let i = 0; i < 3; i++) {
      content = editLine(content, 30 + 3 * i, `later ${i}`);
      const tip = await w.sim.commitFiles(w.repo, {
        branch: 'main',
        files: { 'src/a.c': content },
        message: `later ${i}`,
      });
      const session = new RemoteSession(w.remote, ['refs/heads/main']);
      await fetchBranch(gitdir, session, 'main', { depth: 2, partial: true });
      await pick(gitdir, tip, target, (oids) => fetchMissingObjects(gitdir, session, oids));
    }
    const before = await allObjects(gitdir);
    const packs = packFiles(gitdir, '.pack').length;
    expect(packs).toBeGreaterThan(1);

    // Stops after the new pack is in place, while the old ones are being removed.
    const rm = fs.promises.rm;
    let removed = 0;
    jest.spyOn(fs.promises, 'rm').mockImplementation(async (target, options) => {
      if (String(target).endsWith('.pack') && ++removed === 2) throw new Error('killed');
      return rm(target, options);
    });
    await expect(consolidatePacks(gitdir)).rejects.toThrow('killed');
    jest.restoreAllMocks();
    expect(await allObjects(gitdir)).toEqual(before);
    await fsck(gitdir);
    for (let i = 0; i < tips.length; i++) {
      expect(
        await pick(gitdir, tips[i]!, target, async () => Promise.reject(new Error('fetched again'))),
      ).toBe(trees[i]);
    }

    // Stops before the new pack's index is in place: a pack without index and a temporary file are left.
    const rename = fs.promises.rename;
    jest.spyOn(fs.promises, 'rename').mockImplementation(async (from, to) => {
      if (String(to).endsWith('.idx')) throw new Error('killed');
      return rename(from, to);
    });
    const more = await w.sim.commitFiles(w.repo, {
      branch: 'main',
      files: { 'src/b.c': 'b\n' },
      message: 'b',
    });
    await fetchBranch(gitdir, new RemoteSession(w.remote, ['refs/heads/main']), 'main', {
      depth: 2,
      partial: true,
    });
    expect(await allObjects(gitdir)).toContain(more);
    const withMore = await allObjects(gitdir);
    await expect(consolidatePacks(gitdir)).rejects.toThrow('killed');
    jest.restoreAllMocks();
    expect(await allObjects(gitdir)).toEqual(withMore);
    await fsck(gitdir);

    const result = await consolidatePacks(gitdir);
    expect(result.after).toBe(1);
    expect(fs.readdirSync(path.join(gitdir, 'objects', 'pack')).filter((f) => f.startsWith('tmp_'))).toEqual(
      [],
    );
    expect(await allObjects(gitdir)).toEqual(withMore);
    await fsck(gitdir);
  });
});

describe('consolidatePacks on packs git made', () => {
  it('keeps deltas working when copies overlap and bases move to other packs', async () => {
    const dir = tempDir('bpa-consolidate-git-');
    try {
      const repo = dir.path;
      git(repo, ['init', '-q', '--bare']);
      git(repo, ['symbolic-ref', 'HEAD', 'refs/heads/main']);
      const commit = (i: number) => {
        const text = Array.from({ length: 300 }, (_, k) => `row ${k} ${k === i ? 'changed' : 'same'}`).join(
          '\n',
        );
        const blob = git(repo, ['hash-object', '-w', '--stdin'], text).trim();
        const tree = git(repo, ['mktree'], `100644 blob ${blob}\tfile.txt\n`).trim();
        const parent = i > 0 ? ['-p', 'main'] : [];
        const sha = git(repo, ['commit-tree', tree, ...parent, '-m', `c${i}`]).trim();
        git(repo, ['update-ref', 'refs/heads/main', sha]);
      };
      for (let i = 0; i < 10; i++) commit(i);
      const main = (n: number) => git(repo, ['rev-parse', `main~${n}`]).trim();
      const pack = (revs: string, ofs: boolean) =>
        git(
          repo,
          [
            'pack-objects',
            '-q',
            '--revs',
            ...(ofs ? ['--delta-base-offset'] : []),
            path.join(repo, 'objects', 'pack', 'pack'),
          ],
          revs,
        );
      // Overlapping packs with deltas of their own (by offset, and in one by id): whichever
      // comes first, the others' deltas lose bases to it, or have copies skipped between
      // them and their bases, so their distances change.
      pack(`${main(4)}\n`, true);
      pack(`${main(0)}\n^${main(7)}\n`, true);
      pack(`${main(2)}\n^${main(8)}\n`, false);
      git(repo, ['prune-packed']);
      git(repo, ['prune', '--expire=now']);
      const dump = () =>
        createHash('sha1')
          .update(git(repo, ['cat-file', '--batch-all-objects', '--batch']))
          .digest('hex');
      const before = dump();
      expect(packFiles(repo, '.pack')).toHaveLength(3);
      expect(git(repo, ['count-objects', '-v'])).toMatch(/^count: 0$/m);
      expect(
        git(repo, [
          'verify-pack',
          '-v',
          ...packFiles(repo, '.idx').map((f) => path.join(repo, 'objects', 'pack', f)),
        ]),
      ).toMatch(/chain length = [1-9]/);

      const result = await consolidatePacks(repo);
      expect(result).toEqual({ before: 3, after: 1 });
      expect(packFiles(repo, '.promisor')).toEqual([]);
      const idx = path.join(repo, 'objects', 'pack', packFiles(repo, '.idx')[0]!);
      expect(git(repo, ['verify-pack', '-v', idx])).toMatch(/chain length = [1-9]/);
      git(repo, ['fsck', '--full', '--strict']);
      expect(dump()).toBe(before);
      const store = new GitObjectStore(repo);
      try {
        const tip = git(repo, ['rev-parse', 'main']).trim();
        const tree = await store.readTree((await store.readCommit(tip)).tree);
        expect(Buffer.from(await store.readBlob(tree[0]!.oid)).toString()).toContain('row 9 changed');
      } finally {
        store.close();
      }
    } finally {
      dir.remove();
    }
  });
});
