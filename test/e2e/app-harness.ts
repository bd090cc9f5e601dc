import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNodeMiddleware } from 'probot';
import type { AppSettings } from '../../src/app-settings.js';
import { createBackportApp } from '../../src/index.js';
import { restFetch } from '../../src/events/rest-fetch.js';
import type { RetryPolicy } from '../../src/publish/github-client.js';
import { testAppKey } from '../support/app-key.js';
import { testProbot } from './test-probot.js';
import { startGitHubSim, type GitHubSim, type GitHubSimOptions } from '../../tools/github-sim/index.js';

export interface LostAnswer {
  method: string;
  pathRegex: RegExp;
  /** How many matching requests lose their answer; default 1. */
  times?: number;
  status?: number;
  /** How many answers were lost so far. */
  fired: number;
}

export type FetchHook = (
  request: { method: string; url: URL; body: string | undefined },
  response: Response,
) => Promise<Response | undefined> | Response | undefined;

export type BeforeHook = (request: {
  method: string;
  url: URL;
  body: string | undefined;
}) => Promise<Response | undefined> | Response | undefined;

export interface Harness {
  sim: GitHubSim;
  /** Waits until the app has finished every backport it queued. */
  idle(): Promise<void>;
  /** Everything the app logged, as JSON lines (to check that no token leaks). */
  logs: string[];
  /** Every wait the pipeline's retry logic asked for, in ms (only with `fastRetry`). */
  sleeps: number[];
  /**
   * With `fastRetry`, the app's retry clock stands still at this instant (ms since the
   * epoch): a rate limit's reset announced relative to it gives an exact wait.
   */
  retryNow: number;
  cacheDir: string;
  /**
   * The simulator's faults answer instead of the real handler, so the write never happens.
   * This one lets the request reach the simulator (the write happens) and then replaces the
   * answer with an error: GitHub's "502 after the PR was in fact created".
   */
  loseAnswer(spec: Omit<LostAnswer, 'fired'>): LostAnswer;
  /** Sees every REST answer the app gets (after the simulator acted) and may replace it. */
  onFetch(hook: FetchHook): void;
  /**
   * Sees every REST request before it leaves the app and may answer it instead of the
   * simulator (a fault that can look at the request body, e.g. only the PR for one target).
   */
  onRequest(hook: BeforeHook): void;
  stop(): Promise<void>;
}

export interface HarnessOptions extends GitHubSimOptions {
  concurrency?: number;
  /**
   * Retry waits are recorded in `sleeps` and shortened to a few ms.
   */
  fastRetry?: Partial<RetryPolicy>;
  /** More app settings (e.g. `labelPermission`). */
  settings?: Partial<AppSettings>;
  /**
   * The job queue's settings. By default a job is tried once (transient failures give a
   * "failed" row at once, as the suites about GitHub's failures expect) and looked for every
   * 50 ms; reconciliation is off unless asked for.
   */
  jobs?: AppSettings['jobs'];
  reconcile?: AppSettings['reconcile'];
  /** `DATABASE_URL` for the job queue; default the SQLite file in the cache dir. */
  databaseUrl?: string;
}

const COMMITTER = {
  name: 'backport-assistant[bot]',
  email: 'backport-assistant[bot]@users.noreply.github.com',
};

/** Where the retry clock stands in `fastRetry` harnesses: a whole second, so resets are exact. */
const RETRY_NOW = Date.UTC(2030, 0, 1);

/**
 * The app as it runs in production (Probot's Node middleware on a real HTTP server) wired to
 * the simulated GitHub: signed webhooks in, REST and git smart-HTTP out.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const sim = await startGitHubSim({ appPrivateKey: testAppKey(), ...options });
  const cacheDir = mkdtempSync(join(tmpdir(), 'bpa-cache-'));
  const logs: string[] = [];
  const sleeps: number[] = [];
  const fast = options.fastRetry
    ? {
        retry: { attempts: 4, baseDelayMs: 500, maxDelayMs: 60_000, ...options.fastRetry },
        // Every wait the retry logic asks for is recorded, then shortened to a few ms.
        sleep: (ms: number) => {
          sleeps.push(ms);
          return new Promise<void>((r) => setTimeout(r, 5));
        },
        clock: () => RETRY_NOW,
      }
    : {};
  const {
    appFn,
    idle,
    stop: stopApp,
  } = createBackportApp({
    cacheDir,
    concurrency: options.concurrency ?? 2,
    committer: COMMITTER,
    // Once a test scripts GitHub's clock (sim.setTime), the app lives in that time too.
    now: () => (sim.state.scripted ? sim.state.appTime() : new Date()),
    ...fast,
    ...options.settings,
    database: { url: options.databaseUrl, sqlitePath: join(cacheDir, 'jobs.sqlite') },
    jobs: { pollMs: 50, maxAttempts: 1, backoffMs: 10, ...options.jobs },
    reconcile: options.reconcile ?? false,
  });
  const hooks: FetchHook[] = [];
  const beforeHooks: BeforeHook[] = [];
  const hookedFetch: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const request = {
      method: (init?.method ?? 'GET').toUpperCase(),
      url,
      body: typeof init?.body === 'string' ? init.body : undefined,
    };
    for (const hook of beforeHooks) {
      const answer = await hook(request);
      if (answer) return answer;
    }
    // The app's own fetch (the one its Octokit uses when given none), with the hooks around it.
    const response = (await restFetch(
      String(url),
      init as Parameters<typeof restFetch>[1],
    )) as unknown as Response;
    for (const hook of hooks) {
      const replaced = await hook(request, response);
      if (replaced) return replaced;
    }
    return response;
  };
  const loseAnswer = (spec: Omit<LostAnswer, 'fired'>): LostAnswer => {
    const entry: LostAnswer = { ...spec, method: spec.method.toUpperCase(), fired: 0 };
    hooks.push(async (req, response) => {
      if (entry.fired >= (entry.times ?? 1) || req.method !== entry.method) return undefined;
      if (!entry.pathRegex.test(req.url.pathname)) return undefined;
      entry.fired++;
      await response.arrayBuffer();
      return new Response(JSON.stringify({ message: 'Server Error' }), {
        status: entry.status ?? 502,
        headers: { 'content-type': 'application/json' },
      });
    });
    return entry;
  };
  const probot = testProbot(sim, logs, { fetch: hookedFetch });
  const middleware = await createNodeMiddleware(appFn, { probot });
  const server: Server = createServer(
    (req, res) => void middleware(req, res, () => res.writeHead(404).end()),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  sim.webhookUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/github/webhooks`;
  return {
    sim,
    idle: () => idle(),
    logs,
    sleeps,
    retryNow: RETRY_NOW,
    cacheDir,
    loseAnswer,
    onFetch: (hook) => {
      hooks.push(hook);
    },
    onRequest: (hook) => {
      beforeHooks.push(hook);
    },
    stop: async () => {
      await idle();
      await stopApp();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await sim.stop();
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}
