import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { threadCpuMs } from './thread-cpu.js';

/** One merge's cost in git's own process: wall time to its answer, and CPU time of git's thread. */
export interface GitMergeTime {
  ms: number;
  cpuMs: number | undefined;
}

/**
 * One `git merge-tree --write-tree --stdin` process (unbuffered, through `stdbuf -o0`), asked
 * one merge at a time: each answer is awaited before the next line is written, so its wall time
 * is that merge's alone and the caller can interleave its own work under the same load. Each
 * answer ends with an empty NUL-terminated field. Objects git writes go to `scratch`.
 */
export class MergeTreeStream {
  private readonly child: ChildProcessByStdio<Writable, Readable, null>;
  private pending = '';
  private waiting: { resolve: () => void; reject: (err: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor(gitdir: string, scratch: string) {
    const env = {
      ...process.env,
      GIT_OBJECT_DIRECTORY: join(scratch, 'objects'),
      GIT_ALTERNATE_OBJECT_DIRECTORIES: join(gitdir, 'objects'),
    };
    const args = ['-o0', 'git', 'merge-tree', '--write-tree', '--stdin', '--name-only', '--no-messages'];
    this.child = spawn('stdbuf', args, { cwd: gitdir, env, stdio: ['pipe', 'pipe', 'inherit'] });
    this.child.stdout.setEncoding('latin1');
    this.child.stdout.on('data', (chunk: string) => {
      this.pending += chunk;
      const end = this.pending.indexOf('\0\0');
      if (end === -1 || !this.waiting) return;
      this.pending = this.pending.slice(end + 2);
      const { resolve } = this.waiting;
      this.waiting = undefined;
      resolve();
    });
    this.child.on('error', (err) => this.fail(err));
    this.child.on('close', () => this.fail(new Error('git merge-tree --stdin exited before answering')));
  }

  /** Merges two commits (ours, theirs) and times it. */
  async merge(ours: string, theirs: string): Promise<GitMergeTime> {
    if (this.failure) throw this.failure;
    const cpuBefore = threadCpuMs(this.child.pid!);
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.child.stdin.write(`${ours} ${theirs}\n`);
    });
    const ms = performance.now() - started;
    const cpuAfter = threadCpuMs(this.child.pid!);
    const cpuMs = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
    return { ms, cpuMs };
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.failure) return;
    const closed = new Promise<void>((resolve) => this.child.once('close', () => resolve()));
    this.child.stdin.end();
    await closed;
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.waiting?.reject(this.failure);
    this.waiting = undefined;
  }
}
