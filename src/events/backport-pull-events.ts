import type { Probot } from 'probot';
import type { BackportService } from '../jobs/backport-service.js';
import { installationAccess } from './installation-access.js';

/**
 * Webhooks → the status row of a backport PR. Do not add logic here: any closed or reopened
 * pull request is handed over; the job tells the app's own backports by their markers.
 */
export function onBackportPullEvents(app: Probot, service: BackportService): void {
  app.on(['pull_request.closed', 'pull_request.reopened'], async (context) => {
    // Only the app opens backport PRs: a person's PR cannot be one (and costs no request).
    if (context.payload.pull_request.user?.type !== 'Bot') return;
    const repository = context.payload.repository;
    void service.followBackportPull(
      {
        owner: repository.owner.login,
        repo: repository.name,
        pullNumber: context.payload.pull_request.number,
      },
      installationAccess(context),
    );
  });
}
