/**
 * State changes shared by the REST handlers and the test-facing API, with GitHub's validation
 * rules. Failures are HttpErrors so REST answers them as GitHub would; the test API rethrows.
 */
import { commitsBetween } from './git.js';
import { validationFailed, type SimCore } from './rest-types.js';
import type { SimIssue, SimRepo } from './state.js';

export interface OpenPullInput {
  /** "branch", or "owner:branch" for a fork. */
  head: string;
  /** Full name of the head repository, when it is not the base repository. */
  headRepo?: string;
  base: string;
  title: string;
  body?: string | null;
  user: string;
  draft?: boolean;
  labels?: string[];
}

function resolveHeadRepo(
  sim: SimCore,
  repo: SimRepo,
  input: OpenPullInput,
): { headRepo: SimRepo; ref: string } {
  const colon = input.head.indexOf(':');
  const ref = colon === -1 ? input.head : input.head.slice(colon + 1);
  const owner = colon === -1 ? null : input.head.slice(0, colon);
  let headRepo: SimRepo | undefined = repo;
  if (input.headRepo) {
    headRepo = sim.state.repo(input.headRepo);
  } else if (owner && owner.toLowerCase() !== repo.owner.toLowerCase()) {
    headRepo = [...sim.state.repos.values()].find(
      (r) =>
        r.owner.toLowerCase() === owner.toLowerCase() &&
        r.forkOf?.toLowerCase() === repo.fullName.toLowerCase(),
    );
  }
  if (!headRepo) throw validationFailed([{ resource: 'PullRequest', field: 'head', code: 'invalid' }]);
  return { headRepo, ref };
}

export function touch(sim: SimCore, issue: SimIssue): void {
  issue.updatedAt = sim.state.now();
}

