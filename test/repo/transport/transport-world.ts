import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { tempDir } from '../../support/git.js';
import { GIT_ENV } from '../../support/git.js';
import { Random } from '../../support/random.js';
import { startGitHubSim, type GitHubSim } from '../../../tools/github-sim/index.js';
import type { RemoteAccess } from '../../../src/repo/git-remote.js';
import { testAppKey } from '../../support/app-key.js';

const run = promisify(execFile);

/** git, asynchronously: the simulated GitHub answers from this same process. */
export async function gitAsync(cwd: string, args: string[], input?: Buffer): Promise<string> {
  if (input) {
    return new Promise((resolve, reject) => {
      const child = execFile(
        'git',
        args,
        { cwd, env: GIT_ENV, encoding: 'latin1', maxBuffer: 256 << 20 },
        (err, stdout) => (err ? reject(err) : resolve(stdout)),
      );
      child.stdin!.end(input);
    });
  }
  return (await run('git', args, { cwd, env: GIT_ENV, encoding: 'latin1', maxBuffer: 256 << 20 })).stdout;
}

/** `git fsck --full` on a repository; resolves with its output, rejects when it finds a problem. */
export async function fsck(gitdir: string): Promise<string> {
  const { stdout, stderr } = await run('git', ['--git-dir', gitdir, 'fsck', '--full', '--strict'], {
    env: GIT_ENV,
    encoding: 'utf8',
  });
  return stdout + stderr;
}

/** Lines of text that compress poorly, so a file's bytes on the wire show whether a delta was used. */
export function noisyText(seed: number, lines: number): string {
  const r = new Random(seed);
  let text = '';
  for (let i = 0; i < lines; i++) {
    let line = '';
    for (let k = 0; k < 6; k++) line += r.int(0x7fffffff).toString(36);
    text += `${i}: ${line}\n`;
  }
  return text;
}

export function editLine(text: string, line: number, replacement: string): string {
  const lines = text.split('\n');
  lines[line] = replacement;
  return lines.join('\n');
}

export interface SimWorld {
  sim: GitHubSim;
  repo: string;
  remote: RemoteAccess;
  /** A fresh empty bare repository per call, removed at the end. */
  emptyRepo(): Promise<string>;
  close(): Promise<void>;
}

export async function simWorld(owner: string, name: string): Promise<SimWorld> {
  const sim = await startGitHubSim({ appPrivateKey: testAppKey() });
  await sim.createRepo({ owner, name, private: true });
  const repo = `${owner}/${name}`;
  const token = sim.createInstallationToken(owner);
  const dirs: { remove: () => void }[] = [];
  return {
    sim,
    repo,
    remote: { url: sim.cloneUrl(repo), token: async () => token },
    async emptyRepo() {
      const dir = tempDir('bpa-transport-');
      dirs.push(dir);
      await gitAsync(dir.path, ['init', '-q', '--bare']);
      return dir.path;
    },
    async close() {
      await sim.stop();
      for (const d of dirs) d.remove();
    },
  };
}
