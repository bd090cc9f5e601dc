import { spawn, spawnSync } from 'node:child_process';

export interface CommandResult {
  status: number;
  stdout: string;
  stderr: string;
  /** Wall time of the child, in milliseconds. */
  ms: number;
}

/**
 * Runs a command to completion and captures its output. Synchronous on purpose: timed
 * children then run with nothing else going on in this process.
 */
export function runCommand(
  cmd: string,
  args: string[],
  options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {},
): CommandResult {
  const started = performance.now();
  const child = spawnSync(cmd, args, {
    cwd: options.cwd,
    input: options.input,
    env: options.env ?? process.env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = performance.now() - started;
  if (child.error) throw child.error;
  return { status: child.status ?? 128, stdout: child.stdout, stderr: child.stderr, ms };
}

/** Runs git and returns its trimmed stdout, throwing with git's own message on failure. */
export function git(cwd: string, ...args: string[]): string {
  const result = runCommand('git', args, { cwd });
  if (result.status !== 0) {
    throw new Error(`git ${args.join(' ')} failed (${result.status}): ${result.stderr.trim()}`);
  }
  return result.stdout.trim();
}

/** Runs a command with inherited output (for long steps whose progress a person watches). */
export function runInherited(cmd: string, args: string[], cwd?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 128));
  });
}
