import type { Probot } from 'probot';
import type { BackportService } from '../jobs/backport-service.js';
import { acceptJob } from './accept-job.js';

/**
 * Webhooks → the status row of a backport PR. Do not add logic here: any closed or reopened
 * pull request is handed over; the job tells the app's own backports by their markers.
 */
export function onBackportPullEvents(app: Probot, service: BackportService): void {
  app.on(['pull_request.closed', 'pull_request.reopened'], async (context) => {
    // Only the app opens backport PRs: a person's PR cannot be one (and costs no request).
    if (context.payload.pull_request.user?.type !== 'Bot') return;
    const pullNumber = context.payload.pull_request.number;
    await acceptJob(context, { kind: 'follow-pull', pullNumber }, service, 'follow-pull');
  });
}
