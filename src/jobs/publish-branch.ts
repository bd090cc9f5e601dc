import { writeCommitsThroughApi } from '../publish/api-commits.js';
import { fetchBranch, pushBranch, remoteTip, transportError, type MoveGuard } from '../repo/git-remote.js';
import type { TargetJob } from './target-job.js';

/**
 * A branch pushed on a target that moved meanwhile (seen beside the push): it holds the
 * commit named here, the app's own, and no PR was opened on it. The pick is made again on
 * the new tip and pushed over it, or the branch is taken back.
 */
export interface PushedThenMoved {
  pushedThenMoved: string;
}

/** How many commits a backport branch holds at most (a rebase-merged PR's series). */
const MAX_SERIES = 300;

/**
 * Puts the app's commits (from `onto`, the target's tip, up to `commit`) on its branch, as
 * `commits` says: a git push, or GitHub's Git Database API, which makes GitHub sign them (the
 * new head is then fetched back, one small pack, so the checks that follow read it here).
 * Returns the branch's head on GitHub, or 'moved' when `unlessMoved` saw the target move on
 * (before the push), or 'pushed-then-moved' (beside it: the branch holds `commit`).
 */
export async function publishBranch(
  job: TargetJob,
  opts: {
    branch: string;
    commit: string;
    onto: string;
    unlessMoved?: MoveGuard | undefined;
  },
): Promise<string | 'moved' | 'pushed-then-moved'> {
  if (job.config.commits === 'push') {
    const pushed = await pushBranch(job.local.gitdir, job.remote, {
      branch: opts.branch,
      commit: opts.commit,
      base: job.target.branch,
      force: true,
      unlessMoved: opts.unlessMoved,
    });
    return pushed === 'pushed' ? opts.commit : pushed;
  }
  // The target looked at anew (the job's snapshot would only repeat the tip picked on),
  // beside the API's writes: only the ref's move publishes them, and it waits for the look.
  const guard = opts.unlessMoved;
  const stillOnBase = guard ? lookAt(job, guard.branch).then((now) => now === guard.tip) : undefined;
  stillOnBase?.catch(() => undefined);
  const commits = await series(job, opts.commit, opts.onto);
  const head = await writeCommitsThroughApi(job.gh, job.local.store, {
    branch: opts.branch,
    base: opts.onto,
    commits,
    exists: (await remoteTip(job.remote, opts.branch)) !== undefined,
    stillOnBase,
  });
  if (head === 'moved') return head;
  job.remote.forget();
  await fetchBranch(job.local.gitdir, job.remote, opts.branch, { depth: 1, have: opts.commit });
  return head;
}

/** Where `branch` points now, on the remote (a failure is the job's `fetch-failed`). */
async function lookAt(job: TargetJob, branch: string): Promise<string | undefined> {
  try {
    return await job.remote.look(branch);
  } catch (err) {
    throw transportError('fetch-failed', `Could not list ${branch}`, err);
  }
}

/** The commits from `onto` (excluded) to `commit`, oldest first, along first parents. */
async function series(job: TargetJob, commit: string, onto: string): Promise<string[]> {
  const out: string[] = [];
  for (let oid = commit; oid !== onto;) {
    if (out.length >= MAX_SERIES) throw new Error(`${commit} is not within ${MAX_SERIES} commits of ${onto}`);
    out.unshift(oid);
    oid = (await job.local.store.readCommit(oid)).parents[0]!;
  }
  return out;
}
