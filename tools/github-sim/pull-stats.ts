/**
 * The numbers GitHub computes for an open pull request from git: whether it merges cleanly
 * (a `git merge-tree` of base and head) and the size of its diff from the merge base.
 */
import { git, runGit } from './git.js';
import type { PullStats } from './serialize-issue.js';
import type { SimIssue, SimRepo } from './state.js';

export async function pullStats(repo: SimRepo, issue: SimIssue): Promise<PullStats> {
  const pr = issue.pull!;
  let mergeable: boolean | null = null;
  if (issue.state === 'open') {
    const r = await runGit(
      repo.path,
      ['merge-tree', '--write-tree', '--no-messages', pr.baseSha, pr.headSha],
      { okCodes: [1] },
    );
    mergeable = r.code === 0;
  }
  const numstat = await git(repo.path, ['diff', '--numstat', `${pr.baseSha}...${pr.headSha}`]);
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
