import { postService } from './git-http-request.js';
import type { FetchPackOptions, FetchPackResult } from './fetch-pack.js';
import { receivePack } from './fetch-pack.js';
import { PackIndexer } from './pack-indexer.js';
import { lineText, PktLineReader } from './pkt-line.js';
import { commandRequest, fetchFeature, GIT_PROTOCOL_V2 } from './protocol-v2.js';
import { SideBandReader } from './side-band-reader.js';
import { TransportError } from './transport-error.js';

/** Wants per request for a thin pack's missing bases: a request body stays under ~200 KB. */
const MAX_BASE_WANTS = 4000;

export interface FetchPackV2Options extends Omit<FetchPackOptions, 'want' | 'serverCapabilities'> {
  /** Commits (or, for a partial repository's missing blobs, any objects) to fetch. */
  wants: readonly string[];
  /** The server's v2 capabilities. */
  serverCapabilities: ReadonlyMap<string, string>;
  /**
   * `blob:none`: commits and trees only, the blobs are fetched as they are needed;
   * `tree:1`: commits and their root trees only; `tree:0` with explicit wants: exactly
   * the objects wanted (git sends an object named in a `want` whatever the filter).
   */
  filter?: string | undefined;
}

/**
 * One v2 `fetch` round (stateless, with `done`: no negotiation round trip). The answer is a
 * `shallow-info` section when deepening, then the `packfile` section, side-band framed,
 * which streams into `objects/pack` while it is indexed. Bases of a thin pack that the
 * repository lacks (it is partial) come in a second round, as `git index-pack` fetches them.
 */
export async function fetchPackV2(o: FetchPackV2Options): Promise<FetchPackResult> {
  // Exactly the objects named (`tree:0`: a wanted tree comes without what is below it, which
  // a repository without trees would otherwise get whole, blobs and all), when the server
  // filters; no haves: packs that are not thin, so these rounds need no bases themselves.
  const filter = fetchFeature(o.serverCapabilities, 'filter') ? 'tree:0' : undefined;
  return fetchRound(o, async (oids) => {
    for (let i = 0; i < oids.length; i += MAX_BASE_WANTS) {
      const wants = oids.slice(i, i + MAX_BASE_WANTS);
      await fetchRound({ ...o, wants, haves: [], shallow: [], depth: undefined, filter });
    }
  });
}

async function fetchRound(
  o: FetchPackV2Options,
  fetchBases?: (oids: string[]) => Promise<void>,
): Promise<FetchPackResult> {
  const res = await postService(o.url, 'upload-pack', o.token, fetchRequest(o), GIT_PROTOCOL_V2);
  const result: FetchPackResult = { shallow: [], unshallow: [], pack: undefined };
  let indexer: PackIndexer | undefined;
  const sideBand = new SideBandReader((chunk) => {
    if (chunk.length === 0) return;
    indexer ??= new PackIndexer(o.packDir);
    indexer.write(chunk);
  });
  const reader = new PktLineReader();
  const at: { section: string | undefined } = { section: undefined };
  const step = (): void => {
    for (;;) {
      if (at.section === 'packfile') {
        sideBand.drain(reader);
        return;
      }
      const pkt = reader.readV2();
      if (pkt === undefined) return;
      if (pkt === 'delim') {
        at.section = undefined;
        continue;
      }
      if (pkt === 'flush' || pkt === 'end') throw new TransportError('the server sent no pack');
      const line = lineText(pkt);
      if (line.startsWith('ERR '))
        throw new TransportError('the server refused', { remoteMessage: line.slice(4) });
      if (at.section === undefined) at.section = line;
      else if (at.section === 'shallow-info') shallowInfo(line, result);
      // Other sections (acknowledgments, wanted-refs, packfile-uris) are not asked for: skipped.
    }
  };
  result.pack = await receivePack(res, reader, step, {
    complete: () => at.section === 'packfile' && sideBand.done,
    indexer: () => indexer,
    readExternal: (oid) => o.readExternal(oid),
    ...(fetchBases ? { fetchBases } : {}),
  });
  return result;
}

/** The arguments of the `fetch` command: what is wanted, how shallow, what is here, `done`. */
export function fetchRequest(o: FetchPackV2Options): Buffer {
  const caps = o.serverCapabilities;
  const args = ['thin-pack', 'no-progress', 'ofs-delta'];
  for (const oid of o.wants) args.push(`want ${oid}`);
  const shallowOk = fetchFeature(caps, 'shallow');
  if (shallowOk) for (const oid of o.shallow) args.push(`shallow ${oid}`);
  if (o.depth !== undefined) {
    if (!shallowOk) throw new TransportError('the server cannot send part of a history');
    args.push(`deepen ${o.depth}`);
  }
  if (o.filter !== undefined) {
    if (!fetchFeature(caps, 'filter')) throw new TransportError('the server cannot leave out blobs');
    args.push(`filter ${o.filter}`);
  }
  for (const oid of o.haves) args.push(`have ${oid}`);
  args.push('done');
  return commandRequest('fetch', caps, args);
}

function shallowInfo(line: string, result: FetchPackResult): void {
  const m = /^(shallow|unshallow) ([0-9a-f]{40})$/.exec(line);
  if (!m) throw new TransportError('the server answered out of protocol');
  (m[1] === 'shallow' ? result.shallow : result.unshallow).push(m[2]!);
}
