import type { Context, Probot } from 'probot';
import type { BackportService } from '../jobs/backport-service.js';
import type { BackportJobRequest } from '../jobs/job-request.js';
import { acceptJob } from './accept-job.js';

/**
 * Webhooks → backport requests. Do not add logic here: each handler names the PR and the
 * labels to act on and hands over; the pipeline reads the current state itself, so the
 * order and repetition of deliveries do not change the outcome.
 */
export function onBackportEvents(app: Probot, service: BackportService): void {
  app.on('pull_request.closed', async (context) => {
    if (!context.payload.pull_request.merged) return;
    await submit(context, context.payload.pull_request.number, { labels: 'all' }, service);
  });

  app.on('pull_request.labeled', async (context) => {
    const label = context.payload.label?.name;
    // Labels on an unmerged PR wait for the merge, which brings every label along.
    if (!label || !context.payload.pull_request.merged) return;
    await submit(
      context,
      context.payload.pull_request.number,
      { labels: [label], labeledBy: context.payload.sender.login },
      service,
    );
  });
}

/** A backport request for PR `pullNumber`, written down before the webhook is answered. */
export function submit(
  context: Context<'pull_request' | 'issue_comment'>,
  pullNumber: number,
  what: Pick<BackportJobRequest, 'labels' | 'targets' | 'labeledBy'> & {
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
      origin: what.origin ?? 'webhook',
    },
    service,
  );
}
