/**
 * Turns GitHub's REST / webhook shapes into ledger facts. The same functions serve a webhook
 * and a rebuild, which is what makes a rebuild give the same ledger as the live stream.
 * The app's own PRs and issues are recognised by their hidden markers, never by title.
 */
import type { GhIssue } from '../common/github-types.js';
import { findMarker } from '../render/marker.js';
import { parseStatusComment } from '../render/status-comment.js';
import type { LabelRules } from '../config/label-rules.js';
import type {
  BackportPrFact,
  BackportRequestFact,
  ChecksState,
  ConflictIssueFact,
  Fact,
} from './ledger-facts.js';

/** The fields of a pull request (REST or webhook) the ledger reads. */
export interface GitHubPull {
  number: number;
  title: string;
  state: string;
  body?: string | null;
  labels?: ReadonlyArray<{ name?: string } | string>;
  base: { ref: string };
  head?: { sha?: string };
  merged_at?: string | null;
  closed_at?: string | null;
  created_at: string;
  updated_at: string;
  merge_commit_sha?: string | null;
}

/**
 * Every pull request is a possible source (its labels carry requests); one carrying a
 * `backport-pr` marker is also a backport. `checks` is what the caller saw for its head, if
 * it looked (a rebuild does, a pull_request webhook does not).
 */
export function factsFromPull(repo: string, pull: GitHubPull, checks: ChecksState | null = null): Fact[] {
  const state = pull.state === 'open' ? 'open' : 'closed';
  const facts: Fact[] = [
    {
      kind: 'source-pr',
      repo,
      number: pull.number,
      title: pull.title,
      state,
      baseBranch: pull.base.ref,
      labels: (pull.labels ?? []).map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter(Boolean),
      mergedAt: pull.merged_at ?? null,
      closedAt: pull.closed_at ?? null,
      mergeCommitSha: pull.merge_commit_sha ?? null,
      updatedAt: pull.updated_at,
    },
  ];
  const marker = findMarker(pull.body, 'backport-pr');
  if (marker) {
    const backport: BackportPrFact = {
      kind: 'backport-pr',
      repo,
      number: pull.number,
      source: marker.source,
      target: marker.target,
      state,
      createdAt: pull.created_at,
      mergedAt: pull.merged_at ?? null,
      closedAt: pull.closed_at ?? null,
      headSha: pull.head?.sha ?? null,
      checks,
      updatedAt: pull.updated_at,
    };
    facts.push(backport);
  }
  return facts;
}

/** A conflict-issue fact, or undefined for an issue the app did not file (or a PR). */
export function factFromIssue(repo: string, issue: GhIssue): ConflictIssueFact | undefined {
  if (issue.pull_request) return undefined;
  const marker = findMarker(issue.body, 'conflict-issue');
  if (!marker) return undefined;
  return {
    kind: 'conflict-issue',
    repo,
    number: issue.number,
    source: marker.source,
    target: marker.target,
    state: issue.state === 'open' ? 'open' : 'closed',
    createdAt: issue.created_at,
    closedAt: issue.closed_at ?? null,
    assignees: (issue.assignees ?? []).flatMap((a) => (a ? [a.login] : [])),
    updatedAt: issue.updated_at,
  };
}

/**
 * A request with its moment, for a `labeled` event (or a `/backport` command, with the
 * branch it names): what lets a request made after an abandoned attempt count again.
 */
export function requestFromLabel(
  repo: string,
  source: number,
  label: string,
  at: string,
  rules: LabelRules,
): BackportRequestFact | undefined {
  const target = rules.requestTarget(label);
  return target ? { kind: 'backport-request', repo, source, target, updatedAt: at } : undefined;
}

/**
 * Requests still pending according to the app's status comment on a source PR (rows
 * waiting, in progress or failed), timed by the row. Rows for work that exists (opened,
 * merged, conflict) add nothing: the PR or issue itself is the fact. A "closed" row counts
 * as a request at its time: when the PR closed (dated by GitHub, so not after the close and
 * the item stays abandoned), or when a later run found the PR closed (after it: re-requested).
 */
export function requestsFromStatusComment(
  repo: string,
  body: string | null | undefined,
): BackportRequestFact[] {
  const marker = findMarker(body, 'status-comment');
  if (!marker) return [];
  return parseStatusComment(body)
    .filter((row) => ['waiting', 'in-progress', 'failed', 'closed'].includes(row.state))
    .map((row) => ({
      kind: 'backport-request',
      repo,
      source: marker.source,
      target: row.branch ?? row.target,
      updatedAt: row.at,
    }));
}
