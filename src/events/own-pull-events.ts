import type { Probot } from 'probot';
import type { BackportService } from '../jobs/backport-service.js';
import { submit } from './backport-events.js';
import { installationAccess } from './installation-access.js';

/**
 * Events of the app's own backport PRs: a push → the marker check again; a merge → the
 * conflict issue a `/backport resolve` settled is closed, and the conflicted backports that
 * named the merged one's source as a prerequisite are run again. Do not add logic here: the
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
    const where = { owner: repository.owner.login, repo: repository.name, pullNumber: pull.number };
    void service.settleResolution(where, installationAccess(context));
    // Conflicted backports that named this PR's source as a prerequisite are tried again.
    void service.retryDependents(where, installationAccess(context), (d) =>
      submit(
        context,
        d.source,
        {
          labels: 'all',
          targets: [d.target],
          origin: 'retry-command',
          deliveryPart: `needs-${d.source}-${d.target}`,
        },
        service,
      ),
    );
  });
}
