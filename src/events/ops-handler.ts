/**
 * The operator's endpoints, mounted on Probot's server beside the webhooks:
 *   - `GET /healthz`: 200 when the app's database answers, 503 when it does not (a load
 *     balancer or Docker's healthcheck takes the instance out);
 *   - `GET /metrics`: the Prometheus metrics of common/metrics.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

export interface OpsOptions {
  /** True when the database is reachable. */
  ready(): Promise<boolean>;
  registry: Registry;
}

export function createOpsHandler(options: OpsOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/healthz' && path !== '/metrics') return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return true;
    }
    if (path === '/metrics') {
      const body = await options.registry.metrics();
      res.writeHead(200, { 'content-type': options.registry.contentType }).end(body);
      return true;
    }
    const ready = await options.ready().catch(() => false);
    res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(
      JSON.stringify({
        status: ready ? 'ok' : 'unavailable',
        database: ready ? 'reachable' : 'unreachable',
      }),
    );
    return true;
  };
}
