import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMetrics } from '../../src/common/metrics.js';
import { createOpsHandler } from '../../src/events/ops-handler.js';
import { LedgerStore } from '../../src/ledger/ledger-store.js';

describe('GET /healthz and GET /metrics', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpa-ops-'));
  const m = createMetrics();
  let store: LedgerStore;
  let server: Server;
  let url: string;
  beforeAll(async () => {
    store = await LedgerStore.openFile(join(dir, 'ledger.sqlite'));
    const handler = createOpsHandler({ registry: m.registry, ready: async () => store.ping() });
    server = createServer((req, res) => {
      void handler(req, res).then((handled) => handled || res.writeHead(404).end());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the metrics in the Prometheus text format', async () => {
    m.githubCalls.inc({ status: '200' }, 3);
    m.rateLimitRemaining.set(4321);
    m.jobsQueued.set(2);
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain('backport_github_calls_total{status="200"} 3');
    expect(text).toContain('backport_github_rate_limit_remaining 4321');
    expect(text).toContain('backport_jobs_queued 2');
    expect(text).toContain('# TYPE backport_pick_duration_seconds histogram');
  });

  it('is ready while the database answers, and says so when it does not', async () => {
    const ok = await fetch(`${url}/healthz`);
    expect([ok.status, await ok.json()]).toEqual([200, { status: 'ok', database: 'reachable' }]);
    await store.close();
    const down = await fetch(`${url}/healthz`);
    expect([down.status, await down.json()]).toEqual([
      503,
      { status: 'unavailable', database: 'unreachable' },
    ]);
  });

  it('answers only GET and HEAD, and leaves other paths to the next handler', async () => {
    expect((await fetch(`${url}/metrics`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${url}/other`)).status).toBe(404);
  });
});
