import { writtenByApp, type GhPull } from '../common/github-types.js';
import { GitHubClient } from '../publish/github-client.js';
import { StatusCommentStore } from '../publish/status-comment-store.js';
import { findMarker } from '../render/marker.js';
import type { StatusRow } from '../render/status-comment.js';
import type { InstallationAccess } from './backport-request.js';
import type { RunDeps } from './run-backport.js';

/** "A pull request of owner/repo was closed or reopened": it may be one of the app's backports. */
export interface BackportPullEvent {
  owner: string;
  repo: string;
  pullNumber: number;
}

/**
 * The status row follows the backport PR: when the app's backport PR (or the draft with
 * conflict markers it opened) is merged, closed unmerged or reopened, the row of its target
 * on the original PR says "merged", "closed" or "opened". Steps:
 *   1. load the PR as it is now; only the app's own, known by its hidden marker, counts;
 *   2. load the original PR's status comment; the target's row must name this PR (as its
 *      backport PR or its draft), else it describes other work and is left as it is;
 *   3. write the row. A closed draft leaves its conflict row alone: the conflict still stands.
 */
export async function followBackportPull(
  event: BackportPullEvent,
  access: InstallationAccess,
  deps: RunDeps,
): Promise<void> {
  const gh = GitHubClient.forRepo(access.request, event.owner, event.repo, deps);
  const pr = await gh.get<GhPull>('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
    pull_number: event.pullNumber,
  });
  const marker = findMarker(pr.body, 'backport-pr');
  const appLogin = await access.appLogin();
  if (!marker || !writtenByApp(pr, appLogin)) return;
  const status = await StatusCommentStore.load(gh, marker.source, appLogin);
  const row = status.row(marker.target);
  if (!row) return;
  const next = followed(row, pr, deps.now().toISOString());
  if (next) {
    await status.upsert(next);
    deps.log.info(
      { repo: `${event.owner}/${event.repo}`, pull: marker.source, target: marker.target, state: next.state },
      'status row follows the backport pull request',
    );
  }
}

/** The row once it follows `pr`, or undefined when it stays as it is. */
function followed(row: StatusRow, pr: GhPull, at: string): StatusRow | undefined {
  const link = { url: pr.html_url, number: pr.number };
  const state = pr.merged_at ? 'merged' : pr.state === 'open' ? 'opened' : 'closed';
  const isBackport = row.link?.number === pr.number && row.state !== 'conflict';
  const isDraft = row.draft?.number === pr.number;
  if (!isBackport && !(isDraft && state === 'merged')) return undefined;
  if (isBackport && row.state === state) return undefined;
  const { target, branch } = row;
  // A merge or a close is dated by GitHub, not by when we heard of it: the ledger's rebuild
  // tells "closed" from "closed, then asked for again" by comparing the row's time with it.
  const when = (state === 'merged' ? pr.merged_at : state === 'closed' ? pr.closed_at : null) ?? at;
  return { target, ...(branch !== undefined ? { branch } : {}), state, link, at: when };
}
