import path from 'node:path';
import { transportError } from './git-remote.js';
import { fetchExactly } from './fetch-exactly.js';
import { markPromisorPack } from './partial-repository.js';
import type { RemoteSession } from './remote-session.js';
import type { GitObjectStore } from './storage/git-object-store.js';
import { ObjectReader } from './storage/object-reader.js';
import { fetchPackV2 } from './transport/fetch-pack-v2.js';
import { fetchFeature } from './transport/protocol-v2.js';
import { TransportError } from './transport/transport-error.js';

/** Wants per request: a few thousand ids keep a request body under ~200 KB. */
const MAX_WANTS = 4000;

/**
 * Fetches the objects of `oids` that a partial repository lacks, in batched `want`s (one
 * request per 4,000): what a pick, a missing-fix check or a rebuild reads from a cache
 * that was fetched with `filter blob:none` or `tree:1`. Returns how many were asked for.
 *
 * `filter` says what comes with a wanted tree: `tree:0` nothing (exactly the objects named:
 * git sends a wanted object whatever the filter), `blob:none` every tree below it (what
 * git's own lazy fetch asks for), none (blobs only): everything below it. A server that
 * offers no filter sends everything below.
 */
export async function fetchMissingObjects(
  gitdir: string,
  session: RemoteSession,
  oids: Iterable<string>,
  filter?: 'tree:0' | 'blob:none',
): Promise<number> {
  const objects = new ObjectReader(gitdir);
  try {
    const missing = objects.absent(new Set(oids));
    if (missing.length === 0) return 0;
    const found = await session.discovery();
    if (found.version !== 2) {
      throw new TransportError(
        'the server does not speak protocol v2, so it cannot send the missing objects',
      );
    }
    // `tree:0` may leave out a wanted tree that another one contains: asked for again.
    await fetchExactly(
      missing,
      (wanted) => objects.absent(wanted),
      async (wants) => {
        for (let i = 0; i < wants.length; i += MAX_WANTS) {
          const result = await fetchPackV2({
            url: found.url,
            token: () => session.remote.token(),
            serverCapabilities: found.capabilities,
            wants: wants.slice(i, i + MAX_WANTS),
            filter: filter && fetchFeature(found.capabilities, 'filter') ? filter : undefined,
            shallow: [],
            haves: [],
            packDir: path.join(gitdir, 'objects', 'pack'),
            readExternal: (oid) => objects.read(oid),
          });
          if (result.pack) markPromisorPack(gitdir, result.pack.name);
        }
      },
    );
    return missing.length;
  } finally {
    objects.close();
  }
}

/**
 * Lets a cache repository's store fetch the blobs and trees it lacks from the job's remote:
 * what makes a partial cache (`fetchBranch` with `partial`) safe to pick on. A failure is a
 * `fetch-failed` error naming the server's answer.
 */
export function fetchOnDemand(
  local: { gitdir: string; store: GitObjectStore },
  session: RemoteSession,
): void {
  local.store.setPromisor(async (oids, filter) => {
    try {
      await fetchMissingObjects(local.gitdir, session, oids, filter);
    } catch (err) {
      const [one, many] = filter ? ['a directory', 'directories'] : ['a file', 'files'];
      const n = oids.length === 1 ? one : `${oids.length} ${many}`;
      throw transportError('fetch-failed', `Could not fetch ${n} the pick reads`, err);
    }
  });
}
