import { parseConfig } from '../config/parse-config.js';
import type { BackportConfig } from '../config/schema.js';
import { isBackportError } from '../errors.js';
import { labelForTarget } from '../plan/targets.js';
import { GitHubClient, type ClientDeps } from '../publish/github-client.js';
import type { GhCollaboratorPermission } from '../common/github-types.js';
import { renderCommandRefused, renderNothingToRetry, renderTargetsRefused } from '../render/command-reply.js';
import { readStatusRows } from '../publish/status-comment-store.js';
import type { InstallationAccess } from './backport-request.js';

/** A `/backport v1.2 v1.3` comment on a pull request, as its job (kind `command`) holds it. */
export interface BackportCommand {
  owner: string;
  repo: string;
  pullNumber: number;
  commentId: number;
  /** Who wrote the comment. */
  login: string;
  /** The targets it names, in order, at least one. */
  targets: string[];
  /** `/backport retry`: run the PR's failed targets again (`targets` is then empty). */
  retry?: boolean;
}

/** What answering needs from outside: GitHub access, the configuration and the job queue. */
export interface CommandPorts {
  access: InstallationAccess;
  /** `.github/backport.yml`, read only once the commenter may ask. */
  readConfig(): Promise<{ rawConfig: unknown; configError?: string | undefined }>;
  /** Starts the backport of these labels; `[]` lets the pipeline report a broken configuration. */
  backport(labels: string[]): Promise<void>;
  /** Queues these targets of the PR again (`/backport retry`). */
  retry(targets: string[]): Promise<void>;
}

export type CommandDeps = ClientDeps;

const WRITERS = new Set(['admin', 'maintain', 'write']);

/**
 * Answers a `/backport` command. Steps:
 *   1. only people with write access may ask (a backport pushes branches): anyone else gets
 *      a polite refusal and nothing else;
 *   2. a configuration that cannot be used is left to the pipeline, which says so on the PR;
 *   3. each target becomes its label; one that cannot be a label or a branch is answered in
 *      a reply of its own, and the others go on;
 *   4. a rocket on the comment, the labels on the PR (so the request stays visible as
 *      labels), and the backport started (on an unmerged PR it waits for the merge).
 * `/backport retry` takes the same permission, then queues the failed targets again.
 * It runs as a job, so a transient failure runs it again from the start: the rocket and the
 * labels are idempotent, and the backports are queued under the job's id (run-job.ts), so a
 * second try queues none twice.
 */
export async function answerBackportCommand(
  command: BackportCommand,
  ports: CommandPorts,
  deps: CommandDeps = {},
): Promise<void> {
  const gh = GitHubClient.forRepo(ports.access.request, command.owner, command.repo, deps);
  const permission = await permissionOf(gh, command.login);
  if (!permission.writes) {
    const body = renderCommandRefused({
      login: command.login,
      targets: command.retry ? ['retry'] : command.targets,
      permission: permission.name,
    });
    await comment(gh, command.pullNumber, body);
    return;
  }
  if (command.retry) return answerRetry(gh, command, ports);

  const config = usableConfig(await ports.readConfig());
  if (!config) {
    await ports.backport([]);
    return;
  }

  const { labels, reasons } = labelsFor(config, command.targets);
  if (reasons.length > 0) {
    const body = renderTargetsRefused({
      targets: command.targets,
      reasons,
      othersStarted: labels.length > 0,
    });
    await comment(gh, command.pullNumber, body);
  }
  if (labels.length === 0) return;

  await gh.write(
    'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
    { comment_id: command.commentId, content: 'rocket' },
    { idempotent: true },
  );
  await gh.write(
    'POST /repos/{owner}/{repo}/issues/{issue_number}/labels',
    { issue_number: command.pullNumber, labels },
    { idempotent: true },
  );
  await ports.backport(labels);
}

/**
 * `/backport retry`: the targets whose row in the status comment says "failed" are queued
 * again (the pipeline finds what earlier runs made, so nothing is made twice). With none,
 * a short reply says so.
 */
async function answerRetry(gh: GitHubClient, command: BackportCommand, ports: CommandPorts): Promise<void> {
  const rows = await readStatusRows(gh, command.pullNumber, await ports.access.appLogin(), 10);
  const failed = rows.filter((r) => r.state === 'failed').map((r) => r.target);
  if (failed.length === 0) {
    await comment(gh, command.pullNumber, renderNothingToRetry());
    return;
  }
  await gh.write(
    'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
    { comment_id: command.commentId, content: 'rocket' },
    { idempotent: true },
  );
  await ports.retry(failed);
}

/** The commenter's permission as GitHub names it (a custom role by its name), and whether it writes. */
export async function permissionOf(
  gh: GitHubClient,
  login: string,
): Promise<{ name: string; writes: boolean }> {
  const data = await gh.get<GhCollaboratorPermission>(
    'GET /repos/{owner}/{repo}/collaborators/{username}/permission',
    { username: login },
  );
  const name = data.role_name ?? data.permission;
  return { name, writes: WRITERS.has(name) || WRITERS.has(data.permission) };
}

/** The parsed configuration, or undefined when the file cannot be used. */
export function usableConfig(read: {
  rawConfig: unknown;
  configError?: string | undefined;
}): BackportConfig | undefined {
  if (read.configError) return undefined;
  try {
    return parseConfig(read.rawConfig);
  } catch (err) {
    if (isBackportError(err)) return undefined;
    throw err;
  }
}

/** A label per target, and a sentence for each target that cannot have one. */
function labelsFor(
  config: BackportConfig,
  targets: readonly string[],
): { labels: string[]; reasons: string[] } {
  const labels: string[] = [];
  const reasons: string[] = [];
  for (const target of targets) {
    try {
      labels.push(labelForTarget(config, target));
    } catch (err) {
      if (!isBackportError(err)) throw err;
      reasons.push(err.message);
    }
  }
  return { labels, reasons };
}

async function comment(gh: GitHubClient, issueNumber: number, body: string): Promise<void> {
  await gh.write(
    'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
    { issue_number: issueNumber, body },
    { idempotent: false },
  );
}
