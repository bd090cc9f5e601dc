import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { ObjectReader } from '../../src/repo/storage/object-reader.js';
import { runToEnd } from '../../tools/github-sim/git-process.js';

/** Fixed identity and dates so object ids are the same on every run and machine. */
export const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Ada Author',
  GIT_AUTHOR_EMAIL: 'ada@example.com',
  GIT_AUTHOR_DATE: '1700000000 +0000',
  GIT_COMMITTER_NAME: 'Cy Committer',
  GIT_COMMITTER_EMAIL: 'cy@example.com',
  GIT_COMMITTER_DATE: '1700000000 +0000',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  LC_ALL: 'C',
};

/** Runs git and returns stdout; throws with stderr on a non-zero exit. */
export function git(cwd: string, args: string[], input?: string | Buffer): string {
  const r = gitSync(cwd, args, input);
  if (r.status === 0) return r.stdout;
  // As execFileSync throws: the command and stderr in the message, the rest as properties.
  throw Object.assign(new Error(`Command failed: git ${args.join(' ')}\n${r.stderr}`), r);
}

/** Runs git and returns its exit status and output, never throwing. */
export function gitStatus(cwd: string, args: string[], input?: string | Buffer) {
  return gitSync(cwd, args, input);
}

/**
 * git run to its end, the calling thread waiting: latin1 text in and out (any bytes). In the
 * suites (GITHUB_SIM_GIT_SPAWNER=1) it is started by the simulator's small git spawner through
 * a thread of this process (git-sync-worker.mjs) rather than forked from the Jest worker,
 * whose few hundred MB of page tables each fork copied; otherwise by spawnSync, as before.
 */
function gitSync(
  cwd: string,
  args: string[],
  input?: string | Buffer,
): { status: number; stdout: string; stderr: string } {
  if (process.env.GITHUB_SIM_GIT_SPAWNER !== '1') {
    const r = spawnSync('git', args, { cwd, env: GIT_ENV, input, encoding: 'latin1', maxBuffer: 256 << 20 });
    if (r.error) throw r.error;
    return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  }
  const t = syncThread();
  Atomics.store(t.flag, 0, 0);
  const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  t.worker.postMessage({ file: 'git', args, cwd, env: GIT_ENV, input: bytes });
  // Bounded, so that a thread that died makes the test fail rather than hang the worker.
  for (let waited = 0; Atomics.load(t.flag, 0) === 0; waited++) {
    if (waited === 600) throw new Error(`git ${args.join(' ')}: no answer from the git thread in 10 minutes`);
    Atomics.wait(t.flag, 0, 0, 1000);
  }
  const answer = receiveMessageOnPort(t.port)!.message as
    { error: string } | { status: number | null; stdout: Uint8Array; stderr: Uint8Array };
  t.release();
  if ('error' in answer) throw new Error(`git ${args.join(' ')}: ${answer.error}`);
  return {
    status: answer.status ?? -1,
    stdout: Buffer.from(answer.stdout).toString('latin1'),
    stderr: Buffer.from(answer.stderr).toString('latin1'),
  };
}

interface SyncThread {
  worker: Worker;
  port: MessagePort;
  flag: Int32Array;
  /** Lets the thread go after a second without a command (each test file loads this afresh). */
  release(): void;
}

let thread: SyncThread | undefined;

function syncThread(): SyncThread {
  if (thread) return thread;
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(new URL('./git-sync-worker.mjs', import.meta.url), {
    workerData: {
      flag: flag.buffer,
      port: port2,
      spawner: fileURLToPath(new URL('../../tools/github-sim/git-spawner.mjs', import.meta.url)),
    },
    transferList: [port2],
  });
  worker.unref();
  port1.unref();
  let idle: ReturnType<typeof setTimeout> | undefined;
  const made: SyncThread = {
    worker,
    port: port1,
    flag,
    release: () => {
      clearTimeout(idle);
      idle = setTimeout(() => {
        if (thread === made) thread = undefined;
        port1.close();
        void worker.terminate();
      }, 1000);
      idle.unref();
    },
  };
  thread = made;
  return made;
}

