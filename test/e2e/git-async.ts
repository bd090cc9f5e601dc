import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { GIT_ENV } from '../support/git.js';

const run = promisify(execFile);

/** git, asynchronously: the simulated GitHub serves from this same process, so never block it. */
export async function gitAsync(cwd: string, args: string[]): Promise<string> {
  return (await run('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', maxBuffer: 64 << 20 })).stdout;
}

export function gitShow(repo: string, spec: string): Promise<string> {
  return gitAsync(repo, ['show', spec]);
}
