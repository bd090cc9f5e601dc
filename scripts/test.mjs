#!/usr/bin/env node
/**
 * `npm test`: the lint (`npm run lint`: ESLint, Prettier, `tsc --noEmit`, the layering rules)
 * and every Jest suite, side by side rather than one after the other. The lint is about a
 * minute of one core; Jest's two workers spend much of theirs waiting on git, app processes
 * and HTTP, so the lint fits in beside them instead of adding its minute to the run. Jest's
 * output streams as usual; the lint's is held and printed once Jest is done, so the two never
 * interleave. Fails when either fails. Arguments go to Jest (`npm test -- -t 'redelivered'`).
 */
import { spawn } from 'node:child_process';
import { Buffer } from 'node:buffer';
import process from 'node:process';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Runs `npm run -s <script>`; resolves with its exit code (1 when killed by a signal). */
function run(script, args, stdio) {
  const child = spawn(npm, ['run', '-s', script, ...(args.length ? ['--', ...args] : [])], { stdio });
  const done = new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  return { child, done };
}

const lint = run('lint', [], ['ignore', 'pipe', 'pipe']);
const lintOutput = [];
lint.child.stdout.on('data', (chunk) => lintOutput.push(chunk));
lint.child.stderr.on('data', (chunk) => lintOutput.push(chunk));
const jest = run('jest', process.argv.slice(2), 'inherit');

const [lintCode, jestCode] = await Promise.all([lint.done, jest.done]);
process.stdout.write(
  `\n> npm run lint (ran beside Jest): ${lintCode === 0 ? 'passed' : `failed (${lintCode})`}\n`,
);
process.stdout.write(Buffer.concat(lintOutput));
process.exitCode = lintCode !== 0 ? lintCode : jestCode;
