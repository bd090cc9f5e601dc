import { metrics, secondsSince } from '../common/metrics.js';
import { backportBranchPrefix } from '../config/parse-config.js';
import { BackportError } from '../errors.js';
import { cherryPick } from '../pick/cherry-pick.js';
import type { PickResult } from '../pick/types.js';
import { backportBranchName } from '../plan/targets.js';
import { findBackportPull } from '../publish/backport-pull.js';
import { repairMetadata } from './repair-metadata.js';
import type { GhPull } from '../common/github-types.js';
import { askPushRefs, deleteBranch, fetchBranch, remoteTip, type MoveGuard } from '../repo/git-remote.js';
import { pickGroups, prefetchTrees } from '../repo/prefetch-trees.js';
import { assertOwnBranch, isOwnBranchTip } from '../repo/push-guard.js';
import type { StatusRow } from '../render/status-comment.js';
import { publishBranch, type PushedThenMoved } from './publish-branch.js';
import { publishClean } from './publish-clean.js';
import { publishConflict } from './publish-conflict.js';
import { committerNow, type MakeRow, type TargetJob } from './target-job.js';

export type { TargetJob } from './target-job.js';

/** How often the pick is redone when the target branch moves while it is being made. */
const RACE_RETRIES = 3;

/**
 * One (PR, target): pick, then publish. Steps:
 *   1. find what an earlier run made (the backport PR by its branch): if there, report it;
 *      a branch that exists must be the app's own work, or it is left alone;
 *   2. fetch the target tip; refuse missing branches and oversized changes;
 *   3. cherry-pick; an empty pick means "already on the branch";
 *   4. clean: push the app's branch and open (or find) the PR, then copy metadata;
 *      conflict: file (or refresh) the issue and/or push a draft PR with markers.
 * Returns the status row to record.
 */
export async function backportTarget(job: TargetJob): Promise<StatusRow> {
  const { gh, config, pr, target } = job;
  const base = {
    target: target.target,
    ...(target.branch !== target.target ? { branch: target.branch } : {}),
  };
  const row: MakeRow = (fields) => ({
    ...base,
    ...fields,
    at: job.now().toISOString(),
  });
  const branch = backportBranchName(config, pr.number, target.target);
  assertOwnBranch(branch, backportBranchPrefix(config));

  const existing = await (job.existing ?? findBackportPull(gh, branch));
  if (existing && !existing.draft) {
    await job.statusWritten;
    if (existing.state === 'open') await repairMetadata(job, existing);
    return reportExisting(existing, row);
  }
  // What the check below vets: a push refuses to go over anything else (`MoveGuard.vetted`).
  const vetted = { tip: await remoteTip(job.remote, branch) };
  if (!(await mayOverwrite(job, branch))) {
    // A person pushed onto the app's draft (as the conflict issue tells them to): it is theirs now.
    if (existing) return reportExisting(existing, row);
    throw new BackportError(
      'push-forbidden',
      `Refusing to overwrite ${branch}: the branch exists and was not made by Backport Assistant for #${pr.number}. Delete or rename it, then ask again.`,
      { branch },
    );
  }

  if (job.source.changedPaths > config.maxFiles) {
    throw new BackportError(
      'too-many-files',
      `The change touches ${job.source.changedPaths} files, more than maxFiles (${config.maxFiles}) allows; backport it by hand or raise maxFiles.`,
      { files: job.source.changedPaths, maxFiles: config.maxFiles },
    );
  }
  // The app's branch as this job pushed it on a target that had moved meanwhile (no PR on it).
  let stale: string | undefined;
  for (let attempt = 1; ; attempt++) {
    // On an empty cache the target came with the source (`prepareSource`), its trees too:
    // then neither this fetch nor the walk below makes a request.
    const tip = await fetchBranch(job.local.gitdir, job.remote, target.branch, {
      depth: 1,
      have: job.source.plan.commits[0],
      partial: true,
      treeless: true,
    });
    if (tip === undefined) {
      throw new BackportError(
        'missing-branch',
        `There is no branch ${target.branch} in ${gh.owner}/${gh.repo}.`,
        { branch: target.branch },
      );
    }
    const guard = attempt < RACE_RETRIES;
    // The push's ref discovery. The job's, asked beside its ls-refs, serves a first push of a
    // branch that is not there yet, clean pick or conflict's draft alike: it was asked before
    // this tip was known, so the target is looked at again beside the push (`lookAgain`),
    // and a branch that went out on a tip the target has left gets no PR. Otherwise it is
    // asked now, once this tip is known. Either way the guard compares it with this tip and
    // with the app's branch as checked above, and the push names the old tip it shows.
    const early = attempt === 1 && guard && vetted.tip === undefined && !existing ? job.pushRefs : undefined;
    const asked = guard && config.commits === 'push' && !early ? await askPushRefs(job.remote) : undefined;
    // The trees the pick reads, where the cache lacks them: one request per directory level.
    await prefetchTrees(job.local.store, await pickGroups(job.local.store, job.source.plan, tip));
    const committer = committerNow(job);
    const pickStart = performance.now();
    const result = await cherryPick(job.local.store, {
      commits: job.source.plan.commits,
      onto: tip,
      mainline: job.source.plan.mainline,
      committer,
      targetName: target.branch,
    });
    metrics.pickDuration.observe(secondsSince(pickStart));
    const pushes = result.status === 'applied' ? !result.empty : config.conflict !== 'issue';
    // A branch pushed on the target's old tip, with nothing to replace it: taken back.
    if (!pushes && stale) await deleteBranch(job.remote, branch, stale);
    if (result.status === 'applied' && result.empty) {
      job.local.store.discard();
      return row({ state: 'already-applied' });
    }
    if (pushes && job.source.workflowPaths.length > 0) {
      job.local.store.discard();
      throw new BackportError(
        'push-forbidden',
        `The change edits ${job.source.workflowPaths.join(', ')}; GitHub lets an app push workflow files only with the \`workflows\` permission, which this app does not ask for. Backport it by hand: git cherry-pick -x ${job.source.plan.commits.join(' ')}`,
        { paths: job.source.workflowPaths },
      );
    }
    // Commits and trees are written only now, once there is something to push.
    await job.local.store.flush();
    await job.statusWritten;
    let unlessMoved: MoveGuard | undefined;
    if (guard) {
      unlessMoved = { branch: target.branch, tip };
      // A conflict's draft uses the job's discovery too: asking another once the pick had
      // conflicted was a second receive-pack round trip, and for an issue a request for nothing.
      if (early) {
        const lookAgain = () => job.remote.look(target.branch);
        unlessMoved = { ...unlessMoved, ...(await early), vetted, lookAgain };
      } else if (asked) {
        unlessMoved = { ...unlessMoved, ...asked, vetted };
      }
    }
    const published = await publish(job, { branch, tip, result, existing, row }, unlessMoved);
    if (published === 'moved') continue;
    if ('pushedThenMoved' in published) {
      // The branch is the app's own push now: the next push goes over it, and no other.
      stale = vetted.tip = published.pushedThenMoved;
      continue;
    }
    return published;
  }
}

