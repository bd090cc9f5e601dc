import type { Probot } from 'probot';
import type { BackportService } from '../jobs/backport-service.js';
import { acceptJob } from './accept-job.js';

/**
 * Webhooks → backport previews of open pull requests: a push, a label added or removed, a
 * reopened PR. Do not add logic here; the preview reads the PR's current state itself when
 * its job runs.
 */
export function onPreviewEvents(app: Probot, service: BackportService): void {
  app.on(
    ['pull_request.synchronize', 'pull_request.labeled', 'pull_request.unlabeled', 'pull_request.reopened'],
    async (context) => {
      const pr = context.payload.pull_request;
      if (pr.state !== 'open') return;
      // A new head without any label has no preview to make or to correct.
      const labelChange = context.payload.action === 'labeled' || context.payload.action === 'unlabeled';
      if (!labelChange && pr.labels.length === 0) return;
      await acceptJob(context, { kind: 'preview', pullNumber: pr.number }, service, 'preview');
    },
  );
}
