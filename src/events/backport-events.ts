import type { Context, Probot } from 'probot';
import type { BackportService } from '../jobs/backport-service.js';
import type { JobRequest } from '../jobs/job-request.js';
import { cloneUrlFor } from '../common/github-urls.js';
import { installationAccess } from './installation-access.js';
import { readConfig } from './read-config.js';

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

/**
 * Writes the request to the durable job queue and only then lets the webhook be answered:
 * once GitHub has its 2xx, the request must survive a crash. The job itself runs in the
 * background (GitHub wants the answer within seconds).
 */
export async function submit(
  context: Context<'pull_request' | 'issue_comment'>,
  pullNumber: number,
  what: Pick<JobRequest, 'labels' | 'targets' | 'labeledBy'> & {
    origin?: JobRequest['origin'];
    /** Tells apart several requests one delivery makes (each still accepted once per delivery). */
    deliveryPart?: string;
  },
  service: BackportService,
): Promise<void> {
  const repository = context.payload.repository;
  await service.accept(
    {
      request: {
        owner: repository.owner.login,
        repo: repository.name,
        // From the configured GitHub host, never from the payload (which anyone can forge).
        cloneUrl: cloneUrlFor(
          String(context.octokit.request.endpoint.DEFAULTS.baseUrl),
          repository.owner.login,
          repository.name,
        ),
        pullNumber,
        labels: what.labels,
        ...(what.targets ? { targets: what.targets } : {}),
        ...(what.labeledBy !== undefined ? { labeledBy: what.labeledBy } : {}),
        origin: what.origin ?? 'webhook',
      },
      installationId: (context.payload as { installation?: { id: number } }).installation?.id ?? 0,
      deliveryId: what.deliveryPart === undefined ? context.id : `${context.id}:${what.deliveryPart}`,
    },
    { access: installationAccess(context), readConfig: () => readConfig(context) },
  );
}
