/**
 * GitHub's JSON for issues, pull requests and comments. A pull request is an issue with a
 * `pull` part, as on GitHub, so the issues list shows both.
 */
import type { SimComment, SimIssue, SimIssueEvent, SimReaction, SimRepo, SimState } from './state.js';
import { authorAssociation, labelJson, nodeId, repoJson, userJson, type Urls } from './serialize-core.js';

type Json = Record<string, unknown>;

/** What the pull request JSON needs from git, computed by the caller. */
export interface PullStats {
  mergeable: boolean | null;
  additions: number;
  deletions: number;
  changedFiles: number;
}

const REACTIONS = ['+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'eyes', 'rocket'];

function reactionRollup(url: string, reactions: SimReaction[]): Json {
  const out: Json = { url, total_count: reactions.length };
  for (const r of REACTIONS) out[r] = reactions.filter((x) => x.content === r).length;
  return out;
}

function issueApi(repo: SimRepo, n: number, urls: Urls): string {
  return `${urls.api}/repos/${repo.fullName}/issues/${n}`;
}

export function issueJson(repo: SimRepo, issue: SimIssue, state: SimState, urls: Urls): Json {
  const api = issueApi(repo, issue.number, urls);
  const web = `${urls.web}/${repo.fullName}/${issue.pull ? 'pull' : 'issues'}/${issue.number}`;
  const assignees = issue.assignees.map((a) => userJson(state.user(a), urls));
  const out: Json = {
    id: issue.id,
    node_id: nodeId(issue.pull ? 'PullRequest' : 'Issue', issue.id),
    url: api,
    repository_url: `${urls.api}/repos/${repo.fullName}`,
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: web,
    number: issue.number,
    state: issue.state,
    state_reason: issue.stateReason,
    title: issue.title,
    body: issue.body,
    user: userJson(state.user(issue.user), urls),
    labels: issue.labels.map((name) => labelJson(repo, state.label(repo, name), urls)),
    assignee: assignees[0] ?? null,
    assignees,
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: state.commentsOf(repo.fullName, issue.number).length,
    closed_at: issue.closedAt,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_by: issue.closedBy ? userJson(state.user(issue.closedBy), urls) : null,
    author_association: authorAssociation(repo, issue.user, state),
    reactions: reactionRollup(`${api}/reactions`, []),
    timeline_url: `${api}/timeline`,
    performed_via_github_app: null,
  };
  if (issue.pull) {
    const pulls = `${urls.api}/repos/${repo.fullName}/pulls/${issue.number}`;
    out.pull_request = {
      url: pulls,
      html_url: web,
      diff_url: `${web}.diff`,
      patch_url: `${web}.patch`,
      merged_at: issue.pull.mergedAt,
    };
    out.draft = issue.pull.draft;
  }
  return out;
}

function branchJson(state: SimState, urls: Urls, fullName: string, ref: string, sha: string): Json {
  const repo = state.repo(fullName);
  const owner = repo ? repo.owner : fullName.split('/')[0]!;
  return {
    label: `${owner}:${ref}`,
    ref,
    sha,
    user: userJson(state.user(owner), urls),
    repo: repo ? repoJson(repo, state, urls) : null,
  };
}

/** `pull-request-simple` (lists); pass stats for the full `pull-request` (single PR, writes). */
export function pullJson(
  repo: SimRepo,
  issue: SimIssue,
  state: SimState,
  urls: Urls,
  stats?: PullStats,
): Json {
  const pr = issue.pull!;
  const api = `${urls.api}/repos/${repo.fullName}/pulls/${issue.number}`;
  const web = `${urls.web}/${repo.fullName}/pull/${issue.number}`;
  const iApi = issueApi(repo, issue.number, urls);
  const assignees = issue.assignees.map((a) => userJson(state.user(a), urls));
  const out: Json = {
    url: api,
    id: issue.id,
    node_id: nodeId('PullRequest', issue.id),
    html_url: web,
    diff_url: `${web}.diff`,
    patch_url: `${web}.patch`,
    issue_url: iApi,
    commits_url: `${api}/commits`,
    review_comments_url: `${api}/comments`,
    review_comment_url: `${urls.api}/repos/${repo.fullName}/pulls/comments{/number}`,
    comments_url: `${iApi}/comments`,
    statuses_url: `${urls.api}/repos/${repo.fullName}/statuses/${pr.headSha}`,
    number: issue.number,
    state: issue.state,
    locked: false,
    title: issue.title,
    user: userJson(state.user(issue.user), urls),
    body: issue.body,
    labels: issue.labels.map((name) => labelJson(repo, state.label(repo, name), urls)),
    milestone: null,
    active_lock_reason: null,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    merged_at: pr.mergedAt,
    // Open: GitHub's test merge (refs/pull/N/merge), once computed; merged: what landed.
    merge_commit_sha: pr.mergeCommitSha ?? (issue.state === 'open' ? (pr.testMerge?.sha ?? null) : null),
    assignee: assignees[0] ?? null,
    assignees,
    requested_reviewers: pr.requestedReviewers.map((r) => userJson(state.user(r), urls)),
    requested_teams: [],
    head: branchJson(state, urls, pr.headRepo, pr.headRef, pr.headSha),
    base: branchJson(state, urls, repo.fullName, pr.baseRef, pr.baseSha),
    _links: {
      self: { href: api },
      html: { href: web },
      issue: { href: iApi },
      comments: { href: `${iApi}/comments` },
      review_comments: { href: `${api}/comments` },
      review_comment: { href: `${urls.api}/repos/${repo.fullName}/pulls/comments{/number}` },
      commits: { href: `${api}/commits` },
      statuses: { href: `${urls.api}/repos/${repo.fullName}/statuses/${pr.headSha}` },
    },
    author_association: authorAssociation(repo, issue.user, state),
    auto_merge: pr.autoMerge
      ? {
          enabled_by: userJson(state.user(pr.autoMerge.enabledBy), urls),
          merge_method: pr.autoMerge.method,
          commit_title: pr.autoMerge.commitTitle,
          commit_message: pr.autoMerge.commitMessage,
        }
      : null,
    draft: pr.draft,
  };
  if (stats) {
    Object.assign(out, {
      merged: pr.merged,
      mergeable: stats.mergeable,
      rebaseable: stats.mergeable,
      // `unknown` too while GitHub is still working out mergeability (`mergeable: null`).
      mergeable_state:
        pr.merged || issue.state === 'closed' || stats.mergeable === null
          ? 'unknown'
          : stats.mergeable
            ? 'clean'
            : 'dirty',
      merged_by: pr.mergedBy ? userJson(state.user(pr.mergedBy), urls) : null,
      comments: state.commentsOf(repo.fullName, issue.number).length,
      review_comments: 0,
      maintainer_can_modify: false,
      commits: pr.commits,
      additions: stats.additions,
      deletions: stats.deletions,
      changed_files: stats.changedFiles,
    });
  }
  return out;
}

export function commentJson(repo: SimRepo, c: SimComment, state: SimState, urls: Urls): Json {
  const api = `${urls.api}/repos/${repo.fullName}/issues/comments/${c.id}`;
  const issue = state.issuesOf(repo.fullName).get(c.issueNumber);
  const kind = issue?.pull ? 'pull' : 'issues';
  return {
    id: c.id,
    node_id: nodeId('IssueComment', c.id),
    url: api,
    html_url: `${urls.web}/${repo.fullName}/${kind}/${c.issueNumber}#issuecomment-${c.id}`,
    body: c.body,
    user: userJson(state.user(c.user), urls),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    issue_url: issueApi(repo, c.issueNumber, urls),
    author_association: authorAssociation(repo, c.user, state),
    performed_via_github_app: null,
    reactions: reactionRollup(`${api}/reactions`, c.reactions),
  };
}

/** A `labeled` or `unlabeled` entry of GET …/issues/{n}/events. */
export function issueEventJson(repo: SimRepo, e: SimIssueEvent, state: SimState, urls: Urls): Json {
  const label = state.label(repo, e.label);
  return {
    id: e.id,
    node_id: nodeId(e.event === 'labeled' ? 'LabeledEvent' : 'UnlabeledEvent', e.id),
    url: `${urls.api}/repos/${repo.fullName}/issues/events/${e.id}`,
    actor: userJson(state.user(e.actor), urls),
    event: e.event,
    commit_id: null,
    commit_url: null,
    created_at: e.createdAt,
    performed_via_github_app: null,
    label: { name: label.name, color: label.color },
  };
}

export function reactionJson(r: SimReaction, state: SimState, urls: Urls): Json {
  return {
    id: r.id,
    node_id: nodeId('Reaction', r.id),
    user: userJson(state.user(r.user), urls),
    content: r.content,
    created_at: r.createdAt,
  };
}
