/**
 * git protocol v2 over smart HTTP (gitprotocol-v2(5)): the client says `Git-Protocol:
 * version=2`; `GET info/refs` then answers only capabilities, and each command (`ls-refs`,
 * `fetch`) is one stateless `POST git-upload-pack` whose body names the command, its
 * capabilities, a delimiter and its arguments.
 */
import { postService, readBody } from './git-http-request.js';
import { DELIM_PKT, FLUSH_PKT, lineText, PktLineReader, pktLine } from './pkt-line.js';
import { TransportError } from './transport-error.js';
import { AGENT } from './upload-pack-request.js';

export const GIT_PROTOCOL_V2 = 'version=2';

/**
 * The capabilities of a v2 advertisement (`version 2`, then one `name[=value]` per line,
 * then a flush), or undefined when the body is not one (a v0 advertisement: the server does
 * not speak v2 and answered as it always does).
 */
export function parseV2Capabilities(body: Buffer): Map<string, string> | undefined {
  const reader = new PktLineReader();
  reader.push(body);
  const first = readPkt(reader, 'the capability advertisement');
  if (first === undefined || first === 'flush' || lineText(first) !== 'version 2') return undefined;
  const caps = new Map<string, string>();
  for (;;) {
    const pkt = readPkt(reader, 'the capability advertisement');
    if (pkt === undefined) throw new TransportError('the capability advertisement is truncated');
    if (pkt === 'flush') return caps;
    const line = lineText(pkt);
    const eq = line.indexOf('=');
    caps.set(eq === -1 ? line : line.slice(0, eq), eq === -1 ? '' : line.slice(eq + 1));
  }
}

/** The next pkt-line, with bad framing reported as a malformed answer. */
function readPkt(reader: PktLineReader, what: string) {
  try {
    return reader.read();
  } catch (err) {
    throw new TransportError(`${what} is malformed`, {}, { cause: err });
  }
}

/** True when the v2 `fetch` command lists `feature` (e.g. `filter`, `shallow`). */
export function fetchFeature(caps: ReadonlyMap<string, string>, feature: string): boolean {
  return (caps.get('fetch') ?? '').split(' ').includes(feature);
}

/** A command's request: `command=…`, the capabilities we send, a delimiter, the arguments, a flush. */
export function commandRequest(
  command: 'ls-refs' | 'fetch',
  caps: ReadonlyMap<string, string>,
  args: readonly string[],
): Buffer {
  const parts = [pktLine(`command=${command}\n`)];
  if (caps.has('agent')) parts.push(pktLine(`agent=${AGENT}\n`));
  if (caps.has('object-format')) parts.push(pktLine('object-format=sha1\n'));
  parts.push(DELIM_PKT);
  for (const arg of args) parts.push(pktLine(`${arg}\n`));
  parts.push(FLUSH_PKT);
  return Buffer.concat(parts);
}

/**
 * `ls-refs` with `ref-prefix`es: only the refs under them (a repository with 10,000 tags
 * sends none of them when no prefix names tags). An empty list asks for every ref.
 */
export async function lsRefs(
  url: string,
  token: (() => Promise<string>) | undefined,
  caps: ReadonlyMap<string, string>,
  prefixes: readonly string[],
): Promise<Map<string, string>> {
  const body = commandRequest(
    'ls-refs',
    caps,
    prefixes.map((p) => `ref-prefix ${p}`),
  );
  const res = await postService(url, 'upload-pack', token, body, GIT_PROTOCOL_V2);
  return parseLsRefs(await readBody(res));
}

/** `<oid> <name>[ <attribute>…]` per ref, then a flush; symbolic and unborn refs are left out. */
export function parseLsRefs(body: Buffer): Map<string, string> {
  const reader = new PktLineReader();
  reader.push(body);
  const refs = new Map<string, string>();
  for (;;) {
    const pkt = readPkt(reader, 'the ref listing');
    if (pkt === undefined) throw new TransportError('the ref listing is truncated');
    if (pkt === 'flush') return refs;
    const line = lineText(pkt);
    if (line.startsWith('ERR '))
      throw new TransportError('the server refused', { remoteMessage: line.slice(4) });
    const m = /^([0-9a-f]{40}) (\S+)/.exec(line);
    if (m) refs.set(m[2]!, m[1]!);
    else if (!line.startsWith('unborn ')) throw new TransportError('the ref listing has a malformed line');
  }
}
