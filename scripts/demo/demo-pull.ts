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
  /** When the PR is opened and merged, on GitHub's scripted clock; default: now. */
  openedAt?: string;
  mergedAt?: string;
}

export interface MergedPull {
  number: number;
  mergeCommitSha: string;
  labels: string[];
}

export const MAINTAINER = 'maint';

/**
 * Opens the PR and has the maintainer label it (GitHub sends `opened` and `labeled`; the app
 * waits for the merge), lets the app finish, then squash-merges it, which sends `pull_request.closed`
 * with `merged: true`: that delivery is what starts the backports.
 */
export async function openAndMerge(
  sim: GitHubSim,
  pull: DemoPull,
  settle: () => Promise<void>,
): Promise<MergedPull> {
  sim.addCollaborator(pull.repo, MAINTAINER, 'maintain');
  const labels = pull.targets.map((t) => `backport-to: ${t}`);
  if (pull.openedAt) sim.setTime(pull.openedAt);
  const number = await sim.createPull({
    repo: pull.repo,
    head: pull.head,
    base: pull.base,
    title: pull.title,
    body: pull.body,
    user: pull.author,
  });
  // The maintainer labels it, as on GitHub: the app acts on labels from people with write access.
  for (const label of labels) await sim.addLabel(pull.repo, number, label, MAINTAINER);
  // Review takes a while: what the app does on the open PR is done before the merge.
  await settle();
  if (pull.mergedAt) sim.setTime(pull.mergedAt);
  const mergeCommitSha = await sim.mergePull({
    repo: pull.repo,
    number,
    method: 'squash',
    mergedBy: MAINTAINER,
  });
  return { number, mergeCommitSha, labels };
}
