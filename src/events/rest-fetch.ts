import http from 'node:http';
import https from 'node:https';
import minipassFetch, { type FetchOptions, type FetchResponse } from 'minipass-fetch';

/**
 * The `fetch` the app's Octokit makes its REST calls with: minipass-fetch, a fetch built on
 * node's own `http` and `https`, which the app already runs for git and for Probot's server.
 * Node's global `fetch` is a second HTTP client (undici, loaded on the first call, with a
 * WebAssembly HTTP parser and web streams): 30 POSTs to a local server left a bare process at
 * a peak RSS of 66.7–68.3 MB with it and 55.3 MB with this one (43.6 MB making no call).
 */
export function restFetch(input: string | URL, init: FetchOptions = {}): Promise<FetchResponse> {
  return minipassFetch(input, {
    // As undici does: a server that takes the request and never answers fails it after 5 minutes.
    timeout: ANSWER_TIMEOUT_MS,
    // Node's global agents keep connections alive. Given no agent, minipass-fetch asks for
    // `Connection: close`: a new connection, and on GitHub a TLS handshake, for every call.
    agent: (url: URL) => (url.protocol === 'https:' ? https.globalAgent : http.globalAgent),
    ...init,
  });
}

const ANSWER_TIMEOUT_MS = 300_000;
