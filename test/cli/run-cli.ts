import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';

/** Runs the CLI in-process with captured streams, as a shell would see it. */
export async function runCli(argv: string[], opts: { cwd: string; stdin?: string }) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  stdin.end(opts.stdin ?? '');
  const code = await main(argv, { stdin, stdout, stderr, cwd: opts.cwd });
  return { code, stdout: out, stderr: err };
}
