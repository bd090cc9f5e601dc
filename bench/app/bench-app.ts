import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { GitHubSim } from '../../tools/github-sim/index.js';
import { projectRoot } from '../bench-paths.js';

const SOURCE = fileURLToPath(new URL('./bench-app-process.ts', import.meta.url));

/**
 * The app process's script as plain JavaScript, so that it runs on bare node like `npm start`:
 * through tsx, the loader alone adds about 30 MB to the process's RSS. Written under the
 * project (git-ignored `.cache/`), where `probot` resolves from node_modules.
 */
function compiledScript(): string {
  const out = join(projectRoot, '.cache', 'bench-app-process.mjs');
  const js = ts.transpileModule(readFileSync(SOURCE, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, js);
  return out;
}

type Memory = ReturnType<typeof process.memoryUsage> & {
  spaces: Record<string, { committed: number; used: number }>;
};

export interface AppUsage {
  peakRssBytes: number;
  cpuMs: number;
  memory: { atReady: Memory; atPeak: Memory; now: Memory };
}

/**
 * The node flags `npm start` gives the app (package.json; the Dockerfile's CMD gives the same,
 * see test/deploy/node-flags.test.ts): V8's heap settings change the peak RSS measured here.
 */
export function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const m = /\bnode((?:\s+--[\w-]+(?:=\S+)?)*)\s+(?:\.\/)?lib\/index\.js/.exec(pkg.scripts.start);
  if (!m) throw new Error(`package.json's start script does not run lib/index.js: ${pkg.scripts.start}`);
  return m[1]!
    .trim()
    .split(/\s+/)
    .filter((f) => f !== '');
}

export interface BenchAppOptions {
  cacheDir: string;
  jobsDb: string;
  /** Where the app's stdout and stderr go (its warnings say why a backport failed). */
  logFile: string;
}

/**
 * The app as its own process (bench-app-process.ts), started and stopped by the benchmark.
 * Starting is untimed: the clock runs from the webhook, as for an instance that is up.
 */
export class BenchApp {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly logFile: string,
  ) {}

  static async start(sim: GitHubSim, o: BenchAppOptions): Promise<BenchApp> {
    const log = openSync(o.logFile, 'a');
    // BPA_NODE_FLAGS: node flags beside npm start's, for a look inside (`--trace-gc`).
    const extra = (process.env.BPA_NODE_FLAGS ?? '').split(' ').filter((f) => f !== '');
    const child = spawn(process.execPath, [...startFlags(), ...extra, compiledScript()], {
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        BPA_LIB_DIR: join(projectRoot, 'lib'),
        BPA_PARENT_PID: String(process.pid),
        BPA_CACHE_DIR: o.cacheDir,
        BPA_JOBS_DB: o.jobsDb,
        BPA_APP_ID: String(sim.appId),
        BPA_PRIVATE_KEY: sim.privateKey,
        BPA_WEBHOOK_SECRET: sim.webhookSecret,
        BPA_API_URL: sim.apiUrl,
      },
      stdio: ['ignore', 'pipe', log],
    });
    closeSync(log);
    const port = await new Promise<number>((resolve, reject) => {
      let seen: string | undefined = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        // Read on to the end: a full pipe would stall the app's logging.
        appendFileSync(o.logFile, chunk);
        if (seen === undefined) return;
        seen += chunk.toString();
        const ready = /^ready (\d+)$/m.exec(seen);
        if (ready) {
          seen = undefined;
          resolve(Number(ready[1]));
        }
      });
      child.once('exit', (code) => {
        reject(new Error(`the app exited (${code}) before it was ready:\n${tail(o.logFile)}`));
      });
    });
    const app = new BenchApp(child, port, o.logFile);
    sim.webhookUrl = `http://127.0.0.1:${port}/api/github/webhooks`;
    return app;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Resolves once every backport the app queued has finished. */
  async idle(): Promise<void> {
    await this.ask('idle');
  }

  /** Whether a backport is queued or running (one query, unlike idle()'s 20 ms polling). */
  async busy(): Promise<boolean> {
    return ((await this.ask('busy')) as { busy: boolean }).busy;
  }

  /**
   * The app's peak resident set since it started (bytes), the CPU time it used (ms), and
   * process.memoryUsage() when it was ready, at the highest RSS it sampled, and now.
   */
  async usage(): Promise<AppUsage> {
    return (await this.ask('usage')) as AppUsage;
  }

  /** Writes a V8 heap snapshot of the app to `path`. */
  async heapSnapshot(path: string): Promise<void> {
    await this.ask(`heap-snapshot?path=${encodeURIComponent(path)}`);
  }

  async startProfile(): Promise<void> {
    await this.ask('profile/start');
  }

  async stopProfile(path: string): Promise<void> {
    await this.ask(`profile/stop?path=${encodeURIComponent(path)}`);
  }

  /** The app's log so far, JSON lines (its warnings and errors say why a backport failed). */
  log(): string {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  async stop(): Promise<void> {
    // BPA_LOG_COPY=<path>: the app's output kept as <path>-<pid> (the run's folder is removed).
    if (process.env.BPA_LOG_COPY) writeFileSync(`${process.env.BPA_LOG_COPY}-${this.child.pid}`, this.log());
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.kill('SIGKILL');
    await exited;
  }

  private async ask(what: string): Promise<unknown> {
    const res = await fetch(`http://127.0.0.1:${this.port}/bench/${what}`);
    if (!res.ok) throw new Error(`the app answered ${res.status} to /bench/${what}: ${await res.text()}`);
    return res.json();
  }
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(-2000);
  } catch {
    return '';
  }
}
