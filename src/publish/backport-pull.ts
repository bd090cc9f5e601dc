import { gitHubStatus, type GitHubClient } from './github-client.js';
import type { GhPull } from '../common/github-types.js';

/**
 * The backport pull request of one (PR, target), found by its head branch: the branch name
 * is derived from the PR and the target, so whatever an earlier run made is found again.
 * An open one wins over closed ones.
 */
export async function findBackportPull(gh: GitHubClient, branch: string): Promise<GhPull | undefined> {
  const pulls = await gh.get<GhPull[]>('GET /repos/{owner}/{repo}/pulls', {
    head: `${gh.owner}:${branch}`,
    state: 'all',
    per_page: 100,
  });
  return pulls.find((p) => p.state === 'open') ?? pulls.find((p) => p.merged_at) ?? pulls[0];
}

export interface NewPull {
  title: string;
  body: string;
  head: string;
  base: string;
  draft: boolean;
}

/**
 * Opens the pull request, or finds the one that already exists: GitHub refuses a second
 * open PR for the same head (422), and a 5xx may hide a PR that was in fact created, so both
 * end in a lookup rather than a blind retry that could make a duplicate.
 */
export async function openBackportPull(gh: GitHubClient, pull: NewPull): Promise<GhPull> {
  try {
    return await create(gh, pull);
  } catch (err) {
    const status = gitHubStatus(err);
    if (status === 422 || (typeof status === 'number' && status >= 500) || status === undefined) {
      const existing = await findBackportPull(gh, pull.head);
      if (existing && existing.state === 'open') return existing;
      if (status !== 422) return create(gh, pull);
    }
    throw err;
  }
}

function create(gh: GitHubClient, pull: NewPull): Promise<GhPull> {
  return gh.write<GhPull>(
    'POST /repos/{owner}/{repo}/pulls',
    {
      title: pull.title,
      body: pull.body,
      head: pull.head,
      base: pull.base,
      draft: pull.draft,
      maintainer_can_modify: false,
    },
    { idempotent: false },
  );
}

export interface Metadata {
  labels: string[];
  assignees: string[];
  milestone?: { number: number; title: string } | undefined;
  reviewers: string[];
}

/**
 * Copies labels, assignees, milestone and reviewers onto the backport PR. Each part is
 * independent: a reviewer GitHub refuses (not a collaborator, or the PR's own author) does
 * not stop the others. Returns what was actually applied.
 */
export async function applyMetadata(gh: GitHubClient, number: number, wanted: Metadata): Promise<Metadata> {
  const applied: Metadata = { labels: [], assignees: [], reviewers: [] };
  if (wanted.labels.length > 0) {
    await gh.write(
      'POST /repos/{owner}/{repo}/issues/{issue_number}/labels',
      { issue_number: number, labels: wanted.labels },
      { idempotent: true },
    );
    applied.labels = wanted.labels;
  }
  if (wanted.assignees.length > 0) {
    const issue = await gh.write<{ assignees?: Array<{ login: string }> | null }>(
      'POST /repos/{owner}/{repo}/issues/{issue_number}/assignees',
      { issue_number: number, assignees: wanted.assignees },
      { idempotent: true },
    );
    applied.assignees = (issue.assignees ?? [])
      .map((a) => a.login)
      .filter((l) => wanted.assignees.includes(l));
  }
  if (wanted.milestone) {
    await gh.write(
      'PATCH /repos/{owner}/{repo}/issues/{issue_number}',
      { issue_number: number, milestone: wanted.milestone.number },
      { idempotent: true },
    );
    applied.milestone = wanted.milestone;
  }
  for (const reviewer of wanted.reviewers) {
    try {
      await gh.write(
        'POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers',
        { pull_number: number, reviewers: [reviewer] },
        { idempotent: true },
      );
      applied.reviewers.push(reviewer);
    } catch (err) {
      if (gitHubStatus(err) !== 422) throw err;
    }
  }
  return applied;
}
