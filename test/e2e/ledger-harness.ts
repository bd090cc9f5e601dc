// The app as it runs in production, with the release managers' view switched on: Probot's
// Node middleware on a real HTTP server (webhooks and the dashboard, mounted through
// addHandler), wired to the simulated GitHub. The app can be restarted on the same simulated
// GitHub, keeping or losing its SQLite file, as a real deployment would be.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNodeMiddleware, type Probot } from 'probot';
import type { AppSettings } from '../../src/app-settings.js';
import { createBackportApp } from '../../src/index.js';
import type { LedgerItem } from '../../src/ledger/ledger-item.js';
import type { LedgerService } from '../../src/ledger/ledger-service.js';
import { testAppKey } from '../support/app-key.js';
import { testProbot } from './test-probot.js';
import { startGitHubSim, type GitHubSim, type GitHubSimOptions } from '../../tools/github-sim/index.js';

export const SESSION_SECRET = 'ledger-test-session-secret';

export interface LedgerAppOptions {
  /** The tracking issue's debounce window; default one hour, so tests flush explicitly. */
  debounceMs?: number;
  /** Rebuild every installed repository when the database starts empty (default false). */
  rebuildWhenEmpty?: boolean;
  /** Mount sign-in with GitHub (the simulator's OAuth client); default true. */
  signIn?: boolean;
  /** Backports run side by side (default 2). */
  concurrency?: number;
  /** `postgres://…`: the job queue and the ledger live there (DATABASE_URL); default SQLite. */
  databaseUrl?: string;
}

export interface LedgerHarness {
  sim: GitHubSim;
  /** The app's server: webhooks at /api/github/webhooks, the dashboard at /backport/. */
  url: string;
  ledger: LedgerService;
  probot: Probot;
  dbPath: string;
  cacheDir: string;
  logs: string[];
  /** The app's clock: never behind the simulated GitHub's (which runs ahead when busy). */
  now(): Date;
  /** Waits until backports, webhooks the app caused and ledger updates have all finished. */
  settle(): Promise<void>;
  /** Waits until backports and the webhooks they caused have finished (no ledger update). */
  idle(): Promise<void>;
  /** One item of the ledger, by source PR and target (in acme/widgets unless named). */
  item(source: number, target: string, repo?: string): Promise<LedgerItem | undefined>;
  /** Stops the app (the simulated GitHub stays) and starts it again. */
  restart(opts?: LedgerAppOptions & { wipeDatabase?: boolean }): Promise<void>;
  /**
   * Another instance of the app on the same simulated GitHub and settings (the same
   * DATABASE_URL), with its own cache and SQLite files and its own server. GitHub's webhooks
   * keep going to the first instance. Stopped with the harness.
   */
  addInstance(): Promise<{ url: string; ledger: LedgerService }>;
  stop(): Promise<void>;
}

interface RunningApp {
  ledger: LedgerService;
  probot: Probot;
  idle(): Promise<void>;
  url: string;
  close(): Promise<void>;
}

