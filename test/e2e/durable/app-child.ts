import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  type WriteStream,
} from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { GitHubSim } from '../../../tools/github-sim/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./app-process.ts', import.meta.url));

let bundled: Promise<string> | undefined;

/**
 * app-process.ts and the app's own modules as one ES module file, run on bare node. Through
 * tsx every start of the app resolved and loaded its ~250 modules one by one through the
 * loader (about 2.3 s of CPU a start, against 0.9 s for the one file), and the durability
 * tests start it some two dozen times. esbuild strips the types as tsx does (it is tsx's
 * compiler, and scripts/bundle-cli.mjs bundles the CLI the same way); the dependencies stay
 * outside, loaded from node_modules as `npm start` loads them. Built once per test file,
 * by esbuild's own binary (its JS API refuses to run inside Jest's VM), into the project's
 * git-ignored .cache/, where those dependencies resolve, under its content's hash: suites
 * running side by side share a version and never read a half-written file.
 */
function appScript(): Promise<string> {
  bundled ??= (async () => {
    const dir = join(ROOT, '.cache', 'app-process');
    mkdirSync(dir, { recursive: true });
    const scratch = join(dir, `build-${process.pid}-${Date.now()}.mjs`);
    await promisify(execFile)(join(ROOT, 'node_modules', '.bin', 'esbuild'), [
      SCRIPT,
      '--bundle',
      '--format=esm',
      '--platform=node',
      '--target=node20',
      '--packages=external',
      '--log-level=warning',
      `--outfile=${scratch}`,
    ]);
    const out = join(
      dir,
      `${createHash('sha256').update(readFileSync(scratch)).digest('hex').slice(0, 16)}.mjs`,
    );
    if (existsSync(out)) {
      rmSync(scratch);
      utimesSync(out, new Date(), new Date()); // in use: not for another build to prune
    } else renameSync(scratch, out);
    // One file per version of the sources: one unused for a day belongs to edits long gone.
    for (const name of readdirSync(dir)) {
      const file = join(dir, name);
      if (file !== out && statSync(file).mtimeMs < Date.now() - 86_400_000) rmSync(file, { force: true });
    }
    return out;
  })();
  return bundled;
}

export interface ChildOptions {
  cacheDir: string;
  databaseUrl?: string;
  /** A fixed port, so the simulator's webhook URL stays right across restarts. */
  port: number;
  /** Where the child's output goes (kept for a failing test to read). */
  logFile: string;
  env?: Record<string, string>;
}

/**
 * The app in a child process (app-process.ts) that a test can kill with SIGKILL at any
 * moment, as a crash or an OOM kill would, and start again on the same port, cache and
 * database.
 */
export class AppChild {
  private child: ChildProcess | undefined;
  private log: WriteStream;
  starts = 0;

  constructor(
    private readonly sim: GitHubSim,
    private readonly options: ChildOptions,
  ) {
    this.log = createWriteStream(options.logFile, { flags: 'a' });
  }

  get url(): string {
    return `http://127.0.0.1:${this.options.port}/api/github/webhooks`;
  }

  /** The live process's id (the benchmark reads its peak RSS); undefined when stopped. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Starts the app and resolves once it answers webhooks. */
  async start(): Promise<void> {
    this.starts++;
    // Imported from `-e` rather than run as the main script: src/index.ts starts Probot's own
    // server when its module is the main script, and in the bundle its module is the file.
    const script = pathToFileURL(await appScript()).href;
    const args = ['--input-type=module', '-e', `await import(${JSON.stringify(script)})`];
    const child = spawn(process.execPath, args, {
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        BPA_CACHE_DIR: this.options.cacheDir,
        BPA_PORT: String(this.options.port),
        BPA_APP_ID: String(this.sim.appId),
        BPA_PRIVATE_KEY: this.sim.privateKey,
        BPA_WEBHOOK_SECRET: this.sim.webhookSecret,
        BPA_API_URL: this.sim.apiUrl,
        DATABASE_URL: this.options.databaseUrl ?? '',
        ...this.options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stderr!.pipe(this.log, { end: false });
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        this.log.write(chunk);
        seen += chunk.toString();
        if (seen.includes('ready ')) resolve();
      });
      child.once('exit', (code) => {
        const tail = readFileSync(this.options.logFile, 'utf8').slice(-2000);
        reject(new Error(`the app exited (${code}) before it was ready:\n${tail}`));
      });
    });
  }

  /** SIGKILL: no handler runs, nothing is flushed; resolves once the process is gone. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGTERM: the graceful stop; resolves with the exit code once the process is gone. */
  async terminate(): Promise<number | null> {
    return this.signal('SIGTERM');
  }

  private async signal(signal: NodeJS.Signals): Promise<number | null> {
    const child = this.child;
    if (!child) return null;
    this.child = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill(signal);
    return exited;
  }

  close(): void {
    this.log.end();
  }
}

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}
