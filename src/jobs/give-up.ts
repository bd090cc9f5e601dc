import { GitHubClient, type ClientDeps } from '../publish/github-client.js';
import { StatusCommentStore } from '../publish/status-comment-store.js';
import type { InstallationAccess } from './backport-request.js';
import { renderCommandGivenUp } from '../render/command-reply.js';
import { describeRefs } from './answer-with-command.js';
import { isBackportJob, type JobRequest } from './job-request.js';
import type { Job } from './job-store.js';

/**
 * A job's last try failed before it could write its final rows (GitHub or the network kept
 * failing). A comment command gets one reply saying so; for a backport, every row of the job
 * that still says "in progress" becomes a "failed" row that says what happened, so nothing
 * stays "in progress" for ever. Best effort: when even this write fails, reconciliation later
 * finds the stale row and queues the target again.
 * Its writes follow the jobs' own retry policy, sleep and clock (not the client's defaults):
 * the same waits the job was given, measured the same way, and no others.
 */
export async function reportGivenUp(
  job: Job,
  err: unknown,
  access: InstallationAccess,
  deps: ClientDeps & { now: () => Date },
): Promise<void> {
  const kind = job.request.kind;
  if (kind === 'command' || kind === 'resolve' || kind === 'with')
    return replyGivenUp(
      job,
      job.request,
      err,
      GitHubClient.forRepo(access.request, job.request.owner, job.request.repo, deps),
    );
  // Only a backport has status rows; other work's failure stays in its job row and the log.
  if (!isBackportJob(job.request)) return;
  const { owner, repo, pullNumber, targets } = job.request;
  const now = deps.now;
  const gh = GitHubClient.forRepo(access.request, owner, repo, deps);
  const status = await StatusCommentStore.load(gh, pullNumber, await access.appLogin());
  const said = (err as Error | undefined)?.message ?? String(err);
  for (const row of status.rows) {
    if (row.state !== 'in-progress' || (targets && !targets.includes(row.target))) continue;
    await status.upsert({
      target: row.target,
      ...(row.branch ? { branch: row.branch } : {}),
      state: 'failed',
      error: {
        code: 'github-error',
        message: `GitHub kept failing after ${job.attempts + 1} tries (${said}); comment \`/backport retry\` to try again.`,
      },
      at: now().toISOString(),
    });
  }
}

/** A comment command's job ran out of tries: one reply where the comment was, so it is answered. */
async function replyGivenUp(
  job: Job,
  request: Extract<JobRequest, { kind: 'command' | 'resolve' | 'with' }>,
  err: unknown,
  gh: GitHubClient,
): Promise<void> {
  const words = commandWords(request);
  const body = renderCommandGivenUp({
    words,
    tries: job.attempts + 1,
    error: (err as Error | undefined)?.message ?? String(err),
  });
  await gh.write(
    'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
    { issue_number: request.pullNumber, body },
    { idempotent: false },
  );
}

/** The command's words after `/backport`, as the reply quotes them. */
function commandWords(request: Extract<JobRequest, { kind: 'command' | 'resolve' | 'with' }>): string[] {
  switch (request.kind) {
    case 'command':
      return request.command.retry ? ['retry'] : request.command.targets;
    case 'resolve':
      return ['resolve', ...(request.command.request.answers ? [request.command.request.answers] : [])];
    case 'with':
      return [request.command.request.target, 'with', ...describeRefs(request.command.request)];
  }
}
