import type { GitHubClient } from '../publish/github-client.js';
import { writtenByApp, type GhIssue } from '../common/github-types.js';
import { findMarker, type Marker } from '../render/marker.js';
import type { ResolveProblem } from '../render/resolve-reply.js';

export type ConflictMarker = Extract<Marker, { type: 'conflict-issue' }>;

/** The conflict issue a `/backport resolve` comment is about, with its marker, or why there is none. */
export type FoundIssue =
  { found: true; issue: GhIssue; marker: ConflictMarker } | { found: false; problem: ResolveProblem };

const markerOf = (issue: GhIssue, appLogin: string) =>
  !issue.pull_request && writtenByApp(issue, appLogin) ? findMarker(issue.body, 'conflict-issue') : undefined;

/**
 * Comment on a conflict issue: that issue, if it is the app's. Comment on the original pull
 * request: its one open conflict issue (several targets in conflict: the person must say
 * which, by answering on that issue). A closed issue is reported, never reopened.
 */
export async function findResolveIssue(
  gh: GitHubClient,
  where: { number: number; isPull: boolean },
  /** The configuration's first conflict label: the app's conflict issues carry it. */
  label: string | undefined,
  /** The app's bot login: only its issues are conflict issues. */
  appLogin: string,
): Promise<FoundIssue> {
  if (!where.isPull) {
    const issue = await gh.get<GhIssue>('GET /repos/{owner}/{repo}/issues/{issue_number}', {
      issue_number: where.number,
    });
    const marker = markerOf(issue, appLogin);
    if (!marker) return { found: false, problem: { kind: 'no-issue' } };
    if (issue.state !== 'open') return { found: false, problem: { kind: 'closed', issue: issue.number } };
    return { found: true, issue, marker };
  }
  const issues = await gh.paginate<GhIssue>('GET /repos/{owner}/{repo}/issues', {
    state: 'all',
    ...(label ? { labels: label } : {}),
    sort: 'created',
    direction: 'desc',
  });
  const mine = issues.filter((i) => markerOf(i, appLogin)?.source === where.number);
  const open = mine.filter((i) => i.state === 'open');
  if (open.length > 1)
    return { found: false, problem: { kind: 'several-issues', issues: open.map((i) => i.number) } };
  if (open.length === 1) return { found: true, issue: open[0]!, marker: markerOf(open[0]!, appLogin)! };
  if (mine.length > 0) return { found: false, problem: { kind: 'closed', issue: mine[0]!.number } };
  return { found: false, problem: { kind: 'no-issue', source: where.number } };
}
