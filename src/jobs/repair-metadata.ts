/**
 * A backport PR whose publish stopped half way (the PR made, then labels, assignees, the
 * milestone or reviewers failed) is finished by the next run for its (PR, target): what the
 * configuration asks for and the PR lacks is added again. Every write here is idempotent.
 * Then the body's copied section is made to say what the PR now has; the rest of the body,
 * which a person may have edited, is kept as it is.
 */
import { labelName, type GhPull } from '../common/github-types.js';
import { applyMetadata, type Metadata } from '../publish/backport-pull.js';
import { replaceCopiedSection } from '../render/copied-section.js';
import { metadataFor } from './publish-clean.js';
import type { TargetJob } from './target-job.js';

export async function repairMetadata(job: TargetJob, pull: GhPull): Promise<void> {
  const wanted = metadataFor(job.config, job.pr);
  const has = {
    labels: new Set(pull.labels.map((l) => labelName(l).toLowerCase())),
    assignees: new Set((pull.assignees ?? []).map((a) => a.login.toLowerCase())),
    reviewers: new Set((pull.requested_reviewers ?? []).map((r) => r.login.toLowerCase())),
  };
  const hasMilestone = !!wanted.milestone && pull.milestone?.number === wanted.milestone.number;
  const missing: Metadata = {
    labels: wanted.labels.filter((l) => !has.labels.has(l.toLowerCase())),
    assignees: wanted.assignees.filter((a) => !has.assignees.has(a.toLowerCase())),
    // A reviewer who already reviewed is no longer "requested": asking again is harmless (GitHub
    // answers 422 for one who cannot be asked, which applyMetadata accepts).
    reviewers: wanted.reviewers.filter((r) => !has.reviewers.has(r.toLowerCase())),
    ...(wanted.milestone && !hasMilestone ? { milestone: wanted.milestone } : {}),
  };
  const nothing =
    missing.labels.length + missing.assignees.length + missing.reviewers.length === 0 && !missing.milestone;
  const applied = nothing
    ? { labels: [], assignees: [], reviewers: [] }
    : await applyMetadata(job.gh, pull.number, missing);
  const now = (wantedOnes: string[], had: Set<string>, added: string[]) => {
    const addedNow = new Set(added.map((a) => a.toLowerCase()));
    return wantedOnes.filter((w) => had.has(w.toLowerCase()) || addedNow.has(w.toLowerCase()));
  };
  const body = replaceCopiedSection(pull.body ?? '', job.pr.number, {
    labels: now(wanted.labels, has.labels, applied.labels),
    assignees: now(wanted.assignees, has.assignees, applied.assignees),
    milestone: hasMilestone || applied.milestone ? wanted.milestone?.title : undefined,
    reviewers: now(wanted.reviewers, has.reviewers, applied.reviewers),
  });
  if (body === undefined || body === pull.body) return;
  await job.gh.write(
    'PATCH /repos/{owner}/{repo}/pulls/{pull_number}',
    { pull_number: pull.number, body },
    { idempotent: true },
  );
}
