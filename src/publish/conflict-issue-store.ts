import { isBackportError } from '../errors.js';
import { findMarker } from '../render/marker.js';
import { gitHubStatus, type GitHubClient } from './github-client.js';
import { writtenByApp, type GhIssue } from '../common/github-types.js';

export interface ConflictIssueDraft {
  source: number;
  target: string;
  title: string;
  body: string;
  labels: string[];
  assignees: string[];
  /** The issue an earlier run recorded in the status comment, if any. */
  known?: number | undefined;
  /** The app's bot login: only its issues count as the app's. */
  appLogin: string;
}

function isOurs(issue: GhIssue, draft: Pick<ConflictIssueDraft, 'source' | 'target' | 'appLogin'>): boolean {
  const marker = findMarker(issue.body, 'conflict-issue');
  return (
    writtenByApp(issue, draft.appLogin) && marker?.source === draft.source && marker.target === draft.target
  );
}

/** The conflict issue of one (PR, target), by the status comment's record or by its marker. */
export async function findConflictIssue(
  gh: GitHubClient,
  draft: Pick<ConflictIssueDraft, 'source' | 'target' | 'labels' | 'known' | 'appLogin'>,
): Promise<GhIssue | undefined> {
  if (draft.known !== undefined) {
    const issue = await gh.find<GhIssue>('GET /repos/{owner}/{repo}/issues/{issue_number}', {
      issue_number: draft.known,
    });
    if (issue && isOurs(issue, draft)) return issue;
  }
  const label = draft.labels[0];
  const candidates = await gh.paginate<GhIssue>('GET /repos/{owner}/{repo}/issues', {
    state: 'all',
    ...(label ? { labels: label } : {}),
  });
  return candidates.find((i) => !i.pull_request && isOurs(i, draft));
}

/**
 * Files the conflict issue, or refreshes the one already filed: an open issue gets the new
 * body (the target may have moved); a closed one is left closed (a person decided). Returns
 * the issue and whether it was created now.
 */
export async function upsertConflictIssue(
  gh: GitHubClient,
  draft: ConflictIssueDraft,
): Promise<{ issue: GhIssue; created: boolean }> {
  const existing = await findConflictIssue(gh, draft);
  if (existing) {
    if (existing.state === 'open' && existing.body !== draft.body) {
      const issue = await gh.write<GhIssue>(
        'PATCH /repos/{owner}/{repo}/issues/{issue_number}',
        { issue_number: existing.number, body: draft.body },
        { idempotent: true },
      );
      return { issue, created: false };
    }
    return { issue: existing, created: false };
  }
  let issue: GhIssue;
  try {
    issue = await gh.write<GhIssue>(
      'POST /repos/{owner}/{repo}/issues',
      { title: draft.title, body: draft.body, labels: draft.labels },
      { idempotent: false },
    );
  } catch (err) {
    // The issue may exist even though the answer was lost; look before trying again.
    const status = gitHubStatus(err);
    if (!isBackportError(err) || status === 422 || status === 403) throw err;
    const found = await findConflictIssue(gh, { ...draft, known: undefined });
    if (found) return { issue: found, created: false };
    issue = await gh.write<GhIssue>(
      'POST /repos/{owner}/{repo}/issues',
      { title: draft.title, body: draft.body, labels: draft.labels },
      { idempotent: false },
    );
  }
  if (draft.assignees.length > 0) {
    issue = await gh.write<GhIssue>(
      'POST /repos/{owner}/{repo}/issues/{issue_number}/assignees',
      { issue_number: issue.number, assignees: draft.assignees },
      { idempotent: true },
    );
  }
  return { issue, created: true };
}
