import { GitHubClient, type ClientDeps } from '../publish/github-client.js';
import { writtenByApp, type GhIssue, type GhPull } from '../common/github-types.js';
import { findMarker } from '../render/marker.js';
import { renderResolvedMerged } from '../render/resolve-reply.js';
import type { InstallationAccess } from './backport-request.js';

/**
 * A backport PR finished with `/backport resolve` merged: its conflict issue (named in the
 * PR's hidden marker) is done, so it gets a line and is closed. GitHub's closing keywords
 * work only for PRs into the default branch, and backports never are.
 */
export async function settleResolution(
  where: { owner: string; repo: string; pullNumber: number },
  access: InstallationAccess,
  deps: ClientDeps = {},
): Promise<void> {
  const gh = GitHubClient.forRepo(access.request, where.owner, where.repo, deps);
  const appLogin = await access.appLogin();
  const pull = await gh.get<GhPull>('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
    pull_number: where.pullNumber,
  });
  const number =
    writtenByApp(pull, appLogin) && pull.merged_at ? findMarker(pull.body, 'backport-pr')?.issue : undefined;
  if (number === undefined) return;
  const issue = await gh.find<GhIssue>('GET /repos/{owner}/{repo}/issues/{issue_number}', {
    issue_number: number,
  });
  if (
    !issue ||
    issue.state !== 'open' ||
    !writtenByApp(issue, appLogin) ||
    !findMarker(issue.body, 'conflict-issue')
  )
    return;
  await gh.write(
    'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
    { issue_number: issue.number, body: renderResolvedMerged(pull.number) },
    { idempotent: false },
  );
  await gh.write(
    'PATCH /repos/{owner}/{repo}/issues/{issue_number}',
    { issue_number: issue.number, state: 'closed', state_reason: 'completed' },
    { idempotent: true },
  );
}
