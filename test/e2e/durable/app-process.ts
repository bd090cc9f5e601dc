/**
 * The app as its own process, for the tests that kill it (`kill -9`) and restart it, or run
 * two of it side by side: Probot's Node middleware on a real HTTP server, against the
 * simulated GitHub, configured from the environment the test gives. It prints `ready <port>`
 * once it answers webhooks. app-child.ts runs it bundled (see `appScript` there); by hand:
 * `node --import tsx test/e2e/durable/app-process.ts`.
 */
import { createServer } from 'node:http';
import { createNodeMiddleware, Probot } from 'probot';
import { BackportOctokit } from '../../../src/events/backport-octokit.js';
import { createBackportApp } from '../../../src/index.js';

const env = process.env;
const need = (name: string): string => {
  const value = env[name];
  if (!value) throw new Error(`app-process: ${name} is not set`);
  return value;
};
const number = (name: string, fallback: number) => Number(env[name] ?? fallback);

const cacheDir = need('BPA_CACHE_DIR');
const app = createBackportApp({
  cacheDir,
  concurrency: number('BPA_CONCURRENCY', 2),
  committer: { name: 'backport-assistant[bot]', email: 'backport-assistant[bot]@users.noreply.github.com' },
  database: { url: env.DATABASE_URL || undefined, sqlitePath: `${cacheDir}/jobs.sqlite` },
  jobs: {
    pollMs: 50,
    leaseMs: number('BPA_LEASE_MS', 3_000),
    maxAttempts: 5,
    backoffMs: 50,
    shutdownMs: number('BPA_SHUTDOWN_MS', 10_000),
  },
  reconcile: {
    intervalMs: number('BPA_RECONCILE_MS', 3_600_000),
    days: 14,
    staleMs: number('BPA_STALE_MS', 5_000),
  },
  handleSignals: true,
});

// The app's own Octokit, as in the in-process harness (test-probot.ts): Probot's write pacing,
// GitHub etiquette rather than behaviour, is off.
const Octokit = BackportOctokit.defaults((o: Record<string, unknown>) => ({
  ...o,
  throttle: { ...(o.throttle as object), enabled: false },
}));
const probot = new Probot({
  appId: Number(need('BPA_APP_ID')),
  privateKey: need('BPA_PRIVATE_KEY'),
  secret: need('BPA_WEBHOOK_SECRET'),
  baseUrl: need('BPA_API_URL'),
  Octokit,
  logLevel: 'warn',
});
const middleware = await createNodeMiddleware(app.appFn, { probot });
const server = createServer((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
server.listen(number('BPA_PORT', 0), '127.0.0.1', () => {
  process.stdout.write(`ready ${(server.address() as { port: number }).port}\n`);
});
