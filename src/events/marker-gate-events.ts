import type { Probot } from 'probot';
import type { BackportService } from '../jobs/backport-service.js';
import { installationAccess } from './installation-access.js';

/**
 * Pushes to the app's own backport PRs and drafts → the marker check again. Do not add
 * logic here: the handler names the PR and hands over; the job reads the PR fresh and
 * checks only the app's own.
 */
export function onMarkerGate(app: Probot, service: BackportService): void {
  app.on('pull_request.synchronize', async (context) => {
    const { pull_request: pull, repository } = context.payload;
    // Only a bot opens the app's PRs; the job checks that it is this app's.
    if (pull.user?.type !== 'Bot') return;
    void service.checkMarkers(
      {
        owner: repository.owner.login,
        repo: repository.name,
        cloneUrl: repository.clone_url,
        pullNumber: pull.number,
      },
      installationAccess(context),
    );
  });
}
