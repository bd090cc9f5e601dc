import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Octokit } from '@octokit/core';
import { BackportOctokit } from '../../src/events/backport-octokit.js';
import { nodeHttpFetch } from '../../src/events/node-http-fetch.js';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

/** A local server whose answer each test scripts; it records what it was asked. */
async function serve(handler: Handler): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      handler(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, seen };
}

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

describe('nodeHttpFetch', () => {
  let main: Awaited<ReturnType<typeof serve>>;
  let other: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    other = await serve((req, _body, res) =>
      res.writeHead(200, { 'content-type': 'text/plain' }).end('there'),
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
    const res = await nodeHttpFetch(`${main.url}/json`, {
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

  it('follows redirects as fetch does: 303 and a POST after 301 or 302 become a GET without a body; 307 and 308 keep both', async () => {
    for (const [code, method] of [
      [301, 'GET'],
      [302, 'GET'],
      [303, 'GET'],
      [307, 'POST'],
      [308, 'POST'],
    ] as const) {
      const res = await nodeHttpFetch(`${main.url}/moved/${code}/here`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: 'payload',
      });
      expect(res.status).toBe(201);
      expect(res.url).toBe(`${main.url}/json`);
      expect(await res.json()).toEqual({ got: method === 'POST' ? 'payload' : '', method });
      if (method === 'GET') expect(main.seen.at(-1)!.headers['content-type']).toBeUndefined();
    }
  });

  it("does not carry the Authorization header to another origin; gives a redirect itself with redirect: 'manual'", async () => {
    const res = await nodeHttpFetch(`${main.url}/moved/302/away`, {
      headers: { authorization: 'token secret' },
    });
    expect(await res.text()).toBe('there');
    expect(main.seen.at(-1)!.headers.authorization).toBe('token secret');
    expect(other.seen.at(-1)!.headers.authorization).toBeUndefined();
    const manual = await nodeHttpFetch(`${main.url}/moved/302/here`, { redirect: 'manual' });
    expect(manual.status).toBe(302);
    expect(manual.headers.get('location')).toBe('/json');
  });

  it('fails as fetch fails: a TypeError whose cause says why (refused, too many redirects, cut short)', async () => {
    const closed = await serve(() => undefined);
    const port = closed.url;
    await new Promise((r) => closed.server.close(r));
    const refused = await nodeHttpFetch(`${port}/x`).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TypeError);
    expect((refused as { cause: { code?: string } }).cause.code).toBe('ECONNREFUSED');
    const loop = (await nodeHttpFetch(`${main.url}/loop`).catch((e: unknown) => e)) as TypeError & {
      cause: Error;
    };
    expect(loop).toBeInstanceOf(TypeError);
    expect(loop.cause.message).toMatch(/too many redirects/);
    const cut = await nodeHttpFetch(`${main.url}/cut`);
    await expect(cut.text()).rejects.toBeInstanceOf(TypeError);
  });

  it('stops when its signal aborts, with the AbortError Octokit looks for', async () => {
    const controller = new AbortController();
    const pending = nodeHttpFetch(`${main.url}/slow`, { signal: controller.signal });
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
