import { gitHttpRequest, readBody } from './git-http-request.js';
import { lineText, PktLineReader } from './pkt-line.js';
import { TransportError } from './transport-error.js';

export type GitService = 'git-upload-pack' | 'git-receive-pack';

export interface RefAdvertisement {
  /** Where the service answered: the remote's URL, or where it redirected to. */
  url: string;
  /** Ref name → object id (peeled tag entries, `^{}`, are left out). */
  refs: Map<string, string>;
  /** Capability name → value (`''` for a bare name such as `thin-pack`). */
  capabilities: Map<string, string>;
}

const ZERO_OID = '0'.repeat(40);
const MAX_REDIRECTS = 5;

/**
 * `GET <url>/info/refs?service=…`: the refs and capabilities of a smart-HTTP server
 * (protocol v0/v1, what `git http-backend` and GitHub speak by default). A redirect is
 * followed only within the same origin, so the token is never sent anywhere else.
 */
export async function discoverRefs(
  remoteUrl: string,
  service: GitService,
  token?: () => Promise<string>,
  onSent?: () => void,
): Promise<RefAdvertisement> {
  const { url, body } = await getInfoRefs(remoteUrl, service, token, undefined, onSent);
  return { url, ...parseAdvertisement(body, service) };
}

/**
 * The body of `GET <url>/info/refs?service=…` and where it answered, for the caller to
 * parse: a v0 advertisement, or (asked with `gitProtocol: 'version=2'` of a server that
 * speaks it) a protocol v2 capability advertisement.
 */
export async function getInfoRefs(
  remoteUrl: string,
  service: GitService,
  token?: () => Promise<string>,
  gitProtocol?: string,
  /** Called once the (first) request is on its way: see `GitHttpRequest.onSent`. */
  onSent?: () => void,
): Promise<{ url: string; body: Buffer }> {
  let base = remoteUrl.replace(/\/+$/, '');
  for (let hop = 0; ; hop++) {
    const res = await gitHttpRequest({
      url: `${base}/info/refs?service=${service}`,
      method: 'GET',
      token,
      accept: `application/x-${service}-advertisement, */*`,
      gitProtocol,
      ...(hop === 0 && onSent ? { onSent } : {}),
    });
    const status = res.statusCode ?? 0;
    if (status >= 300) {
      res.resume();
      const next = redirectBase(base, res.headers.location);
      if (!next || hop >= MAX_REDIRECTS) {
        throw new TransportError(`the server answered ${status}`, {
          status,
          statusMessage: res.statusMessage,
        });
      }
      base = next;
      continue;
    }
    if (res.headers['content-type'] !== `application/x-${service}-advertisement`) {
      res.resume();
      throw new TransportError('the server does not speak smart HTTP');
    }
    return { url: base, body: await readBody(res) };
  }
}

/** Parses an advertisement: `# service=…`, a flush, then one ref per line, capabilities after the first. */
export function parseAdvertisement(
  body: Buffer,
  service: GitService,
): Pick<RefAdvertisement, 'refs' | 'capabilities'> {
  const reader = new PktLineReader();
  reader.push(body);
  const first = reader.read();
  if (first === undefined || first === 'flush' || lineText(first) !== `# service=${service}`) {
    throw malformed('the ref advertisement does not name its service');
  }
  if (reader.read() !== 'flush') throw malformed('the ref advertisement has no flush after its service line');
  const refs = new Map<string, string>();
  const capabilities = new Map<string, string>();
  for (let i = 0; ; i++) {
    const pkt = reader.read();
    if (pkt === undefined) throw malformed('the ref advertisement is truncated');
    if (pkt === 'flush') break;
    let line = lineText(pkt);
    if (line.startsWith('ERR ')) {
      throw new TransportError('the server refused', { remoteMessage: line.slice(4) });
    }
    if (i === 0) {
      const nul = line.indexOf('\0');
      if (nul !== -1) {
        for (const cap of line.slice(nul + 1).split(' ')) {
          if (!cap) continue;
          const eq = cap.indexOf('=');
          capabilities.set(eq === -1 ? cap : cap.slice(0, eq), eq === -1 ? '' : cap.slice(eq + 1));
        }
        line = line.slice(0, nul);
      }
    }
    const m = /^([0-9a-f]{40}) (.+)$/.exec(line);
    if (!m) throw malformed(`the ref advertisement has a malformed line`);
    const [, oid, name] = m as unknown as [string, string, string];
    // An empty repository advertises only its capabilities, on a placeholder line.
    if (oid === ZERO_OID && name === 'capabilities^{}') continue;
    if (name.endsWith('^{}')) continue;
    refs.set(name, oid);
  }
  return { refs, capabilities };
}

/** The new base URL a redirect of `/info/refs` points to, when it stays on the same origin. */
function redirectBase(base: string, location: string | undefined): string | undefined {
  if (!location) return undefined;
  const target = new URL(location, `${base}/info/refs`);
  if (target.origin !== new URL(base).origin) return undefined;
  const at = target.pathname.lastIndexOf('/info/refs');
  if (at === -1) return undefined;
  return `${target.origin}${target.pathname.slice(0, at)}`;
}

function malformed(what: string): TransportError {
  return new TransportError(what);
}
