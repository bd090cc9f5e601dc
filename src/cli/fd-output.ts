import fs from 'node:fs';
import type { OutputStream } from './cli-io.js';

/** Node's stream for a descriptor, as much of it as FdOutput uses. */
interface ByteStream {
  write(chunk: string | Uint8Array, callback?: (err?: Error | null) => void): boolean;
}

/**
 * Standard output or error written with `fs.writeSync` on the descriptor, instead of through
 * `process.stdout`: node makes that stream when it is first asked for, and for a pipe (how a
 * script or the bench reads an answer) it is a socket, which loads node's `net` and starts
 * its stream machinery, about a tenth of a first pick's own instructions, for one line of
 * JSON. Node writes to files and terminals synchronously itself; to a pipe this waits for the
 * reader as `git` does, where node would buffer the answer in memory.
 *
 * Falls back to node's stream for the rest of the run when a write would block (a
 * non-blocking pipe shared with another process), and on Windows, where node's streams are
 * synchronous already. After a failed write the rest is dropped: when the reader is gone
 * (`| head`), the answer has nobody to go to; the bin reports any other failure (a full disk).
 */
export class FdOutput implements OutputStream {
  private stream: ByteStream | undefined;
  private failed: NodeJS.ErrnoException | undefined;

  constructor(
    private readonly fd: number,
    /** Node's stream for this descriptor (process.stdout or process.stderr). */
    private readonly nodeStream: () => ByteStream,
    private readonly direct: boolean = process.platform !== 'win32',
    private readonly writeSync: (fd: number, buf: Uint8Array, at: number) => number = (fd, buf, at) =>
      fs.writeSync(fd, buf, at),
  ) {}

  /** The error that stopped the writes, if one did. */
  get error(): NodeJS.ErrnoException | undefined {
    return this.failed;
  }

  write(chunk: string, callback?: (err?: Error | null) => void): boolean {
    if (this.stream || !this.direct) {
      this.stream ??= this.nodeStream();
      return this.stream.write(chunk, callback);
    }
    if (!this.failed) {
      const buf = Buffer.from(chunk);
      let at = 0;
      try {
        while (at < buf.length) at += this.writeSync(this.fd, buf, at);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
          this.stream = this.nodeStream();
          return this.stream.write(buf.subarray(at), callback);
        }
        this.failed = err as NodeJS.ErrnoException;
      }
    }
    callback?.(this.failed ?? null);
    return true;
  }
}
