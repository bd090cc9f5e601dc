import { createServer, request, type Server } from 'node:http';

/**
 * A webhook URL that delivers every webhook to each of several app instances (the same
 * bytes, headers and delivery id), as a load balancer that retries on another instance, or
 * GitHub redelivering, would in the worst case. Answers with the first instance's status.
 */
export async function startFanOut(targets: () => string[]): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      void Promise.all(targets().map((url) => forward(url, req.headers, body))).then((statuses) => {
        res.writeHead(statuses[0] ?? 502).end();
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

function forward(url: string, headers: Record<string, unknown>, body: Buffer): Promise<number> {
  return new Promise((resolve) => {
    const { host: _host, connection: _connection, ...rest } = headers;
    const req = request(
      url,
      { method: 'POST', headers: rest as Record<string, string>, agent: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}
