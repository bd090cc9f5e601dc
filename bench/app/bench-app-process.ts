/**
 * The app in its own process for the app benchmark, as production runs it: the built
 * JavaScript (`lib/`), Probot's Node middleware on a real HTTP server, its own event loop and
 * memory. The simulated GitHub stays in the benchmark's process, so its work (checking
 * requests against the OpenAPI description, piping git http-backend) is not counted as the
 * app's, and the app's peak RSS is its own. Besides webhooks it answers the benchmark on
 * `/bench/…`: `idle` (once every queued backport has finished), `usage` (peak RSS, CPU time,
 * and what memory held at start and at the sampled peak), `heap-snapshot?path=…`,
 * `profile/start` and `profile/stop?path=…` (a V8 CPU profile of the app alone).
 * Prints `ready <port>` once it answers. Configured from the environment (BPA_*). Runs as
 * JavaScript (bench-app.ts transpiles it): type-only imports, nothing else from TypeScript.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { subscribe } from 'node:diagnostics_channel';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import { createNodeMiddleware, Probot } from 'probot';
import type * as AppEntry from '../../src/index.js';
import type * as OctokitEntry from '../../src/events/backport-octokit.js';

/** Memory as process.memoryUsage() gives it, in bytes. */
type Memory = ReturnType<typeof process.memoryUsage> & {
  /** V8's heap spaces: bytes committed (resident or about to be) and used, by space name. */
  spaces: Record<string, { committed: number; used: number }>;
};
const memory = (): Memory => {
  const spaces: Memory['spaces'] = {};
  for (const s of getHeapSpaceStatistics())
    spaces[s.space_name] = { committed: s.physical_space_size, used: s.space_used_size };
  return { ...process.memoryUsage(), spaces };
};

/*
 * What the resident set is made of at its highest: sampled every few milliseconds, so that a
 * peak RSS figure can be split into V8's heap, buffers and the rest (code, native libraries,
 * allocator slack). VmHWM (peakRssBytes) stays the figure of record; the sample may miss the
 * exact top by a few megabytes.
 */
let atPeak: Memory = memory();
const env = process.env;
/*
 * BPA_MEMORY_TRACE=<path>: every sample (RSS, V8 heap, buffers) and every HTTP request the app
 * starts (REST and git; the webhook's arrival too), with its time, written to <path>-<pid> at
 * each /bench/usage with the resident set split by mapping: where in a backport the memory
 * grows, and whether it is V8's heap, malloc's or node's own code.
 */
const traceFile = env.BPA_MEMORY_TRACE && `${env.BPA_MEMORY_TRACE}-${process.pid}`;
const trace: string[] = [];
const mark = (what: string): void => {
  if (traceFile) trace.push(`${performance.now().toFixed(0)} mark ${what}`);
};
if (traceFile) {
  subscribe('http.client.request.start', (m) => {
    const r = (m as { request: { method: string; path: string } }).request;
    mark(`http ${r.method} ${r.path}`);
  });
  subscribe('undici:request:create', (m) => {
    const r = (m as { request: { method: string; path: string } }).request;
    mark(`fetch ${r.method} ${r.path}`);
  });
}
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
const sampler = setInterval(() => {
  const rss = process.memoryUsage.rss();
  if (traceFile) {
    const m = process.memoryUsage();
    trace.push(
      `${performance.now().toFixed(0)} rss ${mb(m.rss)} heap ${mb(m.heapTotal)} used ${mb(m.heapUsed)} ` +
        `external ${mb(m.external)} arrayBuffers ${mb(m.arrayBuffers)}`,
    );
  }
  if (rss > atPeak.rss) atPeak = memory();
}, 10);
sampler.unref();

/*
 * The peak resident set of this process's own memory: VmHWM, the high-water mark of the
 * address space exec gave it. Not getrusage's maxRSS: on Linux that also counts the memory of
 * the process that spawned it, as it was when it forked (the benchmark's, which can be larger
 * than the app's: 156 and 180 MB were the benchmark's own RSS after it had generated the
 * repository, with the app at 116-123 MB). maxRSS where /proc is not there.
 */
