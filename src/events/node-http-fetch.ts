import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';

/**
 * The `fetch` the app's Octokit makes its REST calls with: node's own `http` and `https`, which
 * the app already runs for git and for Probot's server. Node's global `fetch` is a second HTTP
 * client (undici, loaded on the first call) with a WebAssembly HTTP parser and web streams:
 * on a first backport it added about 12 MB to the app's resident memory (30 calls to a local
 * server: 49.7 MB with `http`, 61.7 MB with `fetch`), the largest single part of the app's
 * peak. Only what Octokit's request asks of a fetch: a string or byte body, redirects
 * followed as fetch does, the status, headers, and the body as text or bytes.
 */
export async function nodeHttpFetch(input: string | URL, init: FetchInit = {}): Promise<NodeHttpResponse> {
  let url = new URL(String(input));
  let method = (init.method ?? 'GET').toUpperCase();
  let body = init.body ?? undefined;
  if (body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array)) {
    throw new TypeError('nodeHttpFetch sends a string or bytes as a body');
  }
  let headers = lowerCased(init.headers ?? {});
  for (let redirects = 0; ; redirects++) {
    const res = await send(url, method, headers, body, init.signal);
    const location = res.headers.location;
    if (!REDIRECTS.has(res.statusCode ?? 0) || location === undefined || init.redirect === 'manual') {
      return new NodeHttpResponse(res, url.href);
    }
    res.resume();
    if (init.redirect === 'error') throw failed(new Error(`redirected to ${location}`));
    if (redirects >= MAX_REDIRECTS) throw failed(new Error('too many redirects'));
    const next = new URL(location, url);
    // As fetch does: a 303, and a 301 or 302 after a POST, become a GET without a body.
    if ((res.statusCode === 303 && method !== 'HEAD') || (res.statusCode! <= 302 && method === 'POST')) {
      method = 'GET';
      body = undefined;
      headers = withoutBodyHeaders(headers);
    }
    // Nor does fetch carry the credentials to another origin.
    if (next.origin !== url.origin) {
      const { authorization: _dropped, ...rest } = headers;
      headers = rest;
    }
    url = next;
  }
}

export interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array | null;
  redirect?: 'follow' | 'manual' | 'error';
  signal?: AbortSignal | null;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** fetch's own limit. */
const MAX_REDIRECTS = 20;
/** undici's: a server that accepts the request and never answers fails it after 5 minutes. */
const IDLE_TIMEOUT_MS = 300_000;

/** A response as Octokit reads it: status, url, headers (iterable, and `get`), then the body. */
export class NodeHttpResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly redirected = false;
  readonly headers: ResponseHeaders;

  constructor(
    private readonly res: IncomingMessage,
    readonly url: string,
  ) {
    this.status = res.statusCode ?? 0;
    this.statusText = res.statusMessage ?? '';
    this.ok = this.status >= 200 && this.status < 300;
    this.headers = new ResponseHeaders(res.headers);
  }

  /** The body as it came, for a caller that reads it itself. */
  get body(): IncomingMessage {
    return this.res;
  }

  async text(): Promise<string> {
    return (await this.bytes()).toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.bytes();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  private bytes(): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      this.res.on('data', (chunk: Buffer) => chunks.push(chunk));
      this.res.once('end', () => resolve(Buffer.concat(chunks)));
      this.res.once('error', (err) => reject(failed(err, 'terminated')));
      // Closed before its end: a connection cut mid-answer.
      this.res.once('close', () => {
        if (!this.res.complete) reject(failed(new Error('the connection closed'), 'terminated'));
      });
    });
  }
}

/** Header names in lower case, repeated ones joined with ", " (set-cookie too, as fetch iterates). */
export class ResponseHeaders implements Iterable<[string, string]> {
  private readonly entries = new Map<string, string>();

  constructor(raw: IncomingMessage['headers']) {
    for (const name of Object.keys(raw).sort()) {
      const value = raw[name];
      if (value !== undefined) this.entries.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
  }

  get(name: string): string | null {
    return this.entries.get(name.toLowerCase()) ?? null;
  }

  has(name: string): boolean {
    return this.entries.has(name.toLowerCase());
  }

  [Symbol.iterator](): Iterator<[string, string]> {
    return this.entries.entries();
  }
}

function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | Uint8Array | undefined,
  signal: AbortSignal | null | undefined,
): Promise<IncomingMessage> {
  const client = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
  if (!client) return Promise.reject(failed(new Error(`${url.protocol} is not http or https`)));
  if (signal?.aborted) return Promise.reject(aborted(signal));
  return new Promise((resolve, reject) => {
    const all = { ...headers };
    if (body !== undefined && all['content-length'] === undefined) {
      all['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
    }
    const request = client.request(url, { method, headers: all }, resolve);
    const onAbort = () => {
      const reason = aborted(signal!);
      request.destroy(reason);
      reject(reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    request.once('close', () => signal?.removeEventListener('abort', onAbort));
    request.setTimeout(IDLE_TIMEOUT_MS, () => request.destroy(new Error('the server stopped answering')));
    request.once('error', (err) => reject(failed(err)));
    request.end(body);
  });
}

/** As fetch fails: a TypeError whose cause is what went wrong (Octokit reports the cause's message). */
function failed(cause: unknown, message = 'fetch failed'): TypeError {
  return new TypeError(message, { cause });
}

function aborted(signal: AbortSignal): Error {
  return (signal.reason as Error | undefined) ?? new DOMException('This operation was aborted', 'AbortError');
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = String(value);
  return out;
}

function withoutBodyHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith('content-')) out[name] = value;
  }
  return out;
}
