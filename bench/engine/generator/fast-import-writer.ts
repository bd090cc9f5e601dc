/**
 * Streams a history into `git fast-import`. Output is batched into large writes and respects
 * backpressure, so a few hundred megabytes go through without piling up in memory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { FileMode } from './file-index.js';

export interface Person {
  name: string;
  email: string;
}

export type FileChange =
  | { op: 'modify'; path: string; mode: FileMode; content: string | Buffer }
  | { op: 'delete'; path: string }
  | { op: 'rename'; from: string; to: string };

export interface CommitSpec {
  branch: string;
  mark: number;
  /** The parent's mark; absent for a root commit. */
  from?: number;
  author: Person;
  time: number;
  message: string;
  changes: FileChange[];
}

const FLUSH_AT = 4 * 1024 * 1024;

export class FastImportWriter {
  private readonly child: ChildProcess;
  private readonly exited: Promise<number>;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private stderr = '';

  constructor(gitDir: string) {
    this.child = spawn('git', ['fast-import', '--quiet', '--date-format=raw', '--done'], {
      cwd: gitDir,
      stdio: ['pipe', 'inherit', 'pipe'],
    });
    this.child.stderr?.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve, reject) => {
      this.child.on('error', reject);
      this.child.on('close', (code) => resolve(code ?? 128));
    });
  }

  async commit(spec: CommitSpec): Promise<void> {
    const who = `${spec.author.name} <${spec.author.email}> ${spec.time} +0000`;
    this.text(`commit refs/heads/${spec.branch}\nmark :${spec.mark}\n`);
    this.text(`author ${who}\ncommitter ${who}\n`);
    this.data(spec.message);
    if (spec.from !== undefined) this.text(`from :${spec.from}\n`);
    for (const change of spec.changes) {
      if (change.op === 'delete') this.text(`D ${change.path}\n`);
      else if (change.op === 'rename') this.text(`R ${change.from} ${change.to}\n`);
      else {
        this.text(`M ${change.mode} inline ${change.path}\n`);
        this.data(change.content);
      }
      // The initial import is hundreds of megabytes: never hold a whole commit.
      if (this.pendingBytes >= FLUSH_AT) await this.flush();
    }
    this.text('\n');
  }

  async finish(): Promise<void> {
    this.text('done\n');
    await this.flush();
    this.child.stdin?.end();
    const code = await this.exited;
    if (code !== 0) throw new Error(`git fast-import failed (${code}): ${this.stderr.trim()}`);
  }

  private text(s: string): void {
    this.push(Buffer.from(s, 'utf8'));
  }

  private data(content: string | Buffer): void {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    this.text(`data ${bytes.length}\n`);
    this.push(bytes);
    this.text('\n');
  }

  private push(buf: Buffer): void {
    this.pending.push(buf);
    this.pendingBytes += buf.length;
  }

  private async flush(): Promise<void> {
    const chunk = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    const stdin = this.child.stdin;
    if (!stdin) throw new Error('git fast-import has no stdin');
    if (!stdin.write(chunk)) {
      await new Promise<void>((resolve, reject) => {
        const onError = (err: Error) => reject(err);
        stdin.once('error', onError);
        stdin.once('drain', () => {
          stdin.off('error', onError);
          resolve();
        });
      });
    }
  }
}