function peakRssBytes(): number {
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb !== undefined) return Number(kb) * 1024;
  } catch {
    // Not Linux: the figure getrusage gives.
  }
  return process.resourceUsage().maxRSS * 1024;
}

const need = (name: string): string => {
  const value = env[name];
  if (!value) throw new Error(`bench-app-process: ${name} is not set`);
  return value;
};

// The built app, as `npm start` runs it (the benchmark builds lib/ first when it is stale).
const lib = (file: string) => pathToFileURL(join(need('BPA_LIB_DIR'), file)).href;
const { createBackportApp } = (await import(lib('index.js'))) as typeof AppEntry;
const { BackportOctokit } = (await import(lib('events/backport-octokit.js'))) as typeof OctokitEntry;

const app = createBackportApp({
  cacheDir: need('BPA_CACHE_DIR'),
  concurrency: 2,
  committer: { name: 'backport-assistant[bot]', email: 'backport-assistant[bot]@users.noreply.github.com' },
  // Outside the git cache: the benchmark empties the cache between rounds, not the queue.
  database: { sqlitePath: need('BPA_JOBS_DB') },
  // The production poll (a webhook wakes the worker at once; polling finds other instances'
  // jobs), one try.
  jobs: { maxAttempts: 1 },
  reconcile: false,
});
// Probot's write pacing is GitHub etiquette, not the app's work: off, as in the tests.
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

const atReady = memory();
let profiler: Session | undefined;
async function control(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const json = (body: unknown): void => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  switch (url.pathname) {
    case '/bench/idle':
      await app.idle();
      return json({ idle: true });
    case '/bench/busy': {
      const counts = await app.service()?.store.counts();
      return json({ busy: counts ? counts.queued + counts.running > 0 : false });
    }
    case '/bench/usage': {
      if (traceFile) writeTrace(traceFile);
      const cpu = process.cpuUsage();
      return json({
        peakRssBytes: peakRssBytes(),
        cpuMs: (cpu.user + cpu.system) / 1000,
        memory: { atReady, atPeak, now: memory() },
      });
    }
    case '/bench/heap-snapshot':
      return json({ written: writeHeapSnapshot(url.searchParams.get('path') ?? undefined) });
    case '/bench/profile/start':
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.setSamplingInterval', { interval: 1000 });
      await profiler.post('Profiler.start');
      return json({ profiling: true });
    case '/bench/profile/stop': {
      if (!profiler) return json({ profiling: false });
      const { profile } = await profiler.post('Profiler.stop');
      writeFileSync(url.searchParams.get('path') ?? 'app.cpuprofile', JSON.stringify(profile));
      profiler.disconnect();
      profiler = undefined;
      return json({ written: true });
    }
    default:
      res.writeHead(404).end();
      return;
  }
}

const server = createServer((req, res) => {
  if (req.url?.startsWith('/bench/')) {
    control(req, res).catch((err: unknown) => res.writeHead(500).end(String(err)));
    return;
  }
  mark(`webhook ${req.url}`);
  void middleware(req, res, () => res.writeHead(404).end());
});
// The benchmark stops this process; should the benchmark itself die, do not outlive it.
const parent = Number(need('BPA_PARENT_PID'));
setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    process.exit(1);
  }
}, 2000).unref();

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`ready ${(server.address() as { port: number }).port}\n`);
});

/** The trace so far, then the resident set by mapping now (kB; the largest eight). */
function writeTrace(path: string): void {
  const kb = new Map<string, number>();
  let name = '';
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) name = head[1] || '[anon]';
    const rss = /^Rss:\s+(\d+)/.exec(line);
    if (rss) kb.set(name, (kb.get(name) ?? 0) + Number(rss[1]));
  }
  const top = [...kb].sort((a, b) => b[1] - a[1]).slice(0, 8);
  const now = performance.now().toFixed(0);
  writeFileSync(path, [...trace, ...top.map(([n, k]) => `${now} smaps ${k} kB ${n}`)].join('\n') + '\n');
}
