import type { Probot } from 'probot';
import type { BackportService } from '../jobs/backport-service.js';
import { installationAccess } from './installation-access.js';

/**
 * Events of the app's own backport PRs: a push → the marker check again; a merge → the
 * conflict issue a `/backport resolve` settled is closed. Do not add logic here: the
 * handler names the PR and hands over; the job reads the PR fresh and acts only on the app's own.
 */
export function onOwnPullEvents(app: Probot, service: BackportService): void {
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

  app.on('pull_request.closed', async (context) => {
    const { pull_request: pull, repository } = context.payload;
    if (!pull.merged || pull.user?.type !== 'Bot') return;
    void service.settleResolution(
      { owner: repository.owner.login, repo: repository.name, pullNumber: pull.number },
      installationAccess(context),
    );
  });
}
