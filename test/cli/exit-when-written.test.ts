import { describe, expect, it } from '@jest/globals';
import { exitWhenWritten, type WrittenStream } from '../../src/cli/exit-when-written.js';

/** A stream whose writes are done only when the test says so, as a pipe nobody reads yet. */
class HeldStream implements WrittenStream {
  readonly pending: Array<(err?: Error | null) => void> = [];
  write(_chunk: string, callback: (err?: Error | null) => void): boolean {
    this.pending.push(callback);
    return false;
  }
  release(err?: Error): void {
    for (const cb of this.pending.splice(0)) cb(err);
  }
}

describe('exitWhenWritten', () => {
  it('exits with the code only once every stream has written what it was given', () => {
    const out = new HeldStream();
    const err = new HeldStream();
    const exits: number[] = [];
    exitWhenWritten(1, [out, err], (c) => exits.push(c));
    expect(exits).toEqual([]);
    out.release();
    expect(exits).toEqual([]);
    err.release();
    expect(exits).toEqual([1]);
  });

  it('exits when a stream fails (its reader went away)', () => {
    const out = new HeldStream();
    const exits: number[] = [];
    exitWhenWritten(2, [out], (c) => exits.push(c));
    out.release(new Error('EPIPE'));
    expect(exits).toEqual([2]);
  });
});
