/**
 * The thread behind test/support/git.ts's synchronous `git`: it runs each command through the
 * simulator's git spawner (tools/github-sim/git-spawner.mjs, a small process) and hands the
 * result back while the calling thread waits on `flag`. Started from a Jest worker, each git
 * process was a fork of a few hundred MB (10–25 ms of CPU before git ran); from the spawner it
 * is a few ms. Plain JavaScript, run by node as a worker thread.
 */
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import process from 'node:process';
import { parentPort, workerData } from 'node:worker_threads';
import { encodeFrame, frameReader } from '../../tools/github-sim/spawner-frames.mjs';

const flag = new Int32Array(workerData.flag);
const results = workerData.port;

const spawner = spawn(process.execPath, [workerData.spawner], {
  stdio: ['pipe', 'pipe', 'inherit'],
  env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
});
spawner.stdin.on('error', () => undefined);

/** The command in flight: its output so far. */
let current;

function answer(result) {
  current = undefined;
  results.postMessage(result);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

spawner.on('exit', () => {
  if (current) answer({ error: 'the git spawner exited' });
});

function send(type, id, payload) {
  spawner.stdin.write(encodeFrame(type, id, payload));
}

spawner.stdout.on(
  'data',
  frameReader((type, id, payload) => {
    if (!current || id !== current.id) return;
    if (type === 1) current.stdout.push(payload);
    else if (type === 2) current.stderr.push(payload);
    else if (type === 3)
      answer({
        status: JSON.parse(payload.toString('utf8')).code,
        stdout: Buffer.concat(current.stdout),
        stderr: Buffer.concat(current.stderr),
      });
    else answer({ error: payload.toString('utf8') });
  }),
);

let nextId = 1;
parentPort.on('message', ({ file, args, cwd, env, input }) => {
  const id = nextId++;
  current = { id, stdout: [], stderr: [] };
  send(1, id, Buffer.from(JSON.stringify({ file, args, cwd, env })));
  if (input && input.length) send(2, id, Buffer.from(input));
  send(3, id, Buffer.alloc(0));
});
