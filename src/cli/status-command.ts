import path from 'node:path';
import { parseArgs } from 'node:util';
import { BackportError } from '../errors.js';
import { cherryPick } from '../pick/cherry-pick.js';
import { openRepository } from '../repo/open-repository.js';
import type { LabelRules } from '../config/label-rules.js';
import { isBackportError } from '../errors.js';
import { localStatus, type CanApply, type LocalStatusOptions } from './local-status.js';
import { renderStatusText, statusJson } from './local-status-render.js';
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
  // `onto` is the tip the report read: a branch only cloned as `origin/<branch>` has one too.
  const canApply: CanApply = async (sha, _branch, onto) => {
    try {
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

export interface RunStatusOptions extends Omit<LocalStatusOptions, 'rules'> {
  json: boolean;
  rules?: LabelRules;
}

/**
 * The `status` command behind the CLI's argument parsing. A user's mistake (no repository,
 * no such branch) becomes exit code 2 and one line, as every command of the CLI does; any
 * other failure is a bug and propagates.
 */
export async function runStatus(options: RunStatusOptions): Promise<{ exitCode: number; output: string }> {
  try {
    const report = await localStatus(options);
    const output = options.json
      ? `${JSON.stringify(statusJson(report), null, 2)}\n`
      : renderStatusText(report);
    return { exitCode: 0, output };
  } catch (err) {
    if (!isBackportError(err)) throw err;
    const output = options.json
      ? `${JSON.stringify({ version: 1, error: { code: err.code, message: err.message } })}\n`
      : `backport-assistant status: ${err.message}\n`;
    return { exitCode: 2, output };
  }
}
