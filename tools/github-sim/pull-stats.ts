/**
 * The numbers GitHub computes for an open pull request from git: whether it merges cleanly
 * (a `git merge-tree` of base and head), its test merge commit, and the size of its diff from
 * the merge base.
 */
import { Memo, git, identityEnv, runGit } from './git.js';
import { GITHUB_COMMITTER } from './repo-store.js';
import type { PullStats } from './serialize-issue.js';
import type { SimIssue, SimRepo } from './state.js';

/** Test merges are dated at a fixed time, so the same base and head give the same commit. */
const TEST_MERGE_TIME = 1704067200;

/** A diff between two commits never changes: asked of git once per pair (see `Memo`). */
const diffSizes = new Memo<string>(2000);

export async function pullStats(repo: SimRepo, issue: SimIssue): Promise<PullStats> {
  const pr = issue.pull!;
  let mergeable: boolean | null = null;
  if (issue.state === 'open') mergeable = (await testMerge(repo, issue)) !== null;
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
  if (pr.testMerge?.base === pr.baseSha && pr.testMerge.head === pr.headSha) return pr.testMerge.sha;
  const ref = `refs/pull/${issue.number}/merge`;
  const r = await runGit(repo.path, ['merge-tree', '--write-tree', '--no-messages', pr.baseSha, pr.headSha], {
    okCodes: [1],
  });
  let sha: string | null = null;
  if (r.code === 0) {
    const tree = r.stdout.trim().split('\n')[0]!;
    const message = `Merge ${pr.headSha} into ${pr.baseSha}`;
    const who = { ...GITHUB_COMMITTER, time: TEST_MERGE_TIME };
    sha = await git(repo.path, ['commit-tree', tree, '-p', pr.baseSha, '-p', pr.headSha, '-m', message], {
      env: identityEnv(who, who),
    });
    await git(repo.path, ['update-ref', ref, sha]);
  } else {
    await git(repo.path, ['update-ref', '-d', ref]);
  }
  pr.testMerge = { base: pr.baseSha, head: pr.headSha, sha };
  return sha;
}
