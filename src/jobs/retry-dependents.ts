import { GitHubClient, type ClientDeps } from '../publish/github-client.js';
import { writtenByApp, type GhIssue, type GhPull } from '../common/github-types.js';
import { findMarker } from '../render/marker.js';
import type { InstallationAccess } from './backport-request.js';

/** A conflicted backport to run again: PR `source` to `target`. */
export interface Dependent {
  source: number;
  target: string;
}

/**
 * One of the app's backport PRs merged (PR #A to target T): the conflicted backports to T whose
 * conflict issue names #A among its prerequisites (the issue's marker keeps them). Running them
 * again picks on T's new tip, where #A now is: if the pick applies, the pipeline opens its PR
 * and closes the issue with a link; if not, the issue is refreshed.
 */
export async function findDependents(
  where: { owner: string; repo: string; pullNumber: number },
  access: InstallationAccess,
  deps: ClientDeps = {},
): Promise<Dependent[]> {
  const gh = GitHubClient.forRepo(access.request, where.owner, where.repo, deps);
  const appLogin = await access.appLogin();
  const pull = await gh.get<GhPull>('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
    pull_number: where.pullNumber,
  });
  const merged =
    writtenByApp(pull, appLogin) && pull.merged_at ? findMarker(pull.body, 'backport-pr') : undefined;
  if (!merged) return [];
  // Open issues, newest first; a few pages are plenty for the conflicts still open.
  const issues = await gh.paginate<GhIssue>(
    'GET /repos/{owner}/{repo}/issues',
    { state: 'open', sort: 'created', direction: 'desc', per_page: 100 },
    5,
  );
  const found: Dependent[] = [];
  for (const issue of issues) {
    if (issue.pull_request || !writtenByApp(issue, appLogin)) continue;
    const marker = findMarker(issue.body, 'conflict-issue');
    if (!marker || marker.target !== merged.target || marker.source === merged.source) continue;
    const needs = Array.isArray(marker.needs) ? marker.needs : [];
    if (needs.includes(merged.source)) found.push({ source: marker.source, target: marker.target });
  }
  return found;
}
