import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { fetchBranch } from '../../../src/repo/git-remote.js';
import { GitObjectStore } from '../../../src/repo/storage/git-object-store.js';
import { ObjectReader } from '../../../src/repo/storage/object-reader.js';
import { fetchPack } from '../../../src/repo/transport/fetch-pack.js';
import { discoverRefs } from '../../../src/repo/transport/ref-advertisement.js';
import { readShallow } from '../../../src/repo/transport/shallow-file.js';
import { editLine, fsck, gitAsync, noisyText, simWorld, type SimWorld } from './transport-world.js';

/** ~190 KB that deflate cannot shrink much: sent whole, it dwarfs everything else. */
const BIG = noisyText(7, 3000);

describe('fetchBranch over smart HTTP (the real git http-backend)', () => {
  let w: SimWorld;
  const main: string[] = [];
  let release: string;
  let gitdir: string;

  beforeAll(async () => {
    w = await simWorld('acme', 'fetching');
    main.push(
      await w.sim.commitFiles(w.repo, {
        branch: 'main',
        files: { 'big.txt': BIG, 'src/a.c': 'int a;\n', README: 'hello\n' },
        message: 'one',
      }),
    );
    await w.sim.createBranch(w.repo, 'v1.2', main[0]!);
    for (let i = 2; i <= 4; i++) {
      main.push(
        await w.sim.commitFiles(w.repo, {
          branch: 'main',
          files: { 'src/a.c': `int a = ${i};\n`, [`notes/${i}.md`]: `note ${i}\n` },
          message: `main ${i}`,
        }),
      );
    }
    await w.sim.commitFiles(w.repo, {
      branch: 'v1.2',
      files: { 'big.txt': editLine(BIG, 1500, 'a hotfix on 1.2') },
      message: 'hotfix one',
    });
    release = await w.sim.commitFiles(w.repo, {
      branch: 'v1.2',
      files: {
        'big.txt': editLine(editLine(BIG, 1500, 'a hotfix on 1.2'), 10, 'and another'),
        'src/b.c': 'b\n',
      },
      message: 'hotfix two',
    });
    gitdir = await w.emptyRepo();
  });
  afterAll(() => w.close());

  it('fetches a branch one commit deep into an empty repository, which git then finds sound', async () => {
    const before = w.sim.stats.gitUploadBytes;
    expect(await fetchBranch(gitdir, w.remote, 'main', { depth: 1 })).toBe(main[3]);
    expect(w.sim.stats.gitUploadBytes - before).toBeGreaterThan(BIG.length / 2);
    expect(readShallow(gitdir)).toEqual([main[3]]);
    await fsck(gitdir);
    expect((await gitAsync(gitdir, ['rev-parse', 'refs/remotes/origin/main'])).trim()).toBe(main[3]);

    const store = new GitObjectStore(gitdir);
    const commit = await store.readCommit(main[3]!);
    expect(commit.message).toBe('main 4');
    const top = await store.readTree(commit.tree);
    expect(top.map((e) => e.name).sort()).toEqual(['README', 'big.txt', 'notes', 'src']);
    const big = top.find((e) => e.name === 'big.txt')!;
    expect(Buffer.from(await store.readBlob(big.oid)).toString()).toBe(BIG);
    await expect(store.readCommit(main[2]!)).rejects.toMatchObject({ code: 'unknown-revision' });
  });

  it('fetches another branch two deep with a have: a thin pack, small, completed with its bases', async () => {
    const before = w.sim.stats.gitUploadBytes;
    expect(await fetchBranch(gitdir, w.remote, 'v1.2', { depth: 2, have: main[3] })).toBe(release);
    const fetched = w.sim.stats.gitUploadBytes - before;
    // big.txt changed in both commits: whole it would be ~2 × 100 KB compressed.
    expect(fetched).toBeLessThan(8_000);
    expect(readShallow(gitdir).sort()).toEqual([main[3], await parentOf(release)].sort());
    await fsck(gitdir);

    const store = new GitObjectStore(gitdir);
    const tip = await store.readCommit(release);
    const files = await store.readTree(tip.tree);
    const big = files.find((e) => e.name === 'big.txt')!;
    expect(Buffer.from(await store.readBlob(big.oid)).toString()).toBe(
      editLine(editLine(BIG, 1500, 'a hotfix on 1.2'), 10, 'and another'),
    );
    const parent = await store.readCommit(tip.parents[0]!);
    expect(parent.message).toBe('hotfix one');
    // git reads every object of the pack it completed (its ref-deltas' bases are inside it now).
    const packs = fs.readdirSync(path.join(gitdir, 'objects', 'pack')).filter((f) => f.endsWith('.pack'));
    for (const pack of packs) await gitAsync(gitdir, ['verify-pack', path.join('objects', 'pack', pack)]);
  });

  it('deepens a branch: the shallow boundary moves back and the older commits read back', async () => {
    expect(await fetchBranch(gitdir, w.remote, 'main', { depth: 3 })).toBe(main[3]);
    const shallow = readShallow(gitdir);
    expect(shallow).toContain(main[1]);
    expect(shallow).not.toContain(main[3]);
    await fsck(gitdir);
    const store = new GitObjectStore(gitdir);
    expect((await store.readCommit(main[2]!)).message).toBe('main 3');
    expect((await store.readCommit(main[1]!)).message).toBe('main 2');
    const log = await gitAsync(gitdir, ['log', '--format=%s', 'refs/remotes/origin/main']);
    expect(log.trim().split('\n')).toEqual(['main 4', 'main 3', 'main 2']);
  });

  it('without a depth, fetches the new commits onto the shallow history, the boundary kept', async () => {
    const shallowBefore = readShallow(gitdir);
    const next = await w.sim.commitFiles(w.repo, {
      branch: 'main',
      files: { 'src/a.c': 'int a = 5;\n' },
      message: 'main 5',
    });
    expect(await fetchBranch(gitdir, w.remote, 'main')).toBe(next);
    expect(readShallow(gitdir)).toEqual(shallowBefore);
    await fsck(gitdir);
    const log = await gitAsync(gitdir, ['log', '--format=%s', 'refs/remotes/origin/main']);
    expect(log.trim().split('\n')).toEqual(['main 5', 'main 4', 'main 3', 'main 2']);
    main.push(next);
  });

  it('answers undefined for a branch the remote does not have, fetching nothing', async () => {
    const requests = w.sim.stats.gitRequests;
    expect(await fetchBranch(gitdir, w.remote, 'no-such-branch', { depth: 1 })).toBeUndefined();
    expect(w.sim.stats.gitRequests - requests).toBe(1);
  });

  it('receives a thin pack whose missing bases come from the repository (transport level)', async () => {
    const fresh = await w.emptyRepo();
    await fetchBranch(fresh, w.remote, 'main', { depth: 1 });
    const adv = await discoverRefs(w.remote.url, 'git-upload-pack', w.remote.token);
    const objects = new ObjectReader(fresh);
    try {
      const result = await fetchPack({
        url: adv.url,
        token: w.remote.token,
        serverCapabilities: adv.capabilities,
        want: adv.refs.get('refs/heads/v1.2')!,
        depth: 1,
        shallow: readShallow(fresh),
        haves: [main[3]!],
        packDir: path.join(fresh, 'objects', 'pack'),
        readExternal: (oid) => objects.read(oid),
      });
      expect(result.shallow).toEqual([release]);
      // Sent: the commit, its two trees, big.txt (as a delta against main's), src/a.c (main's
      // differs) and src/b.c; appended: main's big.txt, the one base the pack lacked.
      expect(result.pack).toMatchObject({ objects: 7, thinBases: 1 });
      const verify = await gitAsync(fresh, ['verify-pack', '-v', `objects/pack/${result.pack!.name}.pack`]);
      expect(verify).toContain('chain length = 1: 1 object');
    } finally {
      objects.close();
    }
  });

  it('reads the pack after several ACKs, and without side-band after the bare acknowledgement', async () => {
    const adv0 = await discoverRefs(w.remote.url, 'git-upload-pack', w.remote.token);
    for (const sideBand of [true, false]) {
      const next = await w.sim.commitFiles(w.repo, {
        branch: 'v1.2',
        files: { [`later-${sideBand}.txt`]: 'later\n' },
        message: `later ${sideBand}`,
      });
      const capabilities = new Map(adv0.capabilities);
      if (!sideBand) {
        capabilities.delete('side-band-64k');
        capabilities.delete('side-band');
      }
      const objects = new ObjectReader(gitdir);
      try {
        // main[2] is main[3]'s parent: upload-pack acknowledges it too, without multi_ack.
        const result = await fetchPack({
          url: adv0.url,
          token: w.remote.token,
          serverCapabilities: capabilities,
          want: next,
          depth: 1,
          shallow: readShallow(gitdir),
          haves: [main[3]!, main[2]!, release],
          packDir: path.join(gitdir, 'objects', 'pack'),
          readExternal: (oid) => objects.read(oid),
        });
        expect(result.pack?.objects).toBeGreaterThan(0);
        expect(objects.read(next)?.type).toBe('commit');
      } finally {
        objects.close();
      }
    }
    await fsck(gitdir);
  });

  async function parentOf(oid: string): Promise<string> {
    return (await w.sim.resolve(w.repo, `${oid}^`))!;
  }
});
