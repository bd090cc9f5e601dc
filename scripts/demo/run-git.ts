import { execFile } from 'node:child_process';

/**
 * git, asynchronously and read-only in spirit: the simulated GitHub answers from this same
 * process, so a blocking call could deadlock against it. Resolves with trimmed stdout, or
 * undefined when git exits non-zero (the callers turn that into a sentence).
 */
export function runGit(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd, encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, LC_ALL: 'C' } },
      (err, stdout) => {
        if (!err) resolve(stdout.trim());
        else if (typeof (err as { code?: unknown }).code === 'number') resolve(undefined);
        else reject(err);
      },
    );
  });
}
