import { parseConfig } from '../config/parse-config.js';
import type { BackportConfig } from '../config/schema.js';
import type { GhPull } from '../common/github-types.js';
import { isBackportError } from '../errors.js';
import { cherryPick } from '../pick/cherry-pick.js';
import { resolveTargets, type Target } from '../plan/targets.js';
import { GitHubClient } from '../publish/github-client.js';
import { PreviewCheckRun, type PreviewConclusion } from '../publish/preview-check-run.js';
import { fetchOnDemand } from '../repo/fetch-missing-objects.js';
import { pickGroups, prefetchTrees } from '../repo/prefetch-trees.js';
import { fetchRefs } from '../repo/fetch-refs.js';
import { RemoteSession } from '../repo/remote-session.js';
import type { CachedRepository } from '../repo/repo-cache.js';
import {
  renderPreviewCheck,
  renderPreviewUnavailable,
  type PreviewOutcome,
} from '../render/preview-check.js';
import type { BackportRequest, InstallationAccess } from './backport-request.js';
import type { RunDeps } from './run-backport.js';

/** How often GitHub is asked again while it is still making the pull request's test merge. */
const MERGEABLE_TRIES = 4;
const MERGEABLE_WAIT_MS = 1000;

/**
 * The "Backport preview" check of an open pull request. Steps:
 *   1. read the configuration (broken, or `preview: off`: nothing to do);
 *   2. load the PR (closed or merged: the backport itself takes over) and resolve its targets;
 *      with none, only an earlier preview on this head is corrected;
 *   3. wait for GitHub's test merge of the head into the base: what the merge would produce;
 *   4. one ref discovery and one fetch: the test merge with its parents, and every target's
 *      tip, commits and trees only when the server can leave blobs out;
 *   5. pick the test merge (against the base tip) onto each target, keeping nothing;
 *   6. complete the check run, one line per target.
 * Writes no ref, branch or comment on GitHub: only the check run.
 */
export async function previewBackport(
  req: BackportRequest,
  access: InstallationAccess,
  deps: RunDeps,
): Promise<void> {
  const config = readConfig(req);
  if (!config || config.preview === 'off') return;
  const gh = GitHubClient.forRepo(access.request, req.owner, req.repo, deps);
  let pr = await gh.get<GhPull>('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
    pull_number: req.pullNumber,
  });
  if (pr.state !== 'open') return;
  const { targets, rejected } = resolveTargets({ labels: pr.labels, config, baseBranch: pr.base.ref });
  const check = await PreviewCheckRun.load(gh, pr.head.sha);
  if (targets.length === 0 && rejected.length === 0) {
    if (check.exists)
      await check.publish(
        renderPreviewUnavailable('No backport label is left on this pull request.'),
        'neutral',
      );
    return;
  }
  pr = await withTestMerge(gh, pr, deps.sleep);
  if (!pr.merge_commit_sha) {
    const why = `#${pr.number} does not merge cleanly into ${pr.base.ref}; the preview follows once it does.`;
    return check.publish(renderPreviewUnavailable(why), 'neutral');
  }
  const local = await deps.repos.open(req.owner, req.repo);
  const mergeRef = `refs/pull/${pr.number}/merge`;
  const branchRef = (t: Target) => `refs/heads/${t.branch}`;
  const refs = [mergeRef, ...targets.map(branchRef)];
  // One ref discovery for the job, as a backport makes; the fetch brings commits and trees
  // (on a server that can leave blobs out), and the picks fetch the blobs they read, in batches.
  const remote = new RemoteSession({ url: req.cloneUrl, token: access.token }, refs);
  fetchOnDemand(local, remote);
  const tips = await fetchRefs(local.gitdir, remote, refs, { depth: 2, partial: true });
  const merge = tips.get(mergeRef);
  if (merge === undefined || !(await isTestMergeOf(local, merge, pr.head.sha))) {
    const why = `GitHub has not finished merging the latest head of #${pr.number} for testing; the preview follows the next update.`;
    return check.publish(renderPreviewUnavailable(why), 'neutral');
  }
  const outcomes: PreviewOutcome[] = rejected.map((r) => ({
    target: r.target,
    branch: r.target,
    state: 'refused',
    reason: r.reason,
  }));
  // The trees the picks read, for every target in one level-wise walk (a cache a cold
  // backport left treeless lacks most of them), instead of one request per directory read.
  const onto = targets.map((t) => tips.get(branchRef(t))).filter((t): t is string => t !== undefined);
  await prefetchTrees(local.store, await pickGroups(local.store, { commits: [merge], mainline: 1 }, onto));
  for (const t of targets) outcomes.push(await previewTarget(local, merge, t, tips.get(branchRef(t)), deps));
  await check.publish(renderPreviewCheck(outcomes), conclusionOf(config, outcomes));
}

/** The pull request once GitHub has worked out its mergeability (and so its test merge). */
async function withTestMerge(
  gh: GitHubClient,
  pr: GhPull,
  sleep: RunDeps['sleep'] = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<GhPull> {
  for (let i = 1; pr.mergeable === null && i < MERGEABLE_TRIES; i++) {
    await sleep(MERGEABLE_WAIT_MS * i);
    pr = await gh.get<GhPull>('GET /repos/{owner}/{repo}/pulls/{pull_number}', { pull_number: pr.number });
  }
  return pr;
}

/** True when `merge` merges `head` (GitHub remakes the test merge a little after a push). */
async function isTestMergeOf(local: CachedRepository, merge: string, head: string): Promise<boolean> {
  const commit = await local.store.readCommit(merge);
  return commit.parents.length === 2 && commit.parents[1] === head;
}

/** One target: the engine's verdict on picking the test merge there; nothing is kept. */
async function previewTarget(
  local: CachedRepository,
  merge: string,
  target: Target,
  tip: string | undefined,
  deps: RunDeps,
): Promise<PreviewOutcome> {
  const at = { target: target.target, branch: target.branch };
  if (tip === undefined) return { ...at, state: 'refused', reason: `There is no branch ${target.branch}.` };
  try {
    const result = await cherryPick(local.store, {
      commits: [merge],
      onto: tip,
      mainline: 1,
      committer: { ...deps.committer, timestamp: Math.floor(deps.now().getTime() / 1000), timezoneOffset: 0 },
      targetName: target.branch,
    });
    if (result.status === 'conflict') return { ...at, state: 'conflict', conflicts: result.conflicts };
    return { ...at, state: result.empty ? 'already-applied' : 'clean' };
  } finally {
    // A preview never publishes: what the pick wrote is dropped.
    local.store.discard();
  }
}

function conclusionOf(config: BackportConfig, outcomes: readonly PreviewOutcome[]): PreviewConclusion {
  if (config.preview !== 'required') return 'neutral';
  return outcomes.some((o) => o.state === 'conflict') ? 'failure' : 'success';
}

/** The parsed configuration; null when it is broken (the backport reports that, on the merge). */
function readConfig(req: BackportRequest): BackportConfig | null {
  if (req.configError) return null;
  try {
    return parseConfig(req.rawConfig);
  } catch (err) {
    if (isBackportError(err, 'invalid-config')) return null;
    throw err;
  }
}
