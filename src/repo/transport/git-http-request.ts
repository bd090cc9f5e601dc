import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { TransportError } from './transport-error.js';

export interface GitHttpRequest {
  url: string;
  method: 'GET' | 'POST';
  /** The installation token, asked for per request; sent as Basic credentials, never in the URL. */
  token?: () => Promise<string>;
  contentType?: string;
  accept?: string;
  body?: Buffer;
  /** The `Git-Protocol` header (`version=2`): servers that do not know it ignore it. */
  gitProtocol?: string;
  /** Called once the request is written to the connection (its answer may take a while yet). */
  onSent?: () => void;
}

/** git servers (GitHub among them) speak the smart protocol to clients that say they are git. */
const USER_AGENT = 'git/2.39 (backport-assistant)';
/** A stalled server must not hold a job forever; a pack stream has no pause this long. */
const IDLE_TIMEOUT_MS = 120_000;

/**
 * One smart-HTTP request. Resolves with the response once it is a 2xx, for the caller to
 * stream; a redirect (3xx) is resolved too, for the caller to decide. Any other status, and
 * any network failure, rejects with a `TransportError` naming only the status or error code.
 */
export async function gitHttpRequest(req: GitHttpRequest): Promise<IncomingMessage> {
  const url = new URL(req.url);
  const headers: Record<string, string> = { 'user-agent': USER_AGENT };
  if (req.accept) headers.accept = req.accept;
  if (req.contentType) headers['content-type'] = req.contentType;
  if (req.gitProtocol) headers['git-protocol'] = req.gitProtocol;
  if (req.body) headers['content-length'] = String(req.body.length);
  if (req.token) {
    const basic = Buffer.from(`x-access-token:${await req.token()}`).toString('base64');
    headers.authorization = `Basic ${basic}`;
  }
  const client = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
  if (!client) throw new TransportError(`unsupported URL scheme ${url.protocol}`, { code: 'EPROTO' });
  return new Promise<IncomingMessage>((resolve, reject) => {
    const request = client.request(url, { method: req.method, headers }, (res) => {
      const status = res.statusCode ?? 0;
      if ((status >= 200 && status < 300) || (status >= 300 && status < 400)) {
        resolve(res);
        return;
      }
      res.resume();
      reject(
        new TransportError(`the server answered ${status}`, {
          status,
          statusMessage: res.statusMessage,
        }),
      );
    });
    request.setTimeout(IDLE_TIMEOUT_MS, () => {
      request.destroy(new TransportError('the server stopped answering', { code: 'ETIMEDOUT' }));
    });
    request.on('error', (err) => reject(networkError(err)));
    if (req.onSent) request.once('finish', req.onSent);
    request.end(req.body);
  });
}

/** Reads a whole (small) response body, with network failures mapped like the request's. */
export async function readBody(res: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of responseChunks(res)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** The response's chunks, with a connection lost mid-answer reported as a `TransportError`. */
export async function* responseChunks(res: IncomingMessage): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of res) yield chunk as Buffer;
  } catch (err) {
    throw networkError(err);
  }
}

function networkError(err: unknown): TransportError {
  if (err instanceof TransportError) return err;
  const code = (err as { code?: string }).code;
  return new TransportError('a network error', code ? { code } : {}, { cause: err });
}

/**
 * `POST <url>/git-<service>` with a request body, answered by that service's result stream:
 * anything else (an error status, or a server that does not speak smart HTTP) is a failure.
 */
export async function postService(
  url: string,
  service: 'upload-pack' | 'receive-pack',
  token: GitHttpRequest['token'],
  body: Buffer,
  gitProtocol?: string,
): Promise<IncomingMessage> {
  const result = `application/x-git-${service}-result`;
  const res = await gitHttpRequest({
    url: `${url}/git-${service}`,
    method: 'POST',
    token,
    contentType: `application/x-git-${service}-request`,
    accept: result,
    body,
    gitProtocol,
  });
  if (res.statusCode !== 200) {
    res.resume();
    throw new TransportError(`the server answered ${res.statusCode}`, {
      status: res.statusCode,
      statusMessage: res.statusMessage,
    });
  }
  if (res.headers['content-type'] !== result) {
    res.resume();
    throw new TransportError('the server does not speak smart HTTP');
  }
  return res;
}
