/**
 * A small process that starts git for the simulator (see git-process.ts). Node forks its
 * whole process to start a child, copying the page tables of all its memory: from a Jest
 * worker holding a few hundred MB that cost 10–25 ms of CPU per git process, from this one
 * a few. Plain JavaScript, so bare node runs it.
 *
 * Frames both ways (spawner-frames.mjs). In: 1 start (JSON `{ file, args, cwd, env }`), 2 stdin bytes, 3 stdin end.
 * Out: 1 stdout bytes, 2 stderr bytes, 3 closed (JSON `{ code, signal }`), 4 could not start
 * (the message). A process's output frames always come before its "closed".
 */
import { spawn } from 'node:child_process';
import process from 'node:process';
import { encodeFrame, frameReader } from './spawner-frames.mjs';

const children = new Map();

function send(type, id, payload) {
  process.stdout.write(encodeFrame(type, id, payload));
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

process.stdin.on('data', frameReader(handle));
// The simulator's process is gone (or let go of us): nothing more will be asked.
process.stdin.on('end', () => process.exit(0));
