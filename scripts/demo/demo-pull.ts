import type { GitHubSim } from '../../tools/github-sim/index.js';

/** The pull request the demo opens, labels and merges, as a maintainer would on GitHub. */
export interface DemoPull {
  repo: string;
  head: string;
  base: string;
  title: string;
  body: string;
  /** The PR author's login. */
  author: string;
  /** Each becomes a `backport-to: <branch>` label. */
  targets: string[];
  /** What the demo did to set this up, for the reader. */
  notes: string[];
}

export interface MergedPull {
  number: number;
  mergeCommitSha: string;
  labels: string[];
}

export const MAINTAINER = 'maint';

/**
 * Opens the PR with its backport labels (GitHub sends `opened` and `labeled`; the app waits
 * for the merge), then squash-merges it, which sends `pull_request.closed` with `merged: true`:
 * that delivery is what starts the backports.
 */
export async function openAndMerge(sim: GitHubSim, pull: DemoPull): Promise<MergedPull> {
  sim.addCollaborator(pull.repo, MAINTAINER, 'maintain');
  const labels = pull.targets.map((t) => `backport-to: ${t}`);
  const number = await sim.createPull({
    repo: pull.repo,
    head: pull.head,
    base: pull.base,
    title: pull.title,
    body: pull.body,
    user: pull.author,
    labels,
  });
  const mergeCommitSha = await sim.mergePull({
    repo: pull.repo,
    number,
    method: 'squash',
    mergedBy: MAINTAINER,
  });
  return { number, mergeCommitSha, labels };
}
