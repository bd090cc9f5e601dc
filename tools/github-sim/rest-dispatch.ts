/**
 * One REST request, start to end:
 * 1. route it to an operation of the OpenAPI fixture (unknown route: 404 + violation);
 * 2. answer an injected fault if one matches;
 * 3. authenticate (installation token or app JWT);
 * 4. check the request against the spec (off spec: 422 + violation);
 * 5. run the handler; check its response against the spec (off spec: violation);
 * 6. send it with GitHub's headers, and log it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { resolveRestAuth } from './auth.js';
import { appHandlers } from './rest-app.js';
import { checkHandlers } from './rest-checks.js';
import { gitDataHandlers } from './rest-git-data.js';
import { issueHandlers } from './rest-issues.js';
import { pullHandlers } from './rest-pulls.js';
import { repoHandlers } from './rest-repos.js';
import { userHandlers } from './rest-users.js';
import { HttpError, errorBody, type Handler, type RestReply, type RestRequest } from './rest-types.js';
import { workOfRequest, type SimInternals } from './sim-internals.js';

const HANDLERS: Record<string, Handler> = {
  ...appHandlers,
  ...repoHandlers,
  ...checkHandlers,
  ...gitDataHandlers,
  ...pullHandlers,
  ...issueHandlers,
  ...userHandlers,
};

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Requires authentication',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Validation Failed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Server Error',
  503: 'Service Unavailable',
};

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: RestReply, sim: SimInternals): void {
  const used = sim.stats.restCalls % 5000;
  const headers: Record<string, string> = {
    'x-github-request-id': randomUUID().toUpperCase(),
    'x-github-media-type': 'github.v3; format=json',
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': String(5000 - used),
    'x-ratelimit-used': String(used),
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    'x-ratelimit-resource': 'core',
    ...reply.headers,
  };
  let payload: Buffer | undefined = reply.raw;
  if (!payload && reply.body !== undefined) {
    payload = Buffer.from(JSON.stringify(reply.body));
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}

async function answer(
  sim: SimInternals,
  req: IncomingMessage,
  url: URL,
): Promise<{ reply: RestReply; opId: string | null }> {
  const method = req.method ?? 'GET';
  const match = sim.router.match(method, url.pathname);
  const body = await readBody(req);
  if (!match) {
    sim.violations.push({
      kind: 'unimplemented',
      operationId: null,
      method,
      path: url.pathname,
      message: `the simulator has no route for ${method} ${url.pathname}`,
    });
    return { reply: { status: 404, body: errorBody(404, 'Not Found') }, opId: null };
  }
  const opId = match.op.operationId;
  const fault = sim.faults.take(method, url.pathname, opId);
  if (fault) {
    const message = STATUS_TEXT[fault.status] ?? 'Injected fault';
    return {
      reply: {
        status: fault.status,
        headers: fault.headers,
        body: fault.body ?? errorBody(fault.status, message),
      },
      opId,
    };
  }
  try {
    const auth = resolveRestAuth(req.headers.authorization, sim.state, sim.keys);
    let json: unknown;
    if (body.length > 0) {
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        return { reply: { status: 400, body: errorBody(400, 'Problems parsing JSON') }, opId };
      }
    }
    const query = Object.fromEntries(url.searchParams);
    const check = sim.validator.validateRequest(match.op, { params: match.params, query, body: json });
    if (check.problems.length > 0) {
      const message = check.problems.join('; ');
      sim.violations.push({ kind: 'request', operationId: opId, method, path: url.pathname, message });
      return { reply: { status: 422, body: errorBody(422, `Invalid request.\n\n${message}`) }, opId };
    }
    const restReq: RestRequest = {
      op: match.op,
      params: match.params,
      query: check.query,
      body: json,
      headers: req.headers,
      auth,
      url,
    };
    const reply = await HANDLERS[opId]!(restReq, sim);
    const problem = reply.raw ? null : sim.validator.validateResponse(match.op, reply.status, reply.body);
    if (problem) {
      sim.violations.push({
        kind: 'response',
        operationId: opId,
        method,
        path: url.pathname,
        status: reply.status,
        message: problem,
      });
    }
    return { reply, opId };
  } catch (err) {
    if (err instanceof HttpError)
      return { reply: { status: err.status, body: err.body, headers: err.headers }, opId };
    const message = err instanceof Error ? err.message : String(err);
    return { reply: { status: 500, body: errorBody(500, message) }, opId };
  }
}

/** `t0` is when the request arrived, so the logged time includes injected latency. */
export async function handleRest(
  sim: SimInternals,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  t0: number,
): Promise<void> {
  sim.stats.restCalls++;
  const { reply, opId } = await answer(sim, req, url);
  send(res, reply, sim);
  sim.requestLog.push({
    method: req.method ?? 'GET',
    path: url.pathname + url.search,
    operationId: opId,
    status: reply.status,
    ms: Math.round(performance.now() - t0),
    ...workOfRequest(),
  });
}
