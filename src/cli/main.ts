import { isBackportError } from '../errors.js';
import type { CliIo } from './cli-io.js';

/*
 * Each command's module is loaded only when that command runs: a fresh `check` then loads
 * the engine, not the configuration schema (zod, re2js) that `status` needs, nor the patch
 * parser of `pick --patch`, so its first answer comes sooner.
 */
const loadPick = () => import('./pick-command.js');
const loadCheck = () => import('./check-command.js');
const loadResolve = () => import('./resolve-command.js');
const loadStatus = () => import('./status-command.js');

/** The commands, as the first argument names them. */
export const COMMANDS: readonly string[] = ['pick', 'check', 'resolve', 'status'];

async function usage(): Promise<string> {
  // One after another: the modules share dependencies, loaded once each.
  const pick = await loadPick();
  const check = await loadCheck();
  const resolve = await loadResolve();
  const status = await loadStatus();
  return `backport-assistant: cherry-pick fixes onto release branches, as git would.

${pick.PICK_USAGE}
${check.CHECK_USAGE}
${resolve.RESOLVE_USAGE}
${status.STATUS_USAGE}

Exit codes: 0 applied, 1 conflict, 2 error.`;
}

/**
 * The command line. Every error a person can cause (a typo in a revision, a path that is not
 * a repository) ends as one line on stderr and exit code 2, never a stack trace.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'pick':
        return await (await loadPick()).runPick(rest, io);
      case 'check':
        return await (await loadCheck()).runCheck(rest, io);
      case 'resolve':
        return await (await loadResolve()).runResolve(rest, io);
      case 'status':
        return await (await loadStatus()).runStatusCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(`${await usage()}\n`);
        return command === undefined ? 2 : 0;
      default:
        io.stderr.write(`backport-assistant: unknown command "${command}".\n${await usage()}\n`);
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
