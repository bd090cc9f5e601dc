import type { Context } from 'probot';
import type { BackportService } from '../jobs/backport-service.js';
import type { JobRequest } from '../jobs/job-request.js';
import { cloneUrlFor } from '../common/github-urls.js';
import { installationAccess } from './installation-access.js';
import { readConfig } from './read-config.js';

/** A request without what every request of a webhook has: its repository and clone URL. */
export type RequestOf<R = JobRequest> = R extends unknown ? Omit<R, 'owner' | 'repo' | 'cloneUrl'> : never;

/**
 * Writes a job to the durable queue and only then lets the webhook be answered: once GitHub
 * has its 2xx, the request must survive a crash. The job itself runs in the background
 * (GitHub wants the answer within seconds). `part` tells apart the several jobs one delivery
 * makes (each still accepted once per delivery, on any instance).
 */
export async function acceptJob(
  context: Context<'pull_request' | 'issue_comment'>,
  what: RequestOf,
  service: BackportService,
  part?: string,
): Promise<void> {
  const repository = context.payload.repository;
  const request = {
    ...what,
    owner: repository.owner.login,
    repo: repository.name,
    // From the configured GitHub host, never from the payload (which anyone can forge).
    cloneUrl: cloneUrlFor(
      String(context.octokit.request.endpoint.DEFAULTS.baseUrl),
      repository.owner.login,
      repository.name,
    ),
  } as JobRequest;
  await service.accept(
    {
      request,
      installationId: (context.payload as { installation?: { id: number } }).installation?.id ?? 0,
      deliveryId: part === undefined ? context.id : `${context.id}:${part}`,
    },
    { access: installationAccess(context), readConfig: () => readConfig(context) },
  );
}
