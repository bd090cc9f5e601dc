// A partial cache (blobs left out) names commits as haves whose blobs it does not have; the
// server, trusting the haves, sends a thin pack with deltas against those blobs. The durable
// e2e test failed on exactly this when the resolve job ran on the instance that had not made
// the backport: "Could not fetch v1.1: the pack the server sent cannot be read".
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fetchBranch } from '../../../src/repo/git-remote.js';
import { RemoteSession } from '../../../src/repo/remote-session.js';
import { ObjectReader } from '../../../src/repo/storage/object-reader.js';
import { editLine, fsck, gitAsync, noisyText, simWorld, type SimWorld } from './transport-world.js';

/** Large enough that git prefers a delta against the have's version to the whole blob. */
const BIG = noisyText(11, 2000);

describe('a thin pack whose bases a partial cache lacks (the real git http-backend)', () => {
  let w: SimWorld;
  let mainTip: string;
  let releaseTip: string;
  const blob = (rev: string) => gitAsync(w.sim.repoPath(w.repo), ['rev-parse', rev]).then((s) => s.trim());

  beforeAll(async () => {
    w = await simWorld('acme', 'thin-bases');
    const first = await w.sim.commitFiles(w.repo, {
      branch: 'main',
      files: { 'big.txt': BIG, 'small.txt': 'small\n' },
      message: 'one',
    });
    await w.sim.createBranch(w.repo, 'v1.1', first);
    mainTip = await w.sim.commitFiles(w.repo, {
      branch: 'main',
      files: { 'big.txt': editLine(BIG, 100, 'a change on main') },
      message: 'two',
    });
    releaseTip = await w.sim.commitFiles(w.repo, {
      branch: 'v1.1',
      files: { 'big.txt': editLine(BIG, 1500, 'a hotfix on v1.1') },
      message: 'hotfix',
    });
  });
  afterAll(() => w.close());

  it('fetches the bases in a second round, as git index-pack does, and the cache stays sound', async () => {
    const gitdir = await w.emptyRepo();
    const session = RemoteSession.forBranches(w.remote, ['main', 'v1.1']);
    expect(await fetchBranch(gitdir, session, 'main', { depth: 1, partial: true })).toBe(mainTip);
    const mainBig = await blob(`${mainTip}:big.txt`);
    const reader = new ObjectReader(gitdir);
    try {
      expect(reader.has(mainBig)).toBe(false);
      // Whole (not partial), with main's tip as the have: as a /backport resolve fetches its target.
      const requests = w.sim.stats.gitRequests;
      expect(await fetchBranch(gitdir, session, 'v1.1', { depth: 1, have: mainTip })).toBe(releaseTip);
      // The pack, then the bases it lacked: main's big.txt came only as a base, so the
      // delta against it is what the server sent (and what this test is about).
      expect(w.sim.stats.gitRequests - requests).toBe(2);
      expect(reader.has(mainBig)).toBe(true);
      const releaseBig = reader.read(await blob(`${releaseTip}:big.txt`));
      expect(releaseBig?.data.toString()).toBe(editLine(BIG, 1500, 'a hotfix on v1.1'));
    } finally {
      reader.close();
    }
    await fsck(gitdir);
    await gitAsync(gitdir, ['cat-file', '-e', `${releaseTip}:big.txt`]);
  });

  it('says what is wrong when a v0 server (no fetching by id) sends such a pack', async () => {
    const gitdir = await w.emptyRepo();
    const session = RemoteSession.forBranches(w.remote, ['main', 'v1.1']);
    await fetchBranch(gitdir, session, 'main', { depth: 1, partial: true });
    w.sim.git.protocolV2 = false;
    try {
      const fresh = RemoteSession.forBranches(w.remote, ['v1.1']);
      await expect(fetchBranch(gitdir, fresh, 'v1.1', { depth: 1, have: mainTip })).rejects.toThrow(
        'Could not fetch v1.1: the server sent deltas against an object the repository lacks.',
      );
    } finally {
      w.sim.git.protocolV2 = true;
    }
    await fsck(gitdir);
  });
});
