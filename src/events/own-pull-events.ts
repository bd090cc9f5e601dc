import type { Probot } from 'probot';
import type { BackportService } from '../jobs/backport-service.js';
import { acceptJob } from './accept-job.js';

/**
 * Events of the app's own backport PRs: a push → the marker check again; a merge → the
 * conflict issue a `/backport resolve` settled is closed, and the conflicted backports that
 * named the merged one's source as a prerequisite are run again. Do not add logic here: the
 * handler names the PR and hands over; the job reads the PR fresh and acts only on the app's own.
 */
export function onOwnPullEvents(app: Probot, service: BackportService): void {
  app.on('pull_request.synchronize', async (context) => {
    const pull = context.payload.pull_request;
    // Only a bot opens the app's PRs; the job checks that it is this app's.
    if (pull.user?.type !== 'Bot') return;
    await acceptJob(context, { kind: 'marker-gate', pullNumber: pull.number }, service, 'marker-gate');
  });

  app.on('pull_request.closed', async (context) => {
    const pull = context.payload.pull_request;
    if (!pull.merged || pull.user?.type !== 'Bot') return;
    const pullNumber = pull.number;
    await acceptJob(context, { kind: 'settle-resolution', pullNumber }, service, 'settle-resolution');
    // Conflicted backports that named this PR's source as a prerequisite are tried again.
    await acceptJob(context, { kind: 'retry-dependents', pullNumber }, service, 'retry-dependents');
  });
}
