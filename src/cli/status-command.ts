import path from 'node:path';
import { parseArgs } from 'node:util';
import { BackportError } from '../errors.js';
import { cherryPick } from '../pick/cherry-pick.js';
import { openRepository } from '../repo/open-repository.js';
import { runStatus, type CanApply } from './local-status.js';
import type { CliIo } from './cli-io.js';

export const STATUS_USAGE =
  'usage: backport-assistant status --repo <path> --branches <b1,b2,...> [--default-branch <name>] [--json]';

/**
 * `status`: for a local clone, which fix-looking commits of the default branch each release
 * branch still lacks (matched through `(cherry picked from commit …)` trailers), and whether
 * each would apply cleanly today (the engine's check, nothing written).
 */
export async function runStatusCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      repo: { type: 'string' },
      branches: { type: 'string' },
      'default-branch': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const branches = (values.branches ?? '')
    .split(/[\s,]+/)
    .map((b) => b.trim())
    .filter(Boolean);
  if (branches.length === 0)
    throw new BackportError('bad-argument', `Name the branches to report on.\n${STATUS_USAGE}`);
  const dir = path.resolve(io.cwd, values.repo ?? '.');
  const repo = await openRepository(dir);
  const canApply: CanApply = async (sha, branch) => {
    try {
      const onto = await repo.resolveCommit(branch);
      const parents = (await repo.store.readCommit(sha)).parents.length;
      const result = await cherryPick(repo.store, {
        commits: [sha],
        onto,
        mainline: parents > 1 ? 1 : undefined,
      });
      return result.status === 'applied' ? 'clean' : 'conflict';
    } catch {
      return 'unknown';
    } finally {
      repo.store.discard();
    }
  };
  const { exitCode, output } = await runStatus({
    repo: dir,
    branches,
    defaultBranch: values['default-branch'],
    json: values.json,
    canApply,
  });
  (exitCode === 0 ? io.stdout : io.stderr).write(output);
  return exitCode;
}
