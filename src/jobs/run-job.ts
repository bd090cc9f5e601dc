import { answerBackportCommand } from './answer-backport-command.js';
import { answerResolveCommand } from './answer-resolve-command.js';
import { answerWithCommand } from './answer-with-command.js';
import { followBackportPull } from './follow-backport-pull.js';
import type { RepoConnection } from './job-ports.js';
import type { AcceptedRequest, BackportJobRequest, JobRequest } from './job-request.js';
import type { Job } from './job-store.js';
import { runMarkerGate } from './marker-gate.js';
import { previewBackport } from './preview-backport.js';
import { findDependents } from './retry-dependents.js';
import { runBackport, type RunDeps } from './run-backport.js';
import { settleResolution } from './settle-resolution.js';

export interface JobRunDeps extends RunDeps {
  /** Queues more work from inside a job (the backports a merged prerequisite unblocks). */
  accept(input: AcceptedRequest): Promise<unknown>;
}

/**
 * Runs one durable job of any kind (job-request.ts) with the repository's GitHub access.
 * Every kind reads GitHub's current state, so a job resumed after a restart or taken over
 * from another instance does what the webhook asked, as it is now.
 */
export async function runJob(
  job: Job,
  conn: RepoConnection,
  deps: JobRunDeps,
  finalAttempt: boolean,
): Promise<void> {
  const r = job.request;
  switch (r.kind) {
    case undefined:
    case 'backport':
      return runBackport(r, conn.access, { ...deps, finalAttempt }, conn.readConfig);
    case 'preview':
      return previewBackport({ ...r, labels: 'all', ...(await conn.readConfig()) }, conn.access, deps);
    case 'marker-gate':
      return runMarkerGate(r, conn.access, deps);
    case 'follow-pull':
      return followBackportPull(r, conn.access, deps);
    case 'settle-resolution':
      return settleResolution(r, conn.access, deps);
    case 'retry-dependents':
      return retryDependents(job, r, conn, deps);
    case 'command':
      return answerCommand(job, r, conn, deps);
    case 'resolve':
      return answerResolveCommand({ ...r.command, ...where(r) }, conn, deps);
    case 'with':
      return answerWithCommand({ ...r.command, ...where(r) }, conn, deps);
  }
}

/** The repository and its clone URL, as the job holds them (from the configured GitHub host). */
function where(r: JobRequest): { owner: string; repo: string; cloneUrl: string } {
  return { owner: r.owner, repo: r.repo, cloneUrl: r.cloneUrl };
}

/**
 * A `/backport <targets>` or `/backport retry` comment. The backports it starts are accepted
 * under this job's id, so a retry of this job, or a takeover by another instance, queues
 * none twice.
 */
async function answerCommand(
  job: Job,
  r: Extract<JobRequest, { kind: 'command' }>,
  conn: RepoConnection,
  deps: JobRunDeps,
): Promise<void> {
  const queue = (part: string, what: Pick<BackportJobRequest, 'labels' | 'targets' | 'origin'>) =>
    deps.accept({
      request: { ...where(r), pullNumber: r.pullNumber, ...what },
      installationId: job.installationId,
      deliveryId: `job-${job.id}:${part}`,
    });
  await answerBackportCommand(
    { ...r.command, owner: r.owner, repo: r.repo },
    {
      access: conn.access,
      readConfig: conn.readConfig,
      backport: async (labels) => void (await queue('backport', { labels, origin: 'webhook' })),
      retry: async (failed) =>
        void (await queue('retry', { labels: 'all', targets: failed, origin: 'retry-command' })),
    },
    deps,
  );
}

/**
 * The conflicted backports that named the merged PR's source as a prerequisite, queued
 * again. Each is accepted under this job's id, so a retry of this job after some were
 * queued, or a takeover by another instance, queues none twice.
 */
async function retryDependents(
  job: Job,
  r: Extract<JobRequest, { kind: 'retry-dependents' }>,
  conn: RepoConnection,
  deps: JobRunDeps,
): Promise<void> {
  for (const d of await findDependents(r, conn.access, deps)) {
    await deps.accept({
      request: {
        owner: r.owner,
        repo: r.repo,
        cloneUrl: r.cloneUrl,
        pullNumber: d.source,
        labels: 'all',
        targets: [d.target],
        origin: 'retry-command',
      },
      installationId: job.installationId,
      deliveryId: `job-${job.id}:needs-${d.source}-${d.target}`,
    });
  }
}
