/**
 * GitHub's three ways to land a pull request, done with real git so the graph is the one the
 * app will meet in production:
 * - merge: one commit with parents (base tip, head tip);
 * - squash: one commit on the base tip with the merged tree, authored by the PR author;
 * - rebase: every PR commit replayed on the base tip (authors kept, GitHub as committer).
 * git 2.39 has neither `merge-tree --merge-base` nor `git replay`, so rebase uses a throwaway
 * worktree and `git cherry-pick` (or, when the base has not moved, replay.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  commitsBetween,
  git,
  identityEnv,
  readCommit,
  readCommits,
  runGit,
  type GitIdentity,
} from './git.js';
import { replayOnUnmovedBase } from './replay.js';
import { GITHUB_COMMITTER, type CommitClock } from './repo-store.js';

export type MergeMethod = 'merge' | 'squash' | 'rebase';

export interface MergeInput {
  repoPath: string;
  baseRef: string;
  baseSha: string;
  headSha: string;
  number: number;
  title: string;
  /** "owner/branch" as GitHub writes it in merge commit messages. */
  headLabel: string;
  prAuthor: GitIdentity;
  mergedBy: GitIdentity;
  clock: CommitClock;
}

export interface MergeResult {
  /** What GitHub reports as merge_commit_sha (for rebase: the last replayed commit). */
  mergeCommitSha: string;
  /** Every commit the merge added to the base branch, oldest first. */
  landed: string[];
}

async function mergedTree(input: MergeInput): Promise<string> {
  const r = await runGit(
    input.repoPath,
    ['merge-tree', '--write-tree', '--no-messages', input.baseSha, input.headSha],
    {
      okCodes: [1],
    },
  );
  if (r.code === 1) {
    throw new Error(
      `mergePull: #${input.number} conflicts with ${input.baseRef}; resolve it in the test setup`,
    );
  }
  return r.stdout.split('\n')[0]!.trim();
}

async function commitTree(
  input: MergeInput,
  tree: string,
  parents: string[],
  message: string,
  author: GitIdentity,
) {
  const time = input.clock.next();
  return git(input.repoPath, ['commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), '-F', '-'], {
    input: message,
    env: identityEnv({ ...author, time }, { ...GITHUB_COMMITTER, time }),
  });
}

async function mergeCommit(input: MergeInput): Promise<MergeResult> {
  const tree = await mergedTree(input);
  const message = `Merge pull request #${input.number} from ${input.headLabel}\n\n${input.title}\n`;
  const sha = await commitTree(input, tree, [input.baseSha, input.headSha], message, input.mergedBy);
  return { mergeCommitSha: sha, landed: [sha] };
}

async function squashCommit(input: MergeInput, commits: string[]): Promise<MergeResult> {
  const tree = await mergedTree(input);
  const subjects: string[] = [];
  await readCommits(input.repoPath, commits);
  for (const c of commits) subjects.push(`* ${(await readCommit(input.repoPath, c)).message.trim()}`);
  const message = `${input.title} (#${input.number})\n\n${subjects.join('\n\n')}\n`;
  const sha = await commitTree(input, tree, [input.baseSha], message, input.prAuthor);
  return { mergeCommitSha: sha, landed: [sha] };
}

async function rebaseCommits(input: MergeInput, commits: string[]): Promise<MergeResult> {
  const committer = `${GITHUB_COMMITTER.name} <${GITHUB_COMMITTER.email}>`;
  const replayed = await replayOnUnmovedBase(input.repoPath, input.baseSha, commits, committer, () =>
    input.clock.next(),
  );
  if (replayed) return { mergeCommitSha: replayed[replayed.length - 1]!, landed: replayed };
  await readCommits(input.repoPath, commits);
  for (const c of commits) {
    if ((await readCommit(input.repoPath, c)).parents.length > 1) {
      throw new Error(
        `mergePull: #${input.number} contains merge commit ${c}; GitHub cannot rebase-merge it`,
      );
    }
  }
  const tmp = mkdtempSync(join(tmpdir(), 'sim-rebase-'));
  const work = join(tmp, 'wt');
  await git(input.repoPath, ['worktree', 'add', '--quiet', '--detach', work, input.baseSha]);
  try {
    const landed: string[] = [];
    for (const c of commits) {
      const time = input.clock.next();
      const r = await runGit(work, ['cherry-pick', '--allow-empty', '--keep-redundant-commits', c], {
        okCodes: [1],
        env: {
          GIT_COMMITTER_NAME: GITHUB_COMMITTER.name,
          GIT_COMMITTER_EMAIL: GITHUB_COMMITTER.email,
          GIT_COMMITTER_DATE: `${time} +0000`,
        },
      });
      if (r.code !== 0) {
        throw new Error(
          `mergePull: #${input.number} cannot be rebased onto ${input.baseRef}: commit ${c} conflicts`,
        );
      }
      landed.push(await git(work, ['rev-parse', 'HEAD']));
    }
    return { mergeCommitSha: landed[landed.length - 1] ?? input.baseSha, landed };
  } finally {
    await runGit(input.repoPath, ['worktree', 'remove', '--force', work], { okCodes: [1, 128] });
    rmSync(tmp, { recursive: true, force: true });
    await runGit(input.repoPath, ['worktree', 'prune'], { okCodes: [1, 128] });
  }
}

/** Lands the pull request on its base branch and returns what GitHub would record. */
export async function mergePullRequest(method: MergeMethod, input: MergeInput): Promise<MergeResult> {
  const commits = await commitsBetween(input.repoPath, input.baseSha, input.headSha);
  if (commits.length === 0) throw new Error(`mergePull: #${input.number} has no commits to merge`);
  const result =
    method === 'merge'
      ? await mergeCommit(input)
      : method === 'squash'
        ? await squashCommit(input, commits)
        : await rebaseCommits(input, commits);
  await git(input.repoPath, [
    'update-ref',
    `refs/heads/${input.baseRef}`,
    result.mergeCommitSha,
    input.baseSha,
  ]);
  return result;
}
