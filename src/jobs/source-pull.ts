import type { PullCommit } from '../plan/pick-plan.js';
import type { GitHubClient } from '../publish/github-client.js';
import { labelName, type GhPull, type GhPullCommit } from '../common/github-types.js';
import type { SourcePullRequest } from '../common/source-pull-request.js';

/** The pull request being backported, as the pipeline needs it. */
export interface SourcePull extends Omit<SourcePullRequest, 'mergeMethod'> {
  merged: boolean;
  mergeCommitSha?: string | undefined;
  mergedAt?: string | undefined;
  labels: string[];
  assignees: string[];
  milestone?: { number: number; title: string } | undefined;
  /** Its commits as GitHub lists them (only loaded once merged; GitHub lists 250 at most). */
  commits: PullCommit[];
  /** How many commits GitHub says it has: more than `commits` holds when the list was cut. */
  commitCount: number;
}

/**
 * The pull request and its commits. Both are asked for at once: jobs come for merged pull
 * requests (labels on an open one wait for the merge), so the list is almost always needed,
 * and asking for it only after the pull request answered would add a round trip to every
 * backport. An unmerged one's list is dropped unread.
 */
export async function loadSourcePull(gh: GitHubClient, number: number): Promise<SourcePull> {
  const listed = gh.paginate<GhPullCommit>(
    'GET /repos/{owner}/{repo}/pulls/{pull_number}/commits',
    { pull_number: number },
    3,
  );
  // Not awaited when the pull request fails or is unmerged: its failure is nobody's then.
  listed.catch(() => undefined);
  const pr = await gh.get<GhPull>('GET /repos/{owner}/{repo}/pulls/{pull_number}', { pull_number: number });
  const merged = Boolean(pr.merged_at) && Boolean(pr.merge_commit_sha);
  const commits = merged
    ? (await listed).map((c) => ({
        sha: c.sha,
        message: c.commit.message,
        author: c.commit.author ?? { name: '', email: '', date: '1970-01-01T00:00:00Z' },
      }))
    : [];
  return {
    number: pr.number,
    title: pr.title,
    url: pr.html_url,
    author: pr.user?.login ?? 'ghost',
    merger: pr.merged_by?.login,
    base: pr.base.ref,
    merged,
    mergeCommitSha: pr.merge_commit_sha ?? undefined,
    mergedAt: pr.merged_at ?? undefined,
    labels: pr.labels.map(labelName),
    assignees: (pr.assignees ?? []).map((a) => a.login),
    milestone: pr.milestone ?? undefined,
    commits,
    commitCount: pr.commits ?? commits.length,
  };
}

export function forRendering(pr: SourcePull, method: SourcePullRequest['mergeMethod']): SourcePullRequest {
  return {
    number: pr.number,
    title: pr.title,
    url: pr.url,
    author: pr.author,
    merger: pr.merger,
    base: pr.base,
    mergeMethod: method,
  };
}
