/**
 * A small process that starts git for the simulator (see git-process.ts). Node forks its
 * whole process to start a child, copying the page tables of all its memory: from a Jest
 * worker holding a few hundred MB that cost 10–25 ms of CPU per git process, from this one
 * a few. Plain JavaScript, so bare node runs it.
 *
 * Frames both ways: a 4-byte length (of what follows), a 1-byte type, a 4-byte process id,
 * then the payload. In: 1 start (JSON `{ file, args, cwd, env }`), 2 stdin bytes, 3 stdin end.
 * Out: 1 stdout bytes, 2 stderr bytes, 3 closed (JSON `{ code, signal }`), 4 could not start
 * (the message). A process's output frames always come before its "closed".
 */
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import process from 'node:process';

const children = new Map();

function send(type, id, payload) {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const head = Buffer.alloc(9);
  head.writeUInt32BE(5 + body.length, 0);
  head.writeUInt8(type, 4);
  head.writeUInt32BE(id, 5);
  process.stdout.write(head);
  process.stdout.write(body);
}

function handle(type, id, payload) {
  if (type === 1) {
    const { file, args, cwd, env } = JSON.parse(payload.toString('utf8'));
    const child = spawn(file, args, { cwd, env });
    let done = false;
    const finish = (kind, body) => {
      if (done) return;
      done = true;
      children.delete(id);
      send(kind, id, body);
    };
    children.set(id, child);
    child.stdout.on('data', (b) => send(1, id, b));
    child.stderr.on('data', (b) => send(2, id, b));
    // git may exit before reading its input (a failing command): not an error here.
    child.stdin.on('error', () => undefined);
    child.on('error', (err) => finish(4, err.message));
    child.on('close', (code, signal) => finish(3, JSON.stringify({ code, signal })));
  } else if (type === 2) {
    children.get(id)?.stdin.write(payload);
  } else if (type === 3) {
    children.get(id)?.stdin.end();
  }
}

let pending = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
  while (pending.length >= 9) {
    const length = pending.readUInt32BE(0);
    if (pending.length < 4 + length) break;
    const frame = pending.subarray(0, 4 + length);
    pending = pending.subarray(4 + length);
    handle(frame.readUInt8(4), frame.readUInt32BE(5), frame.subarray(9));
  }
});
// The simulator's process is gone (or let go of us): nothing more will be asked.
process.stdin.on('end', () => process.exit(0));
