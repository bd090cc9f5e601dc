import type { Context, Probot } from 'probot';
import type { BackportService } from '../jobs/backport-service.js';
import type { MergedHint } from '../jobs/backport-request.js';
import type { BackportJobRequest } from '../jobs/job-request.js';
import { acceptJob } from './accept-job.js';

/**
 * Webhooks → backport requests. Do not add logic here: each handler names the PR and the
 * labels to act on and hands over; the pipeline reads the current state itself, so the
 * order and repetition of deliveries do not change the outcome.
 */
export function onBackportEvents(app: Probot, service: BackportService): void {
  app.on('pull_request.closed', async (context) => {
    const pr = context.payload.pull_request;
    if (!pr.merged) return;
    await submit(context, pr.number, { labels: 'all', merged: mergedHint(pr) }, service);
  });

  app.on('pull_request.labeled', async (context) => {
    const label = context.payload.label?.name;
    // Labels on an unmerged PR wait for the merge, which brings every label along.
    if (!label || !context.payload.pull_request.merged) return;
    await submit(
      context,
      context.payload.pull_request.number,
      {
        labels: [label],
        labeledBy: context.payload.sender.login,
        merged: mergedHint(context.payload.pull_request),
      },
      service,
    );
  });
}

/** The payload's word on the merge, for the job's early fetch (a hint; see `MergedHint`). */
function mergedHint(pr: {
  merge_commit_sha: string | null;
  commits?: number;
  base: { ref: string };
}): MergedHint | undefined {
  if (!pr.merge_commit_sha) return undefined;
  return { mergeCommitSha: pr.merge_commit_sha, base: pr.base.ref, commits: pr.commits ?? 1 };
}

/** A backport request for PR `pullNumber`, written down before the webhook is answered. */
export function submit(
  context: Context<'pull_request' | 'issue_comment'>,
  pullNumber: number,
  what: Pick<BackportJobRequest, 'labels' | 'targets' | 'labeledBy' | 'merged'> & {
    origin?: BackportJobRequest['origin'];
  },
  service: BackportService,
): Promise<void> {
  return acceptJob(
    context,
    {
      pullNumber,
      labels: what.labels,
      ...(what.targets ? { targets: what.targets } : {}),
      ...(what.labeledBy !== undefined ? { labeledBy: what.labeledBy } : {}),
      ...(what.merged ? { merged: what.merged } : {}),
      origin: what.origin ?? 'webhook',
    },
    service,
  );
}
