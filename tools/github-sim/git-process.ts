/**
 * One git process of the simulator: started here, or, with `GITHUB_SIM_GIT_SPAWNER=1` (the
 * test suites set it), by the small process of git-spawner.mjs. Node forks its whole process
 * to start a child, and a Jest worker holds a few hundred MB: every git process the simulator
 * started from it cost 10–25 ms of CPU in page-table copies before git ran at all, the
 * largest share of an end-to-end suite's CPU. Started from the spawner, the same git with the
 * same arguments, environment, input and output, it costs a few. The app bench sets the
 * variable too (`--sim-git`, run-app-bench.ts); the demo starts git itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { encodeFrame, frameReader } from './spawner-frames.mjs';

export interface GitProcess {
  onStdout(fn: (chunk: Buffer) => void): void;
  onStderr(fn: (chunk: Buffer) => void): void;
  /** Writes `input` to git's stdin and closes it. */
  end(input?: string | Buffer): void;
  /** Resolves with the exit code once git has exited and its output was delivered (null: a signal); rejects when git could not start. */
  readonly exited: Promise<number | null>;
}

/** Starts `git args` in `cwd` with exactly `env` (nothing of this process's own environment). */
export function startGit(args: string[], opts: { cwd?: string; env: NodeJS.ProcessEnv }): GitProcess {
  return process.env.GITHUB_SIM_GIT_SPAWNER === '1' ? spawner().start(args, opts) : startHere(args, opts);
}

/** Runs git to its end: its exit code (null: a signal) and all it wrote, as bytes. */
export async function runToEnd(
  args: string[],
  opts: { cwd?: string; env: NodeJS.ProcessEnv; input?: string | Buffer },
): Promise<{ code: number | null; stdout: Buffer; stderr: Buffer }> {
  const child = startGit(args, opts);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.onStdout((b) => out.push(b));
  child.onStderr((b) => err.push(b));
  child.end(opts.input ?? '');
  const code = await child.exited;
  return { code, stdout: Buffer.concat(out), stderr: Buffer.concat(err) };
}

function startHere(args: string[], opts: { cwd?: string; env: NodeJS.ProcessEnv }): GitProcess {
  const child = spawn('git', args, { cwd: opts.cwd, env: opts.env });
  child.stdin.on('error', () => undefined);
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  return {
    onStdout: (fn) => child.stdout.on('data', fn),
    onStderr: (fn) => child.stderr.on('data', fn),
    end: (input) => child.stdin.end(input ?? ''),
    exited,
  };
}

interface Waiting {
  stdout: ((chunk: Buffer) => void)[];
  stderr: ((chunk: Buffer) => void)[];
  resolve: (code: number | null) => void;
  reject: (err: Error) => void;
}

const SPAWNER = fileURLToPath(new URL('./git-spawner.mjs', import.meta.url));

/** The spawner process and the git processes it runs for us. */
class Spawner {
  private child: ChildProcess | undefined;
  private readonly running = new Map<number, Waiting>();
  private nextId = 1;
  private idle: NodeJS.Timeout | undefined;

  start(args: string[], opts: { cwd?: string; env: NodeJS.ProcessEnv }): GitProcess {
    const id = this.nextId++;
    const waiting: Waiting = { stdout: [], stderr: [], resolve: () => undefined, reject: () => undefined };
    const exited = new Promise<number | null>((resolve, reject) => {
      waiting.resolve = resolve;
      waiting.reject = reject;
    });
    this.running.set(id, waiting);
    this.hold();
    this.send(1, id, Buffer.from(JSON.stringify({ file: 'git', args, cwd: opts.cwd, env: opts.env })));
    return {
      onStdout: (fn) => void waiting.stdout.push(fn),
      onStderr: (fn) => void waiting.stderr.push(fn),
      end: (input) => {
        const bytes = typeof input === 'string' ? Buffer.from(input) : (input ?? Buffer.alloc(0));
        if (bytes.length > 0) this.send(2, id, bytes);
        this.send(3, id, Buffer.alloc(0));
      },
      exited,
    };
  }

  /**
   * Keeps this process alive while git runs for it and lets it exit when none does. A spawner
   * idle for a second is let go (its input closed, so it exits): each test file loads this
   * module afresh and would otherwise leave one behind in its worker.
   */
  private hold(): void {
    const child = this.ensure();
    const busy = this.running.size > 0;
    for (const handle of [child, child.stdin, child.stdout] as { ref?(): void; unref?(): void }[])
      if (busy) handle.ref?.();
      else handle.unref?.();
    clearTimeout(this.idle);
    if (busy) return;
    this.idle = setTimeout(() => {
      if (this.child !== child || this.running.size > 0) return;
      this.child = undefined;
      child.stdin!.end();
    }, 1000);
    this.idle.unref();
  }

  private ensure(): ChildProcess {
    if (this.child) return this.child;
    const child = spawn(process.execPath, [SPAWNER], {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
    this.child = child;
    child.stdin!.on('error', () => undefined);
    // A fresh reader per child: what a child that died mid-frame left must not prefix the next's.
    child.stdout!.on(
      'data',
      frameReader((type, id, payload) => this.receive(type, id, payload)),
    );
    child.on('exit', () => {
      if (this.child !== child) return; // let go when idle: nothing of ours was running
      this.child = undefined;
      const lost = [...this.running.values()];
      this.running.clear();
      for (const w of lost) w.reject(new Error('the simulator git spawner exited'));
    });
    return child;
  }

  private send(type: number, id: number, payload: Buffer): void {
    this.ensure().stdin!.write(encodeFrame(type, id, payload));
  }

  private receive(type: number, id: number, payload: Buffer): void {
    const waiting = this.running.get(id);
    if (!waiting) return;
    if (type === 1) for (const fn of waiting.stdout) fn(payload);
    else if (type === 2) for (const fn of waiting.stderr) fn(payload);
    else {
      this.running.delete(id);
      if (type === 3) waiting.resolve((JSON.parse(payload.toString('utf8')) as { code: number | null }).code);
      else waiting.reject(new Error(payload.toString('utf8')));
      this.hold();
    }
  }
}

let shared: Spawner | undefined;
function spawner(): Spawner {
  shared ??= new Spawner();
  return shared;
}
