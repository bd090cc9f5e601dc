import { fetchInto } from './fetch-into.js';
import { chooseHaves } from './git-remote.js';
import { RemoteSession, type RemoteAccess } from './remote-session.js';
import { ObjectReader } from './storage/object-reader.js';
import { rememberedUploadPack } from './transport/upload-pack-discovery.js';

/**
 * Fetches one commit by its id, `depth` deep (commits and trees, as `fetchBranch` with
 * `partial`), with no ref discovery first: a warm job knows the merge commit from the pull
 * request before it knows the refs it will need (those wait for the configuration), so the
 * fetch need not wait behind them. Protocol v2 lets a client want any object by id, not only
 * advertised tips (git's upload-pack only checks that it exists); GitHub serves v2, and a
 * fetch by id is what `actions/checkout` does there.
 *
 * Done only when it can be one thin request: the server's v2 capabilities are remembered
 * (an earlier job), and the cache has commits to offer as `have`s (`haveRef` first). True
 * when the commit is here after it; false when nothing was asked, or the fetch failed (the
 * failure is dropped: the caller's usual path, a discovery then a fetch of the branch, runs
 * as before and reports what goes wrong).
 */
export async function fetchCommitById(
  gitdir: string,
  remote: RemoteAccess,
  sha: string,
  opts: { depth: number; haveRef: string },
): Promise<boolean> {
  const objects = new ObjectReader(gitdir);
  try {
    if (objects.read(sha)?.type === 'commit') return true;
    const found = rememberedUploadPack(remote.url);
    if (!found) return false;
    const haves = await chooseHaves(gitdir, objects, opts.haveRef, undefined);
    // An empty cache's fetch is different (targets alongside, `tree:1`): prepareSource's.
    if (haves.length === 0) return false;
    // No `remembered` mark: a failure is not retried here with a fresh discovery.
    await fetchInto(gitdir, objects, new RemoteSession(remote), found, {
      want: sha,
      depth: opts.depth,
      haves,
      partial: true,
    });
    return objects.read(sha)?.type === 'commit';
  } catch {
    return false;
  } finally {
    objects.close();
  }
}

/**
 * Fetches one commit by id, `depth` deep, through the job's session (its one discovery, no
 * more requests for it): for a merged commit whose branch was deleted after the merge. The
 * commit is still on GitHub, and protocol v2 lets a client want it by id whatever refs point
 * at it; a v0 server does not, and neither does a server that refuses the id. False then,
 * or when the fetch failed (the caller reports the branch as missing).
 */
export async function fetchCommitWithout(
  gitdir: string,
  session: RemoteSession,
  sha: string,
  depth: number,
): Promise<boolean> {
  const objects = new ObjectReader(gitdir);
  try {
    const found = await session.discovery();
    if (found.version !== 2) return false;
    await fetchInto(gitdir, objects, session, found, {
      want: sha,
      depth,
      haves: await chooseHaves(gitdir, objects, '', undefined),
      partial: true,
      treeless: true,
    });
    return objects.read(sha)?.type === 'commit';
  } catch {
    return false;
  } finally {
    objects.close();
  }
}
