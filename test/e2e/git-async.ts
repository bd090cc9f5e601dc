import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { GIT_ENV, gitRun } from '../support/git.js';

const run = promisify(execFile);

/**
 * git, asynchronously: the simulated GitHub serves from this same process, so never block it.
 * Throws with git's stderr on a non-zero exit.
 */
export async function gitAsync(cwd: string, args: string[]): Promise<string> {
  const r = await gitRun(cwd, args);
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed (${r.status}): ${r.stderr.trim()}`);
  return r.stdout;
}

export function gitShow(repo: string, spec: string): Promise<string> {
  return gitAsync(repo, ['show', spec]);
}

/** A shell command line, asynchronously; never throws, returns the exit code and output. */
export async function shAsync(
  cwd: string,
  line: string,
  env: NodeJS.ProcessEnv = GIT_ENV,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('sh', ['-c', line], {
      cwd,
      env,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
