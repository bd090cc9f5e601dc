import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Probot, ProbotOctokit, createNodeMiddleware } from 'probot';
import { createBackportApp } from '../../src/index.js';
import { startGitHubSim, type GitHubSim, type GitHubSimOptions } from '../github-sim/index.js';

export interface Harness {
  sim: GitHubSim;
  /** Waits until the app has finished every backport it queued. */
  idle(): Promise<void>;
  /** Everything the app logged, as JSON lines (to check that no token leaks). */
  logs: string[];
  cacheDir: string;
  stop(): Promise<void>;
}

/**
 * The app as it runs in production (Probot's Node middleware on a real HTTP server) wired to
 * the simulated GitHub: signed webhooks in, REST and git smart-HTTP out.
 */
export async function startHarness(
  options: GitHubSimOptions & { concurrency?: number } = {},
): Promise<Harness> {
  const sim = await startGitHubSim(options);
  const cacheDir = mkdtempSync(join(tmpdir(), 'bpa-cache-'));
  const logs: string[] = [];
  const { appFn, idle } = createBackportApp({
    cacheDir,
    concurrency: options.concurrency ?? 2,
    committer: { name: 'backport-assistant[bot]', email: 'backport-assistant[bot]@users.noreply.github.com' },
  });
  // Probot's write throttling (3 s between notifying writes) is GitHub etiquette, not behaviour.
  const Octokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({
    ...o,
    throttle: { ...(o.throttle as object), enabled: false },
  }));
  const probot = new Probot({
    appId: sim.appId,
    privateKey: sim.privateKey,
    secret: sim.webhookSecret,
    baseUrl: sim.apiUrl,
    Octokit,
    log: captureLogger(logs),
  });
  const middleware = await createNodeMiddleware(appFn, { probot });
  const server: Server = createServer(
    (req, res) => void middleware(req, res, () => res.writeHead(404).end()),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  sim.webhookUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/github/webhooks`;
  return {
    sim,
    idle,
    logs,
    cacheDir,
    stop: async () => {
      await idle();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await sim.stop();
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}

/** A pino-compatible logger that keeps every line in memory. */
function captureLogger(lines: string[]) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const make = (bindings: Record<string, unknown>): any => {
    const write = (level: string) => (obj: unknown, msg?: string) => {
      lines.push(
        JSON.stringify({
          level,
          ...bindings,
          ...(typeof obj === 'object' ? obj : { msg: obj }),
          ...(msg ? { msg } : {}),
        }),
      );
    };
    return {
      level: 'trace',
      trace: write('trace'),
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
      fatal: write('fatal'),
      child: (more: Record<string, unknown>) => make({ ...bindings, ...more }),
    };
  };
  return make({});
}
