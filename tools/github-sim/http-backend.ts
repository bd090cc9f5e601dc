/**
 * Runs the real `git http-backend` as a CGI for one request: the request body goes to its stdin,
 * its CGI headers (including `Status:`) become the HTTP response head, and the rest is streamed.
 */
import type { ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { gitEnv } from './git.js';
import { startGit } from './git-process.js';
import { countGitProcess } from './sim-internals.js';

export interface CgiRequest {
  projectRoot: string;
  /** e.g. /acme/widgets.git/info/refs */
  pathInfo: string;
  method: string;
  query: string;
  contentType?: string;
  contentEncoding?: string;
  gitProtocol?: string;
  body: Buffer;
  remoteUser?: string;
  env?: Record<string, string>;
}

/**
 * Streams the backend's answer into `res`; resolves with the status and body bytes sent.
 * `beforeEnd` runs after git finished but before the response ends, so whatever it records
 * (the push log) is in place by the time the client sees its push complete.
 */
export function runHttpBackend(
  req: CgiRequest,
  res: ServerResponse,
  beforeEnd: () => Promise<void> = async () => undefined,
): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const env = gitEnv({
      GIT_PROJECT_ROOT: req.projectRoot,
      GIT_HTTP_EXPORT_ALL: '1',
      GATEWAY_INTERFACE: 'CGI/1.1',
      PATH_INFO: req.pathInfo,
      QUERY_STRING: req.query,
      REQUEST_METHOD: req.method,
      CONTENT_TYPE: req.contentType ?? '',
      CONTENT_LENGTH: String(req.body.length),
      REMOTE_ADDR: '127.0.0.1',
      ...(req.remoteUser ? { REMOTE_USER: req.remoteUser } : {}),
      ...(req.contentEncoding ? { HTTP_CONTENT_ENCODING: req.contentEncoding } : {}),
      ...(req.gitProtocol ? { GIT_PROTOCOL: req.gitProtocol } : {}),
      ...req.env,
    });
    const started = performance.now();
    const child = startGit(['http-backend'], { env });
    let head = Buffer.alloc(0);
    let headerDone = false;
    let status = 200;
    let bytes = 0;
    const stderr: Buffer[] = [];
    child.onStderr((b) => stderr.push(b));
    child.onStdout((chunk) => {
      if (headerDone) {
        bytes += chunk.length;
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const crlf = head.indexOf('\r\n\r\n');
      const lf = head.indexOf('\n\n');
      const end = crlf !== -1 && (lf === -1 || crlf < lf) ? crlf : lf;
      if (end === -1) return;
      const sep = end === crlf ? 4 : 2;
      for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon === -1) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = parseInt(value, 10) || 500;
        else res.setHeader(name, value);
      }
      res.statusCode = status;
      headerDone = true;
      const rest = head.subarray(end + sep);
      bytes += rest.length;
      if (rest.length) res.write(rest);
    });
    child.exited.then((code) => {
      countGitProcess(started);
      if (!headerDone) {
        res.statusCode = 500;
        status = 500;
        res.setHeader('content-type', 'text/plain');
        res.write(`git http-backend failed (${code}): ${Buffer.concat(stderr).toString()}`);
      }
      beforeEnd()
        .catch(() => undefined)
        .finally(() => {
          res.end();
          resolve({ status, bytes });
        });
    }, reject);
    child.end(req.body);
  });
}

export interface RefCommand {
  old: string;
  new: string;
  ref: string;
}

/** The ref updates at the head of a receive-pack request (pkt-lines up to the first flush). */
export function parseReceiveCommands(body: Buffer, contentEncoding?: string): RefCommand[] {
  const data = contentEncoding === 'gzip' ? gunzipSync(body) : body;
  const out: RefCommand[] = [];
  let at = 0;
  while (at + 4 <= data.length) {
    const len = parseInt(data.subarray(at, at + 4).toString('latin1'), 16);
    if (!Number.isFinite(len) || len === 0) break;
    const line = data
      .subarray(at + 4, at + len)
      .toString('utf8')
      .split('\0')[0]!
      .trim();
    at += len;
    const [oldSha, newSha, ref] = line.split(' ');
    if (oldSha && newSha && ref && /^[0-9a-f]{40}$/.test(oldSha)) out.push({ old: oldSha, new: newSha, ref });
  }
  return out;
}
