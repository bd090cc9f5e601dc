#!/usr/bin/env node
/**
 * The package's bin, bundled as CommonJS into `lib/bin/backport-assistant.cjs` by
 * scripts/bundle-cli.mjs (it is not run from tsc's output): it loads the bundled CLI beside
 * it through V8's code cache (see compile-cache.ts), runs the command, writes the cache
 * when it had none worth using, and exits once the answer is written.
 *
 * Kept small, and CommonJS: node compiles this file from its source at every start, and
 * starting from an ES module costs node its ES module loader (about 15M instructions,
 * a tenth of a first pick's own work).
 */
import path from 'node:path';
import type { CliIo } from './cli-io.js';
import { CompileCache, compileCacheDir } from './compile-cache.js';
import { exitWhenWritten } from './exit-when-written.js';
import { FdOutput } from './fd-output.js';
import type * as Cli from './main.js';

const stdout = new FdOutput(1, () => process.stdout);
const stderr = new FdOutput(2, () => process.stderr);
const report = process.env.BACKPORT_DEBUG
  ? (line: string) => stderr.write(`backport-assistant: ${line}\n`)
  : undefined;
const cache = new CompileCache(compileCacheDir(), require, report);
const cli = cache.load(path.join(__dirname, 'cli.cjs')) as typeof Cli;
const io: CliIo = {
  // A getter: node makes the stream when it is first asked for, and a pick never reads stdin.
  get stdin() {
    return process.stdin;
  },
  stdout,
  stderr,
  cwd: process.cwd(),
};
const argv = process.argv.slice(2);
const command = argv[0];
void cli.main(argv, io).then((answered) => {
  // A command that answered (applied or conflict): its code is what the next run wants.
  if (command && cli.COMMANDS.includes(command) && (answered === 0 || answered === 1))
    cache.save(`${command}:${answered}`);
  // An answer that could not be written is an error, unless nobody was left to read it.
  const lost = stdout.error;
  const code = lost && lost.code !== 'EPIPE' ? 2 : answered;
  if (code !== answered)
    stderr.write(`backport-assistant: could not write the answer: ${lost?.message} [internal]\n`);
  exitWhenWritten(code, [stdout, stderr]);
});
