import { GIT_PROTOCOL_V2, lsRefs, parseV2Capabilities } from './protocol-v2.js';
import { getInfoRefs, parseAdvertisement } from './ref-advertisement.js';

/** What a fetch needs to know of the remote: where it answers, how it speaks, and the refs asked for. */
export interface UploadPackDiscovery {
  /** The remote's URL, or where it redirected to. */
  url: string;
  /** 2 when the server speaks protocol v2; 0 for the original protocol (v0/v1). */
  version: 0 | 2;
  /** v0: the advertised capabilities; v2: the capability lines (`fetch` → `shallow filter …`). */
  capabilities: Map<string, string>;
  /** Ref name → object id: v0, every ref; v2, those under the prefixes. */
  refs: Map<string, string>;
  /** True when the v2 capabilities were remembered from an earlier discovery, not asked now. */
  remembered?: boolean;
}

/** v2 capabilities per remote, so that a warm job skips the `GET info/refs`. */
const V2_CAPS_TTL_MS = 10 * 60_000;
const v2Capabilities = new Map<string, { url: string; caps: Map<string, string>; at: number }>();

/** Drops what is remembered of a remote's capabilities (they proved stale). */
export function forgetCapabilities(remoteUrl: string): void {
  v2Capabilities.delete(remoteUrl);
}

/**
 * What a warm job may fetch with and no discovery at all: the remote's v2 capabilities, when
 * remembered from an earlier job (for ten minutes), with no refs. Undefined otherwise (first
 * contact, or a server that does not speak v2).
 */
export function rememberedUploadPack(remoteUrl: string): UploadPackDiscovery | undefined {
  const known = v2Capabilities.get(remoteUrl);
  if (!known || performance.now() - known.at >= V2_CAPS_TTL_MS) return undefined;
  return { url: known.url, version: 2, capabilities: known.caps, refs: new Map() };
}

/**
 * The refs under `prefixes` and the capabilities of a remote's upload-pack, in as few
 * requests as the server allows:
 *   - v2, capabilities known from an earlier job (for ten minutes): one `ls-refs` POST;
 *   - v2, first contact: `GET info/refs` (capabilities), then one `ls-refs` POST;
 *   - a server that does not speak v2 answers the GET with its whole v0 advertisement,
 *     which is all a fetch needs: one request.
 */
export async function discoverUploadPack(
  remoteUrl: string,
  token: () => Promise<string>,
  prefixes: readonly string[],
): Promise<UploadPackDiscovery> {
  const known = v2Capabilities.get(remoteUrl);
  if (known && performance.now() - known.at < V2_CAPS_TTL_MS) {
    try {
      const refs = await lsRefs(known.url, token, known.caps, prefixes);
      return { url: known.url, version: 2, capabilities: known.caps, refs, remembered: true };
    } catch {
      // The server may have changed since (moved, or dropped v2): ask it afresh.
      v2Capabilities.delete(remoteUrl);
    }
  }
  const { url, body } = await getInfoRefs(remoteUrl, 'git-upload-pack', token, GIT_PROTOCOL_V2);
  const caps = parseV2Capabilities(body);
  if (!caps) return { url, version: 0, ...parseAdvertisement(body, 'git-upload-pack') };
  if (!caps.has('fetch') || !caps.has('ls-refs')) {
    // v2 without the commands we use (no such server is known): ask in the original protocol.
    const v0 = await getInfoRefs(remoteUrl, 'git-upload-pack', token);
    return { url: v0.url, version: 0, ...parseAdvertisement(v0.body, 'git-upload-pack') };
  }
  v2Capabilities.set(remoteUrl, { url, caps, at: performance.now() });
  const refs = await lsRefs(url, token, caps, prefixes);
  return { url, version: 2, capabilities: caps, refs };
}
