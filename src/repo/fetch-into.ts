import path from 'node:path';
import { markPartial, markPromisorPack } from './partial-repository.js';
import type { RemoteSession } from './remote-session.js';
import type { ObjectReader } from './storage/object-reader.js';
import { fetchPack } from './transport/fetch-pack.js';
import { fetchPackV2 } from './transport/fetch-pack-v2.js';
import { fetchFeature } from './transport/protocol-v2.js';
import { forgetCapabilities, type UploadPackDiscovery } from './transport/upload-pack-discovery.js';
import { readShallow, updateShallow } from './transport/shallow-file.js';
import { TransportError } from './transport/transport-error.js';

/**
 * One fetch round in the protocol the server speaks; a filtered one marks the repository
 * partial. Capabilities remembered from an earlier job may be stale (the server changed):
 * a round made with them that fails is made once more with freshly asked ones. Several
 * commits (`want` a list) come in the one round, all `depth` deep.
 *
 * The filter: `tree:1` (commits and root trees) when `treeless` and there is no `have`;
 * else `blob:none`, which sends only the trees no `have` reaches. A `have` whose trees
 * are absent (a treeless fetch's commit) makes the server leave those out too, and delta
 * against them: the bases the repository lacks are fetched before the pack is indexed,
 * and the trees left out come when read (`prefetchTrees`, or the store's on-demand fetch).
 */
export async function fetchInto(
  gitdir: string,
  objects: ObjectReader,
  session: RemoteSession,
  found: UploadPackDiscovery,
  f: {
    want: string | readonly string[];
    depth: number | undefined;
    haves: string[];
    partial: boolean;
    treeless?: boolean;
  },
): Promise<void> {
  const round = async (d: UploadPackDiscovery) => {
    const common = {
      url: d.url,
      token: () => session.remote.token(),
      depth: f.depth,
      shallow: readShallow(gitdir),
      haves: f.haves,
      packDir: path.join(gitdir, 'objects', 'pack'),
      readExternal: (oid: string) => objects.read(oid),
    };
    if (d.version !== 2) return fetchPack({ ...common, want: f.want, serverCapabilities: d.capabilities });
    let filter: 'tree:1' | 'blob:none' | undefined;
    if (f.partial && fetchFeature(d.capabilities, 'filter')) {
      filter = f.treeless && f.haves.length === 0 ? 'tree:1' : 'blob:none';
    }
    if (filter) await markPartial(gitdir, filter === 'tree:1' ? 'tree:0' : filter);
    const fetched = await fetchPackV2({
      ...common,
      wants: typeof f.want === 'string' ? [f.want] : f.want,
      serverCapabilities: d.capabilities,
      filter,
    });
    if (filter && fetched.pack) markPromisorPack(gitdir, fetched.pack.name);
    return fetched;
  };
  let result;
  try {
    result = await round(found);
  } catch (err) {
    // A busy or failing server (5xx, 429) is the job's retry's business, not stale capabilities.
    if (!found.remembered || isServerTrouble(err)) throw err;
    forgetCapabilities(session.remote.url);
    session.forget();
    result = await round(await session.discovery());
  }
  updateShallow(gitdir, result.shallow, result.unshallow);
}

function isServerTrouble(err: unknown): boolean {
  const status = err instanceof TransportError ? err.status : undefined;
  return status !== undefined && (status >= 500 || status === 429);
}