/**
 * git, asynchronously, never throwing: exit status and output (`encoding` as `git`'s, utf8 by
 * default). Started as the simulated GitHub starts its git (tools/github-sim/git-process.ts):
 * in the suites, by a small process of its own rather than forked from the Jest worker, whose
 * few hundred MB of page tables each fork copied.
 */
export async function gitRun(
  cwd: string,
  args: string[],
  opts: { input?: string | Buffer; encoding?: BufferEncoding } = {},
): Promise<{ status: number; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await runToEnd(args, { cwd, env: GIT_ENV, input: opts.input });
  const encoding = opts.encoding ?? 'utf8';
  return { status: code ?? -1, stdout: stdout.toString(encoding), stderr: stderr.toString(encoding) };
}

/**
 * Whether the repository at `gitdir` holds `oid`, read by our own object reader: git's own
 * `cat-file -e` would fetch an absent object from a partial clone's promisor remote.
 */
export function hasObject(gitdir: string, oid: string): boolean {
  const reader = new ObjectReader(gitdir);
  try {
    return reader.has(oid);
  } finally {
    reader.close();
  }
}

export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Builds many commits in one `git fast-import` run, which is what makes hundreds of
 * generated scenarios cheap. Files are given as latin1 strings (any bytes) or null (delete).
 */
export class FastImport {
  private readonly chunks: Buffer[] = [];
  private mark = 0;
  private time = 1700000000;

  /** Writes a commit on `ref` and returns its mark (usable as a parent or in `git rev-parse`). */
  commit(
    ref: string,
    files: Record<string, { mode?: string; data: string } | string | null>,
    opts: { parents?: string[]; message?: string; deleteAll?: boolean; time?: number } = {},
  ): string {
    const mark = `:${++this.mark}`;
    const message = opts.message ?? `commit ${mark}`;
    this.time += 60;
    // An explicit date (a skewed clock) leaves the running clock alone.
    const time = opts.time ?? this.time;
    let text = `commit ${ref}\nmark ${mark}\n`;
    text += `author Ada Author <ada@example.com> ${time} +0000\n`;
    text += `committer Cy Committer <cy@example.com> ${time} +0000\n`;
    this.chunks.push(Buffer.from(text), Buffer.from(`data ${Buffer.byteLength(message)}\n${message}\n`));
    const [from, ...merges] = opts.parents ?? [];
    let head = '';
    if (from) head += `from ${from}\n`;
    for (const m of merges) head += `merge ${m}\n`;
    if (opts.deleteAll) head += 'deleteall\n';
    this.chunks.push(Buffer.from(head));
    for (const [path, value] of Object.entries(files)) {
      if (value === null) {
        this.chunks.push(Buffer.from(`D ${quote(path)}\n`));
        continue;
      }
      const { mode = '100644', data } = typeof value === 'string' ? { data: value } : value;
      if (mode === '160000') {
        // A submodule entry is a commit id; fast-import records it without any content.
        this.chunks.push(Buffer.from(`M 160000 ${data} ${quote(path)}\n`));
        continue;
      }
      const bytes = Buffer.from(data, 'latin1');
      this.chunks.push(
        Buffer.from(`M ${mode} inline ${quote(path)}\ndata ${bytes.length}\n`),
        bytes,
        Buffer.from('\n'),
      );
    }
    this.chunks.push(Buffer.from('\n'));
    return mark;
  }

  /** Feeds everything to `git fast-import` in `repo` and returns the commit id of each mark. */
  run(repo: string): Map<string, string> {
    const marksFile = join(repo, 'fast-import.marks');
    git(repo, ['fast-import', '--quiet', `--export-marks=${marksFile}`], Buffer.concat(this.chunks));
    const marks = new Map<string, string>();
    const text = readFileSync(marksFile, 'utf8');
    for (const line of text.split('\n')) {
      const [m, oid] = line.split(' ');
      if (m && oid) marks.set(m, oid);
    }
    rmSync(marksFile);
    return marks;
  }
}

function quote(path: string): string {
  return /["\\\n]|^ /.test(path) ? JSON.stringify(path) : path;
}
