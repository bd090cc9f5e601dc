import { FLUSH_PKT, pktLine } from './pkt-line.js';
import { TransportError } from './transport-error.js';

export interface UploadPackRequest {
  /** The commit (or commits, fetched in one round) to bring. */
  want: string | readonly string[];
  /** Capabilities the server advertised. */
  serverCapabilities: ReadonlyMap<string, string>;
  /** This repository's shallow commits (the `shallow` file). */
  shallow: readonly string[];
  depth?: number | undefined;
  /** Commits this repository has, whose objects the server may leave out or delta against. */
  haves: readonly string[];
}

/** What we ask for, when the server offers it: a pack as small as git's own client gets. */
const WANTED_CAPABILITIES = ['side-band-64k', 'ofs-delta', 'thin-pack', 'shallow', 'no-progress'];
export const AGENT = 'backport-assistant';

/**
 * The body of `POST …/git-upload-pack` for one round (stateless RPC): the wants (the first
 * with capabilities), the repository's shallow commits, `deepen`, a flush, the haves and
 * `done`. Without multi_ack the server answers a single ACK or NAK, then the pack.
 */
export function uploadPackRequest(req: UploadPackRequest): Buffer {
  const caps = WANTED_CAPABILITIES.filter((c) => req.serverCapabilities.has(c));
  if (!caps.includes('side-band-64k') && req.serverCapabilities.has('side-band')) caps.unshift('side-band');
  caps.push(`agent=${AGENT}`);
  const [first, ...more] = typeof req.want === 'string' ? [req.want] : req.want;
  if (first === undefined) throw new TransportError('nothing to fetch');
  const parts = [
    pktLine(`want ${first} ${caps.join(' ')}\n`),
    ...more.map((oid) => pktLine(`want ${oid}\n`)),
  ];
  const shallowOk = req.serverCapabilities.has('shallow');
  if (shallowOk) for (const oid of req.shallow) parts.push(pktLine(`shallow ${oid}\n`));
  if (req.depth !== undefined) {
    if (!shallowOk) throw new TransportError('the server cannot send part of a history');
    parts.push(pktLine(`deepen ${req.depth}\n`));
  }
  parts.push(FLUSH_PKT);
  for (const oid of req.haves) parts.push(pktLine(`have ${oid}\n`));
  parts.push(pktLine('done\n'));
  return Buffer.concat(parts);
}

/** Which side-band the request asked for (the answer is multiplexed accordingly). */
export function sideBandOf(serverCapabilities: ReadonlyMap<string, string>): boolean {
  return serverCapabilities.has('side-band-64k') || serverCapabilities.has('side-band');
}
