/**
 * The git spawner's wire format (see git-spawner.mjs), in one place for its three users: the
 * spawner itself, the simulator's side (git-process.ts) and the tests' synchronous git
 * (test/support/git-sync-worker.mjs). Plain JavaScript, so bare node runs it.
 *
 * A frame: a 4-byte length (of what follows), a 1-byte type, a 4-byte process id, the payload.
 */
import { Buffer } from 'node:buffer';

/** One frame's bytes. */
export function encodeFrame(type, id, payload) {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const head = Buffer.alloc(9);
  head.writeUInt32BE(5 + body.length, 0);
  head.writeUInt8(type, 4);
  head.writeUInt32BE(id, 5);
  return Buffer.concat([head, body]);
}

/**
 * A reader for a stream of frames cut anywhere: give it each chunk as it comes; it calls
 * `onFrame` once per whole frame, in order, and keeps what is left for the next chunk.
 */
export function frameReader(onFrame) {
  let pending = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 9) {
      const length = pending.readUInt32BE(0);
      if (pending.length < 4 + length) break;
      const frame = pending.subarray(0, 4 + length);
      pending = pending.subarray(4 + length);
      onFrame(frame.readUInt8(4), frame.readUInt32BE(5), frame.subarray(9));
    }
  };
}