export async function openPull(sim: SimCore, repo: SimRepo, input: OpenPullInput): Promise<SimIssue> {
  const baseSha = (await sim.refsOf(repo.path))[`refs/heads/${input.base}`] ?? null;
  const { headRepo, ref } = resolveHeadRepo(sim, repo, input);
  const headSha = (await sim.refsOf(headRepo.path))[`refs/heads/${ref}`] ?? null;
  const errors = [];
  if (!baseSha) errors.push({ resource: 'PullRequest', field: 'base', code: 'invalid' });
  if (!headSha) errors.push({ resource: 'PullRequest', field: 'head', code: 'invalid' });
  if (errors.length > 0 || !baseSha || !headSha) throw validationFailed(errors);
  const label = `${headRepo.owner}:${ref}`;
  const duplicate = [...sim.state.issuesOf(repo.fullName).values()].find(
    (i) =>
      i.state === 'open' &&
      i.pull &&
      i.pull.headRepo.toLowerCase() === headRepo.fullName.toLowerCase() &&
      i.pull.headRef === ref &&
      i.pull.baseRef === input.base,
  );
  if (duplicate) {
    throw validationFailed([
      { resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${label}.` },
    ]);
  }
  const number = repo.nextNumber++;
  const pullRef = `refs/pull/${number}/head`;
  if (headRepo === repo) await sim.store.setRef(repo.fullName, pullRef, headSha);
  else await sim.store.fetchInto(repo.fullName, headRepo.fullName, `refs/heads/${ref}`, pullRef);
  const commits = await commitsBetween(repo.path, baseSha, headSha);
  if (commits.length === 0) {
    repo.nextNumber--;
    await sim.store.deleteRef(repo.fullName, pullRef);
    throw validationFailed([
      { resource: 'PullRequest', code: 'custom', message: `No commits between ${input.base} and ${ref}` },
    ]);
  }
  const issue = newIssue(sim, repo, number, input, {
    headRepo: headRepo.fullName,
    headRef: ref,
    headSha,
    baseRef: input.base,
    baseSha,
    draft: input.draft ?? false,
    merged: false,
    mergedAt: null,
    mergedBy: null,
    mergeCommitSha: null,
    landedCommits: [],
    requestedReviewers: [],
    commits: commits.length,
  });
  sim.state.issuesOf(repo.fullName).set(number, issue);
  addLabels(sim, repo, issue, input.labels ?? [], input.user);
  return issue;
}

export function openIssue(
  sim: SimCore,
  repo: SimRepo,
  input: { title: string; body?: string | null; user: string; labels?: string[]; assignees?: string[] },
): SimIssue {
  const issue = newIssue(sim, repo, repo.nextNumber++, input, null);
  sim.state.issuesOf(repo.fullName).set(issue.number, issue);
  addLabels(sim, repo, issue, input.labels ?? [], input.user);
  assign(sim, repo, issue, input.assignees ?? []);
  return issue;
}

/** A fresh open issue (or pull request, with `pull`), before labels and assignees. */
function newIssue(
  sim: SimCore,
  repo: SimRepo,
  number: number,
  input: { title: string; body?: string | null; user: string },
  pull: SimIssue['pull'],
): SimIssue {
  const now = sim.state.now();
  return {
    id: sim.state.id(),
    number,
    repo: repo.fullName,
    title: input.title,
    body: input.body ?? null,
    user: sim.state.user(input.user).login,
    state: 'open',
    stateReason: null,
    labels: [],
    assignees: [],
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    closedBy: null,
    pull,
  };
}

/** Adds labels (creating unknown ones, as GitHub does); returns the names actually added. */
export function addLabels(
  sim: SimCore,
  repo: SimRepo,
  issue: SimIssue,
  names: string[],
  actor: string,
): string[] {
  const added: string[] = [];
  for (const name of names) {
    const label = sim.state.label(repo, name);
    if (issue.labels.some((l) => l.toLowerCase() === name.toLowerCase())) continue;
    issue.labels.push(label.name);
    added.push(label.name);
    recordEvent(sim, issue, 'labeled', label.name, actor);
  }
  if (added.length > 0) touch(sim, issue);
  return added;
}

/** Removes a label; false when the issue does not carry it. */
export function removeLabel(sim: SimCore, issue: SimIssue, name: string, actor: string): boolean {
  const i = issue.labels.findIndex((l) => l.toLowerCase() === name.toLowerCase());
  if (i === -1) return false;
  recordEvent(sim, issue, 'unlabeled', issue.labels[i]!, actor);
  issue.labels.splice(i, 1);
  touch(sim, issue);
  return true;
}

/** An entry of the issue's event list, as GitHub keeps one per label change. */
function recordEvent(
  sim: SimCore,
  issue: SimIssue,
  event: 'labeled' | 'unlabeled',
  label: string,
  actor: string,
) {
  (issue.events ??= []).push({ id: sim.state.id(), event, label, actor, createdAt: sim.state.now() });
}

/** Whether GitHub lets `login` be assigned: write access, the owner, or a commenter. */
export function isAssignable(sim: SimCore, repo: SimRepo, issue: SimIssue, login: string): boolean {
  const role = sim.state.roleOf(repo, login);
  if (role === 'admin' || role === 'maintain' || role === 'write' || role === 'triage') return true;
  return sim.state
    .commentsOf(repo.fullName, issue.number)
    .some((c) => c.user.toLowerCase() === login.toLowerCase());
}

/**
 * Assigns users; those GitHub would refuse are dropped silently, as GitHub does. Returns the
 * logins newly assigned (each gets an `assigned` webhook).
 */
export function assign(sim: SimCore, repo: SimRepo, issue: SimIssue, logins: string[]): string[] {
  const added: string[] = [];
  for (const login of logins) {
    const user = sim.state.findUser(login);
    if (!user || !isAssignable(sim, repo, issue, user.login)) continue;
    if (!issue.assignees.some((a) => a.toLowerCase() === login.toLowerCase())) {
      issue.assignees.push(user.login);
      added.push(user.login);
    }
  }
  touch(sim, issue);
  return added;
}

export function setState(
  sim: SimCore,
  issue: SimIssue,
  state: 'open' | 'closed',
  by: string,
  reason?: SimIssue['stateReason'],
): boolean {
  if (issue.state === state) return false;
  issue.state = state;
  if (state === 'closed') {
    issue.closedAt = sim.state.now();
    issue.closedBy = by;
    issue.stateReason = issue.pull ? null : (reason ?? 'completed');
  } else {
    issue.closedAt = null;
    issue.closedBy = null;
    issue.stateReason = issue.pull ? null : 'reopened';
  }
  touch(sim, issue);
  return true;
}

export function addComment(sim: SimCore, repo: SimRepo, issue: SimIssue, body: string, user: string) {
  const now = sim.state.now();
  const comment = {
    id: sim.state.id(),
    repo: repo.fullName,
    issueNumber: issue.number,
    body,
    user: sim.state.user(user).login,
    createdAt: now,
    updatedAt: now,
    reactions: [],
  };
  sim.state.comments.set(comment.id, comment);
  touch(sim, issue);
  return comment;
}