/**
 * Publishes a pick, unless the target moved while we worked (`'moved'`: pick again on its
 * new tip rather than publish a stale base; `pushedThenMoved`: the same, the app's branch
 * holding the commit pushed on the old tip, with no PR on it). Both learn that from a push's
 * own ref advertisement, and from the look beside the push when that advertisement was
 * asked before the tip was known: a clean pick from the push of its branch, a conflict from
 * the push of its draft. A conflict that files an issue with no draft pushed looks at the
 * target once before the issue is written (`'moved'` too): an issue is never filed on a tip
 * the target had left by then, and a new pick there may well apply.
 */
async function publish(
  job: TargetJob,
  p: { branch: string; tip: string; result: PickResult; existing: GhPull | undefined; row: MakeRow },
  unlessMoved: MoveGuard | undefined,
): Promise<StatusRow | 'moved' | PushedThenMoved> {
  if (p.result.status === 'applied') {
    // Forced: a draft left by an earlier conflicting run is replaced by the clean pick.
    const head = await publishBranch(job, {
      branch: p.branch,
      commit: p.result.commit,
      onto: p.tip,
      unlessMoved,
    });
    if (head === 'moved' || head === 'pushed-then-moved') {
      job.remote.forget();
      return head === 'moved' ? head : { pushedThenMoved: p.result.commit };
    }
    return publishClean(job, p.branch, head, p.existing, p.row, p.tip);
  }
  const published = await publishConflict(job, p.branch, p.result, p.existing, p.row, p.tip, unlessMoved);
  if (published === 'moved' || 'pushedThenMoved' in published) job.remote.forget();
  return published;
}

/** True when `branch` is absent on the remote, or its tip is the app's own work for this backport. */
export async function mayOverwrite(job: TargetJob, branch: string): Promise<boolean> {
  const tip = await remoteTip(job.remote, branch);
  if (tip === undefined) return true;
  await fetchBranch(job.local.gitdir, job.remote, branch, {
    depth: 1,
    have: job.source.plan.commits[0],
    partial: true,
  });
  const commit = await job.local.store.readCommit(tip);
  // Commits written through the API (`commits: api`) are GitHub's, in the name of the app's bot.
  const apiCommitter =
    job.config.commits === 'api' && /\[bot\]@users\.noreply\.github\.com$/.test(commit.committer.email);
  return isOwnBranchTip({
    branch,
    tip: commit,
    committerEmail: apiCommitter ? commit.committer.email : job.committer.email,
    sources: job.source.plan.commits,
    pullNumber: job.pr.number,
  });
}

function reportExisting(pull: GhPull, row: MakeRow): StatusRow {
  const link = { url: pull.html_url, number: pull.number };
  if (pull.merged_at) return row({ state: 'merged', link });
  if (pull.state === 'open') return row({ state: 'opened', link });
  return row({ state: 'closed', link });
}
