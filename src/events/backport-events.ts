import type { Context, Probot } from 'probot';
import type { BackportService } from '../jobs/backport-service.js';
import type { BackportRequest } from '../jobs/backport-request.js';
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
    await submit(context, context.payload.pull_request.number, 'all', service);
  });

  app.on('pull_request.labeled', async (context) => {
    const label = context.payload.label?.name;
    // Labels on an unmerged PR wait for the merge, which brings every label along.
    if (!label || !context.payload.pull_request.merged) return;
    await submit(
      context,
      context.payload.pull_request.number,
      [label],
      service,
      context.payload.sender.login,
    );
  });
}

export async function submit(
  context: Context<'pull_request' | 'issue_comment'>,
  pullNumber: number,
  labels: BackportRequest['labels'],
  service: BackportService,
  labeledBy?: string,
): Promise<void> {
  const repository = context.payload.repository;
  const request: BackportRequest = {
    owner: repository.owner.login,
    repo: repository.name,
    // From the configured GitHub host, never from the payload (which anyone can forge).
    cloneUrl: cloneUrlFor(
      String(context.octokit.request.endpoint.DEFAULTS.baseUrl),
      repository.owner.login,
      repository.name,
    ),
    pullNumber,
    labels,
    ...(labeledBy !== undefined ? { labeledBy } : {}),
    ...(await readConfig(context)),
  };
  // Queued, not awaited: GitHub wants the webhook answered within seconds.
  void service.submit(request, installationAccess(context));
}
