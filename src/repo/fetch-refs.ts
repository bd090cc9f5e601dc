import fs from 'node:fs';
import git from 'isomorphic-git';
import { fetchInto } from './fetch-into.js';
import { chooseHaves, ensureOrigin, transportError } from './git-remote.js';
import { RemoteSession, type RemoteAccess } from './remote-session.js';
import { ObjectReader } from './storage/object-reader.js';
import { TransportError } from './transport/transport-error.js';

const HEADS = 'refs/heads/';

/**
 * Fetches several refs in one round: one ref discovery (the session's, which names these
 * refs) and one fetch for all of them, `depth` commits deep, as a thin pack against what the
 * cache already has. Commits already here are not asked for again, so an update that changed
 * nothing costs only the discovery. With `partial`, a server that speaks protocol v2 and
 * offers `filter` sends commits and trees only, as for a backport: the store fetches the
 * blobs a pick reads, in batches (see `fetch-missing-objects.ts`); other servers send whole
 * trees. With `treeless` too, a cache with no commit to offer as a `have` (an empty one)
 * gets commits and root trees only (`filter tree:1`, see `fetchBranch`). Returns each ref's
 * tip (undefined when the remote has no such ref); branches are kept as
 * `refs/remotes/origin/<branch>` (their later fetches start from there), other refs (such
 * as a pull request's test merge) are not recorded.
 */
export async function fetchRefs(
  gitdir: string,
  remote: RemoteAccess | RemoteSession,
  refs: readonly string[],
  opts: {
    depth?: number;
    partial?: boolean;
    treeless?: boolean;
    /** What a failure says could not be fetched (default: the refs). */
    what?: string;
  } = {},
): Promise<Map<string, string | undefined>> {
  const session = remote instanceof RemoteSession ? remote : new RemoteSession(remote, refs);
  await ensureOrigin(gitdir, session.remote.url);
  const objects = new ObjectReader(gitdir);
  const tips = new Map<string, string | undefined>();
  try {
    // The session names these refs, so this is its one discovery (or its snapshot).
    let found;
    for (const ref of refs) found = await session.discovery(ref);
    if (found === undefined) return tips;
    for (const ref of refs) tips.set(ref, found.refs.get(ref));
    const want = [...new Set([...tips.values()].filter((t): t is string => t !== undefined))].filter(
      (oid) => objects.read(oid)?.type !== 'commit',
    );
    if (want.length > 0) {
      await fetchInto(gitdir, objects, session, found, {
        want,
        depth: opts.depth,
        haves: await chooseHaves(gitdir, objects, '', undefined),
        partial: opts.partial ?? false,
        treeless: opts.treeless ?? false,
      });
      for (const oid of want) {
        if (objects.read(oid)?.type !== 'commit')
          throw new TransportError('the server did not send every ref');
      }
    }
  } catch (err) {
    throw transportError('fetch-failed', `Could not fetch ${opts.what ?? refs.join(', ')}`, err);
  } finally {
    objects.close();
  }
  for (const [ref, tip] of tips) {
    if (tip !== undefined && ref.startsWith(HEADS)) {
      const local = `refs/remotes/origin/${ref.slice(HEADS.length)}`;
      await git.writeRef({ fs, gitdir, ref: local, value: tip, force: true });
    }
  }
  return tips;
}
