import { findMarkedFiles } from '../pick/find-markers.js';
import type { ObjectStore } from '../pick/object-store.js';
import { writeCheckRun } from '../publish/check-run.js';
import { markReadyForReview } from '../publish/pull-request-mutations.js';
import { GitHubClient, type ClientDeps } from '../publish/github-client.js';
import type { GhPull } from '../common/github-types.js';
import { isApp } from '../common/is-app.js';
import { fetchOnDemand } from '../repo/fetch-missing-objects.js';
import { fetchBranch } from '../repo/git-remote.js';
import { prefetchTrees } from '../repo/prefetch-trees.js';
import { RemoteSession } from '../repo/remote-session.js';
import type { RepoOpener } from '../repo/repo-cache.js';
import { findMarker } from '../render/marker.js';
import { MARKER_CHECK_NAME, renderMarkerCheck, type MarkerCheckText } from '../render/marker-check.js';
import type { InstallationAccess } from './backport-request.js';

/** "A pull request of this repository changed": the event layer's hand-over for the gate. */
export interface MarkerGateRequest {
  owner: string;
  repo: string;
  /** The repository's https clone URL (no credentials in it). */
  cloneUrl: string;
  pullNumber: number;
}

export interface MarkerGateDeps extends ClientDeps {
  repos: RepoOpener;
}

/**
 * Reports the marker check on `head`: it fails while a file the change `base` → `head`
 * touched holds more conflict-marker lines than before, and passes otherwise. Returns
 * whether it passed.
 */
export async function gateMarkers(
  gh: GitHubClient,
  store: ObjectStore,
  commits: { head: string; base: string },
  /** The check, when the caller read it ahead (`readMarkers`, beside another request). */
  ready?: Promise<MarkerCheckText>,
): Promise<boolean> {
  const text = await (ready ?? readMarkers(store, commits));
  await writeCheckRun(gh, { name: MARKER_CHECK_NAME, headSha: commits.head, ...text });
  return text.conclusion === 'success';
}

/**
 * The marker check's text for `head` against `base`, read from the store (which fetches the
 * blobs a partial cache lacks). A failure surfaces where it is awaited (`gateMarkers`).
 */
export function readMarkers(
  store: ObjectStore,
  commits: { head: string; base: string },
): Promise<MarkerCheckText> {
  const read = (async () => {
    const [head, base] = [await store.readCommit(commits.head), await store.readCommit(commits.base)];
    return renderMarkerCheck(await findMarkedFiles(store, base.tree, head.tree));
  })();
  read.catch(() => undefined);
  return read;
}

/**
 * The gate again after someone pushed to one of the app's own backport PRs or drafts
 * (`synchronize`). Steps:
 *   1. read the PR fresh: only an open PR the app opened (its bot, its hidden marker),
 *      whose head lives in this repository, is checked;
 *   2. fetch the base branch and the head branch, one commit each;
 *   3. a head that moved on since the event is left to the next event's run;
 *   4. compare the head with the base branch's tip and report the check;
 *   5. a draft the app opened with conflict markers that has none left is ready for review.
 */
export async function runMarkerGate(
  req: MarkerGateRequest,
  access: InstallationAccess,
  deps: MarkerGateDeps,
): Promise<void> {
  const gh = GitHubClient.forRepo(access.request, req.owner, req.repo, deps);
  const pull = await gh.get<GhPull>('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
    pull_number: req.pullNumber,
  });
  const sameRepo = pull.head.repo?.full_name.toLowerCase() === `${req.owner}/${req.repo}`.toLowerCase();
  const ours =
    isApp(pull.user, await access.appLogin()) && findMarker(pull.body, 'backport-pr') !== undefined;
  if (pull.state !== 'open' || !sameRepo || !ours) return;

  const local = await deps.repos.open(req.owner, req.repo);
  const remote = RemoteSession.forBranches({ url: req.cloneUrl, token: access.token }, [
    pull.base.ref,
    pull.head.ref,
  ]);
  // The cache may be partial (backports fetch without blobs): the gate fetches what it reads.
  fetchOnDemand(local, remote);
  const base = await fetchBranch(local.gitdir, remote, pull.base.ref, { depth: 1 });
  const head = await fetchBranch(local.gitdir, remote, pull.head.ref, { depth: 1, have: base });
  if (base === undefined || head !== pull.head.sha) return;
  // A cache a cold backport left treeless lacks the base's trees below those that pick read:
  // the diff's trees level by level (one request a level), not one request per directory.
  await prefetchTrees(local.store, [[base, head]]);
  const clean = await gateMarkers(gh, local.store, { head, base });
  if (clean && pull.draft && pull.node_id) await markReadyForReview(gh, pull.node_id);
}
