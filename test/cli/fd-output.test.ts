import { describe, expect, it } from '@jest/globals';
import { FdOutput } from '../../src/cli/fd-output.js';

/** Node's stream for the descriptor, recording what reached it. */
class RecordedStream {
  readonly bytes: Buffer[] = [];
  get chunks(): string[] {
    return this.bytes.map((b) => b.toString('utf8'));
  }
  write(chunk: string | Uint8Array, callback?: (err?: Error | null) => void): boolean {
    this.bytes.push(Buffer.from(chunk));
    callback?.(null);
    return true;
  }
}

const errno = (code: string) => Object.assign(new Error(code), { code });

describe('FdOutput', () => {
  it('writes every byte to the descriptor, however few each write takes, then calls back', () => {
    const written: string[] = [];
    const stream = new RecordedStream();
    // Three bytes a write, as a nearly full pipe takes them.
    const out = new FdOutput(
      1,
      () => stream,
      true,
      (fd, buf, at) => {
        expect(fd).toBe(1);
        const n = Math.min(3, buf.length - at);
        written.push(Buffer.from(buf.subarray(at, at + n)).toString('latin1'));
        return n;
      },
    );
    const calls: unknown[] = [];
    out.write('{"status":"applied"}\n', (err) => calls.push(err));
    expect(Buffer.from(written.join(''), 'latin1').toString('utf8')).toBe('{"status":"applied"}\n');
    expect(calls).toEqual([null]);
    expect(stream.chunks).toEqual([]);
  });

  it("hands the rest, and every later write, to node's stream when the descriptor would block", () => {
    const stream = new RecordedStream();
    const direct: Buffer[] = [];
    const out = new FdOutput(
      1,
      () => stream,
      true,
      (_fd, buf, at) => {
        if (direct.length > 0) throw errno('EAGAIN');
        direct.push(Buffer.from(buf.subarray(at, at + 4)));
        return 4;
      },
    );
    // The descriptor takes 4 bytes, half of the two-byte character: the stream gets the
    // other half, so that the bytes read are the text written.
    out.write('abcé and more');
    out.write('next\n');
    expect(Buffer.concat([...direct, ...stream.bytes]).toString('utf8')).toBe('abcé and more' + 'next\n');
    expect(stream.bytes).toHaveLength(2);
  });

  it('drops what follows a failed write (the reader gone), and says so to whoever waits', () => {
    let writes = 0;
    const out = new FdOutput(
      1,
      () => new RecordedStream(),
      true,
      () => {
        writes++;
        throw errno('EPIPE');
      },
    );
    const calls: unknown[] = [];
    expect(out.write('first\n', (err) => calls.push((err as NodeJS.ErrnoException).code))).toBe(true);
    out.write('second\n', (err) => calls.push((err as NodeJS.ErrnoException).code));
    expect(writes).toBe(1);
    expect(calls).toEqual(['EPIPE', 'EPIPE']);
  });

  it("writes through node's stream when not writing directly (Windows)", () => {
    const stream = new RecordedStream();
    const out = new FdOutput(
      2,
      () => stream,
      false,
      () => {
        throw new Error('not to be called');
      },
    );
    out.write('note\n');
    expect(stream.chunks).toEqual(['note\n']);
  });
});
