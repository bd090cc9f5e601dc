#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isBackportError } from '../errors.js';
import { CHECK_USAGE, runCheck } from './check-command.js';
import type { CliIo } from './cli-io.js';
import { PICK_USAGE, runPick } from './pick-command.js';
import { RESOLVE_USAGE, runResolve } from './resolve-command.js';
import { STATUS_USAGE, runStatusCommand } from './status-command.js';

const USAGE = `backport-assistant: cherry-pick fixes onto release branches, as git would.

${PICK_USAGE}
${CHECK_USAGE}
${RESOLVE_USAGE}
${STATUS_USAGE}

Exit codes: 0 applied, 1 conflict, 2 error.`;

/**
 * The command line. Every error a person can cause (a typo in a revision, a path that is not
 * a repository) ends as one line on stderr and exit code 2, never a stack trace.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'pick':
        return await runPick(rest, io);
      case 'check':
        return await runCheck(rest, io);
      case 'resolve':
        return await runResolve(rest, io);
      case 'status':
        return await runStatusCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        io.stderr.write(`backport-assistant: unknown command "${command}".\n${USAGE}\n`);
        return 2;
    }
  } catch (err) {
    io.stderr.write(`backport-assistant: ${describeError(err)}\n`);
    if (process.env.BACKPORT_DEBUG) io.stderr.write(`${(err as Error).stack}\n`);
    return 2;
  }
}

function describeError(err: unknown): string {
  if (isBackportError(err)) return `${err.message} [${err.code}]`;
  const code = (err as { code?: string }).code;
  // node:util parseArgs reports unknown or malformed options with these codes.
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) return (err as Error).message;
  return `unexpected failure: ${(err as Error).message} [internal]`;
}

// Run when executed (directly or through the npm bin link), not when imported by tests.
const script = process.argv[1] ? realpathSync(process.argv[1]) : '';
if (script === fileURLToPath(import.meta.url)) {
  const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
  void main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
