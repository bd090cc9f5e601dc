import type { IncomingMessage } from 'node:http';
import { metrics } from '../../common/metrics.js';
import type { RawObject } from '../storage/pack-reader.js';
import { postService, responseChunks } from './git-http-request.js';
import { PackIndexer, type IndexedPack } from './pack-indexer.js';
import { lineText, PktLineReader } from './pkt-line.js';
import { SideBandReader } from './side-band-reader.js';
import { TransportError } from './transport-error.js';
import { sideBandOf, uploadPackRequest, type UploadPackRequest } from './upload-pack-request.js';

export interface FetchPackOptions extends UploadPackRequest {
  /** The remote's URL as the ref advertisement answered at. */
  url: string;
  token?: () => Promise<string>;
  /** `objects/pack` of the repository receiving the pack. */
  packDir: string;
  /** Reads an object of the repository: a thin pack's bases. */
  readExternal(oid: string): RawObject | undefined;
}

export interface FetchPackResult {
  /** Commits the server made shallow, and those it deepened past. */
  shallow: string[];
  unshallow: string[];
  /** The pack written, or undefined when the server had nothing to send. */
  pack: IndexedPack | undefined;
}

/**
 * One upload-pack round: sends the request, reads the shallow update (when deepening) and
 * the ACK/NAK, then streams the pack into `objects/pack` while indexing it.
 */
export async function fetchPack(o: FetchPackOptions): Promise<FetchPackResult> {
  const body = uploadPackRequest(o);
  const res = await postService(o.url, 'upload-pack', o.token, body);
  const result: FetchPackResult = { shallow: [], unshallow: [], pack: undefined };
  // Set inside `step`, which TypeScript's narrowing cannot see: hence the object.
  const at: { phase: 'shallow' | 'ack' | 'pack' } = { phase: o.depth !== undefined ? 'shallow' : 'ack' };
  let indexer: PackIndexer | undefined;
  const toPack = (chunk: Buffer) => {
    if (chunk.length === 0) return;
    indexer ??= new PackIndexer(o.packDir);
    indexer.write(chunk);
  };
  const sideBand = sideBandOf(o.serverCapabilities) ? new SideBandReader(toPack) : undefined;
  const reader = new PktLineReader();
  const step = (): void => {
    for (;;) {
      if (at.phase === 'pack') {
        if (sideBand) sideBand.drain(reader);
        else toPack(reader.takeRest());
        return;
      }
      // Without side-band the pack follows the acknowledgements unframed.
      if (
        at.phase === 'ack' &&
        !sideBand &&
        reader.buffered >= 4 &&
        reader.peek(4).toString('latin1') === 'PACK'
      ) {
        at.phase = 'pack';
        continue;
      }
      const pkt = reader.read();
      if (pkt === undefined) return;
      if (at.phase === 'shallow') {
        if (pkt === 'flush') at.phase = 'ack';
        else shallowLine(lineText(pkt), result);
        continue;
      }
      const line = pkt === 'flush' ? '' : lineText(pkt);
      if (line.startsWith('ERR ')) {
        throw new TransportError('the server refused', { remoteMessage: line.slice(4) });
      }
      // One ACK per have that is a first common commit (a have whose child was acknowledged
      // is acknowledged again), or one NAK; then the pack.
      if (line === 'NAK' || /^ACK [0-9a-f]{40}/.test(line)) continue;
      if (!sideBand || pkt === 'flush') throw new TransportError('the server answered out of protocol');
      at.phase = 'pack';
      sideBand.handle(pkt);
    }
  };
  result.pack = await receivePack(res, reader, step, {
    complete: () => at.phase === 'pack' && (!sideBand || sideBand.done) && indexer !== undefined,
    indexer: () => indexer,
    readExternal: (oid) => o.readExternal(oid),
  });
  return result;
}

/** Rounds of missing thin-pack bases at most (one is the rule). */
const MAX_BASE_ROUNDS = 8;

/**
 * The end of every fetch round, v0 or v2: feeds the answer to `step` as it arrives (counting
 * the bytes fetched), checks that it ended where the pack is whole, and indexes the pack
 * (fetching the bases a thin pack needs and the repository lacks, when it can). On any
 * failure the half-written pack is removed.
 */
export async function receivePack(
  res: IncomingMessage,
  reader: PktLineReader,
  step: () => void,
  pack: {
    /** True when the answer ended after a whole pack. */
    complete(): boolean;
    indexer(): PackIndexer | undefined;
    readExternal(oid: string): RawObject | undefined;
    /**
     * Fetches a thin pack's bases that the repository lacks (then resolution runs again).
     * A partial repository's haves name commits whose blobs are not here, and the server
     * may send deltas against them: `git index-pack` fetches those from the promisor too.
     */
    fetchBases?(oids: string[]): Promise<void>;
  },
): Promise<IndexedPack | undefined> {
  try {
    try {
      for await (const chunk of responseChunks(res)) {
        metrics.bytesFetched.inc(chunk.length);
        reader.push(chunk);
        step();
      }
      step();
    } catch (err) {
      throw asTransportError(err);
    }
    const indexer = pack.indexer();
    if (!pack.complete() || !indexer) throw new TransportError('the server ended its answer early');
    try {
      const readExternal = (oid: string) => pack.readExternal(oid);
      let lacking = indexer.resolve(readExternal);
      // Again while each round brings some: with `filter tree:0` git leaves out a wanted tree
      // that is an entry of a tree wanted before it (see `resolveDeltas`' order).
      for (let round = 0; lacking.length > 0 && pack.fetchBases && round < MAX_BASE_ROUNDS; round++) {
        await pack.fetchBases(lacking);
        const still = indexer.resolve(readExternal);
        if (still.length >= lacking.length) {
          lacking = still;
          break;
        }
        lacking = still;
      }
      if (lacking.length > 0) {
        const what = lacking.length === 1 ? 'an object' : `${lacking.length} objects`;
        throw new TransportError(`the server sent deltas against ${what} the repository lacks`);
      }
      return indexer.finish(readExternal);
    } catch (err) {
      throw asTransportError(err);
    }
  } catch (err) {
    pack.indexer()?.abort();
    throw err;
  }
}

function shallowLine(line: string, result: FetchPackResult): void {
  const m = /^(shallow|unshallow) ([0-9a-f]{40})$/.exec(line);
  if (m) {
    (m[1] === 'shallow' ? result.shallow : result.unshallow).push(m[2]!);
    return;
  }
  if (line.startsWith('ERR '))
    throw new TransportError('the server refused', { remoteMessage: line.slice(4) });
  throw new TransportError('the server answered out of protocol');
}

/** A damaged pack says so; a failing disk keeps its error code. */
export function asTransportError(err: unknown): TransportError {
  if (err instanceof TransportError) return err;
  const code = (err as { code?: string }).code;
  if (code && /^E[A-Z]+$/.test(code))
    return new TransportError('a file system error', { code }, { cause: err });
  return new TransportError('the pack the server sent cannot be read', {}, { cause: err });
}
