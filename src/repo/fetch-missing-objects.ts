import path from 'node:path';
import { transportError } from './git-remote.js';
import { markPromisorPack } from './partial-repository.js';
import type { RemoteSession } from './remote-session.js';
import type { GitObjectStore } from './storage/git-object-store.js';
import { ObjectReader } from './storage/object-reader.js';
import { fetchPackV2 } from './transport/fetch-pack-v2.js';
import { TransportError } from './transport/transport-error.js';

/** Wants per request: a few thousand ids keep a request body under ~200 KB. */
const MAX_WANTS = 4000;

/**
 * Fetches the objects of `oids` that a partial repository lacks, in batched `want`s (one
 * request per 4,000): what a pick, a missing-fix check or a rebuild reads from a cache
 * that was fetched with `filter blob:none`. Returns how many were asked for.
 */
export async function fetchMissingObjects(
  gitdir: string,
  session: RemoteSession,
  oids: Iterable<string>,
): Promise<number> {
  const objects = new ObjectReader(gitdir);
  try {
    const missing = [...new Set(oids)].filter((oid) => !objects.has(oid));
    if (missing.length === 0) return 0;
    const found = await session.discovery();
    if (found.version !== 2) {
      throw new TransportError(
        'the server does not speak protocol v2, so it cannot send the missing objects',
      );
    }
    for (let i = 0; i < missing.length; i += MAX_WANTS) {
      const result = await fetchPackV2({
        url: found.url,
        token: () => session.remote.token(),
        serverCapabilities: found.capabilities,
        wants: missing.slice(i, i + MAX_WANTS),
        shallow: [],
        haves: [],
        packDir: path.join(gitdir, 'objects', 'pack'),
        readExternal: (oid) => objects.read(oid),
      });
      if (result.pack) markPromisorPack(gitdir, result.pack.name);
    }
    return missing.length;
  } finally {
    objects.close();
  }
}

/**
 * Lets a cache repository's store fetch the blobs it lacks from the job's remote: what makes
 * a partial cache (`fetchBranch` with `partial`) safe to pick on. A failure is a `fetch-failed`
 * error naming the server's answer.
 */
export function fetchOnDemand(
  local: { gitdir: string; store: GitObjectStore },
  session: RemoteSession,
): void {
  local.store.setPromisor(async (oids) => {
    try {
      await fetchMissingObjects(local.gitdir, session, oids);
    } catch (err) {
      throw transportError(
        'fetch-failed',
        `Could not fetch ${oids.length === 1 ? 'a file' : `${oids.length} files`} the pick reads`,
        err,
      );
    }
  });
}
