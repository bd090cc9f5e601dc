import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { GitHubSim } from '../../../tools/github-sim/index.js';

const SCRIPT = fileURLToPath(new URL('./app-process.ts', import.meta.url));

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
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
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