export async function startLedgerHarness(
  options: LedgerAppOptions & { sim?: GitHubSimOptions } = {},
): Promise<LedgerHarness> {
  const sim = await startGitHubSim({ apiWebhooks: true, appPrivateKey: testAppKey(), ...options.sim });
  const dir = mkdtempSync(join(tmpdir(), 'bpa-ledger-'));
  const cacheDir = join(dir, 'cache');
  const dbPath = join(dir, 'db', 'ledger.sqlite');
  const logs: string[] = [];
  const now = () => sim.state.appTime();
  let app = await startApp(sim, { cacheDir, dbPath, logs, now }, options);
  const others: RunningApp[] = [];

  const h: LedgerHarness = {
    sim,
    url: app.url,
    ledger: app.ledger,
    probot: app.probot,
    dbPath,
    cacheDir,
    logs,
    now,
    async settle() {
      // Each step may cause the others' work (a backport PR's webhook, a rebuild's update),
      // so repeat until a round leaves GitHub untouched.
      for (;;) {
        const before = sim.requestLog.length + sim.deliveries.length;
        await app.idle();
        await sim.settle();
        await app.ledger.flush();
        await sim.settle();
        if (sim.requestLog.length + sim.deliveries.length === before) return;
      }
    },
    async idle() {
      await app.idle();
      await sim.settle();
      await app.idle();
    },
    item: async (source, target, repo = 'acme/widgets') =>
      (await app.ledger.store.ledger(repo)).find((i) => i.source === source && i.target === target),
    async restart(opts = {}) {
      await app.close();
      if (opts.wipeDatabase) rmSync(join(dir, 'db'), { recursive: true, force: true });
      app = await startApp(sim, { cacheDir, dbPath, logs, now }, { ...options, ...opts });
      Object.assign(h, { url: app.url, ledger: app.ledger, probot: app.probot });
    },
    async addInstance() {
      const n = others.length + 2;
      const paths = {
        cacheDir: join(dir, `cache-${n}`),
        dbPath: join(dir, `db-${n}`, 'ledger.sqlite'),
        logs,
        now,
      };
      const other = await startApp(sim, paths, { ...options, webhooks: false });
      others.push(other);
      return { url: other.url, ledger: other.ledger };
    },
    async stop() {
      for (const other of others) await other.close();
      await app.close();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

async function startApp(
  sim: GitHubSim,
  paths: { cacheDir: string; dbPath: string; logs: string[]; now: () => Date },
  options: LedgerAppOptions & { webhooks?: boolean },
): Promise<RunningApp> {
  // The dashboard needs its own URL (sign-in callback), so the server listens first.
  const mounted: { middleware?: Awaited<ReturnType<typeof createNodeMiddleware>> } = {};
  const server: Server = createServer((req, res) => {
    if (!mounted.middleware) return void res.writeHead(503).end();
    void mounted.middleware(req, res, () => res.writeHead(404).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const settings: AppSettings = {
    cacheDir: paths.cacheDir,
    concurrency: options.concurrency ?? 2,
    committer: { name: 'backport-assistant[bot]', email: 'backport-assistant[bot]@users.noreply.github.com' },
    now: paths.now,
    database: { url: options.databaseUrl, sqlitePath: join(paths.cacheDir, 'jobs.sqlite') },
    jobs: { pollMs: 50, maxAttempts: 1 },
    reconcile: false,
    ledger: {
      dbPath: paths.dbPath,
      trackingDebounceMs: options.debounceMs ?? 3_600_000,
      trackingMaxWaitMs: Math.max(options.debounceMs ?? 3_600_000, 3_600_000),
      rebuildWhenEmpty: options.rebuildWhenEmpty ?? false,
      dashboard: {
        publicUrl: url,
        sessionSecret: SESSION_SECRET,
        oauth: options.signIn === false ? undefined : { ...sim.oauth },
      },
    },
  };
  const app = createBackportApp(settings);
  const probot = testProbot(sim, paths.logs);
  mounted.middleware = await createNodeMiddleware(app.appFn, { probot });
  if (options.webhooks !== false) sim.webhookUrl = `${url}/api/github/webhooks`;
  const ledger = app.ledger();
  if (!ledger) throw new Error('the ledger did not start');
  return {
    ledger,
    probot,
    url,
    idle: () => app.idle(),
    close: async () => {
      await app.idle();
      // Also runs the ledger's pending updates and closes it.
      await app.stop();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/**
 * A ledger as the views use it, to compare a rebuilt ledger with a live one. One field is set
 * aside: the checks of a backport PR that is no longer open. The live ledger remembers what
 * they were while it was open; a rebuild reads checks only for open PRs (reading them for
 * every PR ever closed would cost two calls each), and no view shows checks of a closed PR.
 */
export function comparableLedger(items: LedgerItem[]): LedgerItem[] {
  return items.map((i) =>
    i.backportPr && i.backportPr.state !== 'open'
      ? { ...i, backportPr: { ...i.backportPr, checks: 'unknown' } }
      : i,
  );
}
