import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { fetchOnDemand } from '../../../src/repo/fetch-missing-objects.js';
import { fetchBranch } from '../../../src/repo/git-remote.js';
import { RemoteSession } from '../../../src/repo/remote-session.js';
import { RepoCache } from '../../../src/repo/repo-cache.js';
import { tempDir } from '../../support/git.js';
import { gitAsync, noisyText, simWorld, type SimWorld } from './transport-world.js';

/** Bytes of every file under a directory, as the cache counts them. */
function bytesUnder(dir: string): number {
  let bytes = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) bytes += fs.statSync(path.join(e.parentPath, e.name)).size;
  return bytes;
}

describe('a partial clone in the cache and its disk budget', () => {
  let w: SimWorld;
  let big: string;
  let cacheDir: { path: string; remove: () => void };

  beforeAll(async () => {
    w = await simWorld('acme', 'budget');
    const tip = await w.sim.commitFiles(w.repo, {
      branch: 'main',
      files: { 'big.txt': noisyText(7, 20_000), 'a.txt': 'a\n' },
      message: 'one',
    });
    big = (await gitAsync(w.sim.repoPath(w.repo), ['rev-parse', `${tip}:big.txt`])).trim();
    cacheDir = tempDir('bpa-budget-');
  });
  afterAll(() => {
    cacheDir.remove();
    return w.close();
  });

  it('counts the blobs fetched on demand: a repository they take over the budget is evicted', async () => {
    const [owner, name] = w.repo.split('/') as [string, string];
    const partial = await new RepoCache(cacheDir.path).open(owner, name);
    const session = RemoteSession.forBranches(w.remote, ['main']);
    fetchOnDemand(partial, session);
    await fetchBranch(partial.gitdir, session, 'main', { depth: 1, partial: true });
    const withoutBlobs = bytesUnder(partial.gitdir);
    // A pick reads the big file: fetched now, into a promisor pack of its own.
    expect((await partial.store.readBlob(big)).length).toBeGreaterThan(100_000);
    const withBlobs = bytesUnder(partial.gitdir);
    expect(withBlobs - withoutBlobs).toBeGreaterThan(50_000);
    partial.release();

    // A budget the repository fits without its blobs, not with them: it goes at the next open.
    const budget = Math.floor((withoutBlobs + withBlobs) / 2);
    const cache = new RepoCache(cacheDir.path, { maxBytes: budget });
    await cache.open('acme', 'other').then((o) => o.release());
    expect(fs.existsSync(partial.gitdir)).toBe(false);
  });
});
