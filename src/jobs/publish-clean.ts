import { resolvePeople } from '../config/resolve-people.js';
import { copiedLabels } from '../plan/copied-labels.js';
import { applyMetadata, openBackportPull, type Metadata } from '../publish/backport-pull.js';
import { findConflictIssue } from '../publish/conflict-issue-store.js';
import { enableAutoMerge, markReadyForReview } from '../publish/pull-request-mutations.js';
import type { GhPull } from '../common/github-types.js';
import { renderBackportPrBody } from '../render/backport-pr-body.js';
import type { StatusRow } from '../render/status-comment.js';
import type { AutoMergeNote } from '../render/status-row.js';
import { renderTitle } from '../render/template-values.js';
import { gateMarkers, readMarkers } from './marker-gate.js';
import { compareWithUpstream } from './review-comparison.js';
import { forRendering, type SourcePull } from './source-pull.js';
import type { BackportConfig } from '../config/schema.js';
import type { MakeRow, TargetJob } from './target-job.js';

/**
 * A clean pick, already pushed to the app's branch (see `backport-target.ts`), becomes a
 * pull request: open the PR (or take over the draft an earlier conflicting run left), copy
 * labels, assignees, milestone and reviewers, and settle any conflict issue filed before.
 */
export async function publishClean(
  job: TargetJob,
  branch: string,
  commit: string,
  staleDraft: GhPull | undefined,
  row: MakeRow,
  onto: string,
): Promise<StatusRow> {
  const { gh, config, pr, target, source } = job;
  const rendering = forRendering(pr, source.plan.method);
  const wanted = metadataFor(config, pr);
  const comparison = await compareWithUpstream(job.local.store, source, onto, commit);
  const body = (copied: Metadata) =>
    renderBackportPrBody({
      comparison,
      source: rendering,
      target: target.target,
      branch: target.branch,
      commits: source.commits,
      mainline: source.plan.mainline,
      copied: { ...copied, milestone: copied.milestone?.title },
      template: config.body,
      prerequisites: job.prerequisites,
    });
  const title = renderTitle(config.title, {
    source: rendering,
    target: target.target,
    branch: target.branch,
    commits: source.commits,
  });
  // The marker check reads the changed files (blobs a partial cache fetches): beside the
  // request that opens the PR, not after it. It is reported once the PR exists, as before.
  const markers = readMarkers(job.local.store, { head: commit, base: onto });
  let pull: GhPull;
  if (staleDraft && staleDraft.state === 'open') {
    pull = await gh.write<GhPull>(
      'PATCH /repos/{owner}/{repo}/pulls/{pull_number}',
      { pull_number: staleDraft.number, title, body: body(wanted) },
      { idempotent: true },
    );
  } else {
    pull = await openBackportPull(gh, {
      title,
      body: body(wanted),
      head: branch,
      base: target.branch,
      draft: false,
    });
  }
  await gateMarkers(gh, job.local.store, { head: commit, base: onto }, markers);
  const applied = await applyMetadata(gh, pull.number, wanted);
  if (
    applied.assignees.length !== wanted.assignees.length ||
    applied.reviewers.length !== wanted.reviewers.length
  ) {
    await gh.write(
      'PATCH /repos/{owner}/{repo}/pulls/{pull_number}',
      { pull_number: pull.number, body: body(applied) },
      { idempotent: true },
    );
  }
  await closeResolvedIssue(job, pull);
  // The draft's markers are gone: the clean pick replaced them.
  if (pull.draft && pull.node_id) await markReadyForReview(gh, pull.node_id);
  const autoMerge = await turnOnAutoMerge(job, pull);
  return row({
    state: 'opened',
    link: { url: pull.html_url, number: pull.number },
    ...(autoMerge ? { autoMerge } : {}),
  });
}

/** Auto-merge as configured; a refusal is reported in the status row, never a failed backport. */
async function turnOnAutoMerge(job: TargetJob, pull: GhPull): Promise<AutoMergeNote | undefined> {
  const method = job.config.autoMerge;
  if (!method || !pull.node_id) return undefined;
  try {
    const outcome = await enableAutoMerge(job.gh, pull.node_id, method);
    return { method, ...outcome };
  } catch (err) {
    return { method, state: 'refused', message: err instanceof Error ? err.message : String(err) };
  }
}

/** What a backport PR copies from the original, as the configuration asks. */
export function metadataFor(config: BackportConfig, pr: SourcePull): Metadata {
  return {
    labels: [...config.labels, ...copiedLabels(pr.labels, config)],
    assignees: config.copyAssignees ? pr.assignees : [],
    milestone: config.copyMilestone ? pr.milestone : undefined,
    reviewers: resolvePeople(config.requestReviewers, { author: pr.author, merger: pr.merger }).filter(
      (l) => !l.endsWith('[bot]'),
    ),
  };
}

/** A conflict issue filed earlier is settled once a clean backport PR exists: say so and close it. */
async function closeResolvedIssue(job: TargetJob, pull: GhPull): Promise<void> {
  const known = job.previous?.state === 'conflict' ? job.previous.link?.number : undefined;
  if (known === undefined) return;
  const issue = await findConflictIssue(job.gh, {
    source: job.pr.number,
    target: job.target.target,
    labels: [...job.config.conflictLabels],
    known,
    appLogin: job.appLogin,
  });
  if (!issue || issue.state !== 'open') return;
  await job.gh.write(
    'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
    { issue_number: issue.number, body: `The change now applies cleanly: see #${pull.number}.` },
    { idempotent: false },
  );
  await job.gh.write(
    'PATCH /repos/{owner}/{repo}/issues/{issue_number}',
    { issue_number: issue.number, state: 'closed', state_reason: 'completed' },
    { idempotent: true },
  );
}
