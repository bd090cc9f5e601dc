import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Octokit } from '@octokit/core';
import { BackportOctokit } from '../../src/events/backport-octokit.js';
import { restFetch } from '../../src/events/rest-fetch.js';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

/** A local server whose answer each test scripts; it records what it was asked. */
async function serve(
  handler: Handler,
  host = '127.0.0.1',
): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body,
        port: req.socket.remotePort!,
      });
      handler(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://${host}:${(server.address() as { port: number }).port}`, seen };
}

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** The client's port: the same for two requests on one connection. */
  port: number;
}

describe('restFetch', () => {
  let main: Awaited<ReturnType<typeof serve>>;
  let other: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    // Another host name for the same machine: another origin, as a redirect off GitHub's API is.
    other = await serve(
      (req, _body, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('there'),
      'localhost',
    );
    main = await serve((req, body, res) => {
      const path = req.url!;
      if (path === '/json') {
        res.writeHead(201, { 'content-type': 'application/json', 'x-b': '2', 'x-a': '1' });
        res.end(JSON.stringify({ got: body, method: req.method }));
      } else if (path.startsWith('/moved/')) {
        const [, , code, where] = path.split('/');
        res.writeHead(Number(code), { location: where === 'away' ? `${other.url}/x` : '/json' }).end();
      } else if (path === '/loop') {
        res.writeHead(302, { location: '/loop' }).end();
      } else if (path === '/cut') {
        res.writeHead(200, { 'content-length': '100' });
        res.write('partial');
        setTimeout(() => res.destroy(), 20);
      } else if (path === '/slow') {
        setTimeout(() => res.writeHead(200).end('late'), 2000).unref();
      } else {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
      }
    });
  });
  afterAll(() => {
    main.server.closeAllConnections();
    other.server.closeAllConnections();
    main.server.close();
    other.server.close();
  });

  it('sends the method, headers and body, and gives status, sorted lower-case headers and the body', async () => {
    const res = await restFetch(`${main.url}/json`, {
      method: 'post',
      headers: { 'Content-Type': 'application/json' },
      body: '{"a":"ü"}',
    });
    expect(res.status).toBe(201);
    expect(res.ok).toBe(true);
    expect(res.url).toBe(`${main.url}/json`);
    expect(res.headers.get('Content-Type')).toBe('application/json');
    const names = [...res.headers].map(([n]) => n);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['x-a', 'x-b']));
    expect(await res.json()).toEqual({ got: '{"a":"ü"}', method: 'POST' });
    const seen = main.seen.at(-1)!;
    expect(seen.headers['content-type']).toBe('application/json');
    expect(seen.headers['content-length']).toBe(String(Buffer.byteLength('{"a":"ü"}')));
  });

  it('keeps its connection for the next call instead of asking for Connection: close', async () => {
    for (let i = 0; i < 3; i++)
      await (await restFetch(`${main.url}/json`, { method: 'POST', body: String(i) })).text();
    const calls = main.seen.slice(-3);
    expect(calls.map((c) => c.headers.connection)).not.toContain('close');
    expect(new Set(calls.map((c) => c.port)).size).toBe(1);
  });

  it('follows redirects as fetch does: 303 and a POST after 301 or 302 become a GET without a body; 307 and 308 keep both', async () => {
    for (const [code, method] of [
      [301, 'GET'],
      [302, 'GET'],
      [303, 'GET'],
      [307, 'POST'],
      [308, 'POST'],
    ] as const) {
      const res = await restFetch(`${main.url}/moved/${code}/here`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: 'payload',
      });
      expect(res.status).toBe(201);
      expect(res.url).toBe(`${main.url}/json`);
      expect(await res.json()).toEqual({ got: method === 'POST' ? 'payload' : '', method });
      if (method === 'GET') expect(main.seen.at(-1)!.headers['content-length']).toBeUndefined();
    }
  });

  it("does not carry the Authorization header to another host; gives a redirect itself with redirect: 'manual'", async () => {
    const res = await restFetch(`${main.url}/moved/302/away`, {
      headers: { authorization: 'token secret' },
    });
    expect(await res.text()).toBe('there');
    expect(main.seen.at(-1)!.headers.authorization).toBe('token secret');
    expect(other.seen.at(-1)!.headers.authorization).toBeUndefined();
    const manual = await restFetch(`${main.url}/moved/302/here`, { redirect: 'manual' });
    expect(manual.status).toBe(302);
    expect(manual.headers.get('location')).toBe(`${main.url}/json`);
  });

  it('fails with the network error Octokit reports and transient.ts reads: refused, too many redirects, cut short', async () => {
    const closed = await serve(() => undefined);
    const port = closed.url;
    await new Promise((r) => closed.server.close(r));
    const refused = await restFetch(`${port}/x`).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'ECONNREFUSED', message: expect.stringMatching(/ECONNREFUSED/) });
    const loop = await restFetch(`${main.url}/loop`).catch((e: unknown) => e);
    expect(loop).toMatchObject({ type: 'max-redirect' });
    const cut = await restFetch(`${main.url}/cut`);
    await expect(cut.text()).rejects.toBeInstanceOf(Error);
  });

  it('stops when its signal aborts, with the AbortError Octokit looks for', async () => {
    const controller = new AbortController();
    const pending = restFetch(`${main.url}/slow`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it("is what the app's Octokit requests with: global fetch is never called", async () => {
    const global = globalThis.fetch;
    let calls = 0;
    globalThis.fetch = (async (...args: Parameters<typeof fetch>) => {
      calls++;
      return global(...args);
    }) as typeof fetch;
    try {
      const octokit = new (BackportOctokit as unknown as typeof Octokit)({ baseUrl: main.url });
      const { status, data } = await octokit.request('POST /json', { a: 1 });
      expect(status).toBe(201);
      expect(data).toEqual({ got: '{"a":1}', method: 'POST' });
      const missing = await octokit.request('GET /nothing').catch((e: unknown) => e as { status: number });
      expect(missing.status).toBe(404);
      expect(calls).toBe(0);
    } finally {
      globalThis.fetch = global;
    }
  });
});
