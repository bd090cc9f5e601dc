/**
 * The numbers GitHub computes for an open pull request from git: whether it merges cleanly
 * (a `git merge-tree` of base and head), its test merge commit, and the size of its diff from
 * the merge base.
 *
 * Mergeability is GitHub's background job: the answer to creating a pull request says
 * `mergeable: null` (the job has only started), and a later read gives the result
 * ("after giving the job time to complete, resubmit the request", GitHub's REST docs).
 */
import { Memo, git, identityEnv, runGit } from './git.js';
import { GITHUB_COMMITTER } from './repo-store.js';
import type { PullStats } from './serialize-issue.js';
import type { SimIssue, SimRepo } from './state.js';

/** Test merges are dated at a fixed time, so the same base and head give the same commit. */
const TEST_MERGE_TIME = 1704067200;

/** A diff between two commits never changes: asked of git once per pair (see `Memo`). */
const diffSizes = new Memo<string>(2000);

/**
 * `mergeability`: `wait` (a read of the pull request) gives the test merge's result, made
 * now if it is not known yet; `background` (the answer to creating it) gives what is known
 * for the current base and head, else `null`, and leaves the test merge to `started`, which
 * the caller runs after answering (see `startTestMerge`).
 */
export async function pullStats(
  repo: SimRepo,
  issue: SimIssue,
  mergeability: 'wait' | 'background' = 'wait',
): Promise<PullStats> {
  const pr = issue.pull!;
  let mergeable: boolean | null = null;
  if (issue.state === 'open') {
    if (mergeability === 'wait') mergeable = (await testMerge(repo, issue)) !== null;
    else if (testMergeKnown(issue)) mergeable = pr.testMerge!.sha !== null;
  }
  const numstat = await diffSizes.get(`${repo.path}\0${pr.baseSha}...${pr.headSha}`, () =>
    git(repo.path, ['diff', '--numstat', `${pr.baseSha}...${pr.headSha}`]),
  );
  let additions = 0;
  let deletions = 0;
  const lines = numstat.split('\n').filter(Boolean);
  for (const line of lines) {
    const [a, d] = line.split('\t');
    additions += Number(a) || 0;
    deletions += Number(d) || 0;
  }
  return { mergeable, additions, deletions, changedFiles: lines.length };
}

/**
 * GitHub's test merge of an open pull request: a merge commit of the head into the base tip,
 * at `refs/pull/N/merge`, which it reports as `merge_commit_sha` (what CI checks out for a
 * pull request). None when the two do not merge cleanly. Recomputed only when base or head moved.
 */
export async function testMerge(repo: SimRepo, issue: SimIssue): Promise<string | null> {
  const pr = issue.pull!;
  if (testMergeKnown(issue)) return pr.testMerge!.sha;
  // One test merge per base and head at a time: the background job's, if it is under way.
  const key = `${pr.baseSha} ${pr.headSha}`;
  const running = inFlight.get(issue);
  if (running?.key === key) return running.done;
  const done = makeTestMerge(repo, issue);
  inFlight.set(issue, { key, done });
  try {
    return await done;
  } finally {
    if (inFlight.get(issue)?.done === done) inFlight.delete(issue);
  }
}

/** True when the test merge of the pull request's current base and head is known. */
export function testMergeKnown(issue: SimIssue): boolean {
  const pr = issue.pull!;
  return pr.testMerge?.base === pr.baseSha && pr.testMerge.head === pr.headSha;
}

/** Test merges under way, by pull request, with the base and head they merge. */
const inFlight = new WeakMap<SimIssue, { key: string; done: Promise<string | null> }>();

async function makeTestMerge(repo: SimRepo, issue: SimIssue): Promise<string | null> {
  const pr = issue.pull!;
  // A refresh may move base or head while git works: the result is for these two.
  const { baseSha, headSha } = pr;
  const ref = `refs/pull/${issue.number}/merge`;
  const r = await runGit(repo.path, ['merge-tree', '--write-tree', '--no-messages', baseSha, headSha], {
    okCodes: [1],
  });
  let sha: string | null = null;
  if (r.code === 0) {
    const tree = r.stdout.trim().split('\n')[0]!;
    const message = `Merge ${headSha} into ${baseSha}`;
    const who = { ...GITHUB_COMMITTER, time: TEST_MERGE_TIME };
    sha = await git(repo.path, ['commit-tree', tree, '-p', baseSha, '-p', headSha, '-m', message], {
      env: identityEnv(who, who),
    });
    await git(repo.path, ['update-ref', ref, sha]);
  } else {
    await git(repo.path, ['update-ref', '-d', ref]);
  }
  pr.testMerge = { base: baseSha, head: headSha, sha };
  return sha;
}
