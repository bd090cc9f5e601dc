import { backportBranchPrefix } from '../config/parse-config.js';
import { BackportError } from '../errors.js';
import { backportBranchName } from '../plan/targets.js';
import { applyMetadata, findBackportPull, openBackportPull } from '../publish/backport-pull.js';
import { markReadyForReview } from '../publish/pull-request-mutations.js';
import { StatusCommentStore } from '../publish/status-comment-store.js';
import type { GhIssue, GhPull } from '../common/github-types.js';
import { remoteTip } from '../repo/git-remote.js';
import { assertOwnBranch } from '../repo/push-guard.js';
import { renderBackportPrBody, type Resolution } from '../render/backport-pr-body.js';
import { findMarker } from '../render/marker.js';
import { renderResolvedNote } from '../render/resolve-reply.js';
import { renderTitle } from '../render/template-values.js';
import { gateMarkers } from './marker-gate.js';
import { compareWithUpstream } from './review-comparison.js';
import { metadataFor } from './publish-clean.js';
import { mayOverwrite } from './backport-target.js';
import { publishBranch } from './publish-branch.js';
import { forRendering } from './source-pull.js';
import type { TargetJob } from './target-job.js';

export interface ResolvedBackport {
  /** The backport as the pipeline names it (its target, remote, configuration, source). */
  job: TargetJob;
  issue: GhIssue;
  /** The resolved tip and what it was built on. */
  commit: string;
  onto: string;
  resolution: Resolution;
}

/**
 * Publishes a resolved backport. Steps:
 *   1. the same answer again, already published: nothing to do (one PR);
 *   2. the branch may be replaced only when its tip is the app's own work for this backport
 *      (a person's push is never overwritten);
 *   3. push (force over the app's previous tip), run the marker check, open the PR or update
 *      the open one, copy metadata, note it on the conflict issue and in the status comment.
 * Returns the pull request, or undefined when the same answer was already published.
 */
export async function publishResolution(b: ResolvedBackport): Promise<GhPull | undefined> {
  const { gh, config, pr, target } = b.job;
  const branch = backportBranchName(config, pr.number, target.target);
  assertOwnBranch(branch, backportBranchPrefix(config));
  const existing = await findBackportPull(gh, branch);
  if (existing?.merged_at) {
    throw new BackportError(
      'push-forbidden',
      `The backport #${existing.number} of this change is already merged.`,
      {
        branch,
      },
    );
  }
  const open = existing?.state === 'open' ? existing : undefined;
  const tip = await remoteTip(b.job.remote, branch);
  if (open && tip !== undefined && findMarker(open.body, 'backport-pr')?.resolution === b.resolution.key) {
    return undefined;
  }
  if (tip !== undefined && !(await mayOverwrite(b.job, branch))) {
    throw new BackportError(
      'push-forbidden',
      `Refusing to overwrite ${branch}: someone else pushed to it. Finish the backport there, or delete the branch and answer again.`,
      { branch },
    );
  }
  await b.job.local.store.flush();
  const head = await publishBranch(b.job, { branch, commit: b.commit, onto: b.onto });
  if (head === 'moved') throw new Error('unreachable: no move guard was asked for');
  await gateMarkers(gh, b.job.local.store, { head, base: b.onto });

  const wanted = metadataFor(config, pr);
  const rendering = forRendering(pr, b.job.source.plan.method);
  const comparison = await compareWithUpstream(b.job.local.store, b.job.source, b.onto, head);
  const body = renderBackportPrBody({
    comparison,
    source: rendering,
    target: target.target,
    branch: target.branch,
    commits: b.job.source.commits,
    mainline: b.job.source.plan.mainline,
    copied: { ...wanted, milestone: wanted.milestone?.title },
    template: config.body,
    resolution: b.resolution,
  });
  const title = renderTitle(config.title, {
    source: rendering,
    target: target.target,
    branch: target.branch,
    commits: b.job.source.commits,
  });
  const pull = open
    ? await gh.write<GhPull>(
        'PATCH /repos/{owner}/{repo}/pulls/{pull_number}',
        { pull_number: open.number, title, body },
        { idempotent: true },
      )
    : await openBackportPull(gh, { title, body, head: branch, base: target.branch, draft: false });
  // The draft with markers an earlier run opened now holds the resolution: ready for review.
  if (pull.draft && pull.node_id) await markReadyForReview(gh, pull.node_id);
  await applyMetadata(gh, pull.number, wanted);
  await gh.write(
    'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
    {
      issue_number: b.issue.number,
      body: renderResolvedNote({
        by: b.resolution.by,
        answers: b.resolution.answers,
        patch: b.resolution.patch,
        pull: pull.number,
      }),
    },
    { idempotent: false },
  );
  const status = await StatusCommentStore.load(gh, pr.number, b.job.appLogin);
  await status.record({
    target: target.target,
    ...(target.branch !== target.target ? { branch: target.branch } : {}),
    state: 'opened',
    link: { url: pull.html_url, number: pull.number },
    at: b.job.now().toISOString(),
  });
  await status.settle();
  return pull;
}
