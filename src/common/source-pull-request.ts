/**
 * The pull request being backported, as the pipeline carries it from the webhook to every
 * body the app writes. It sits low in the house because the planner, the jobs and the
 * renderers all speak of it, and none of them owns it.
 */

export type MergeMethod = 'squash' | 'merge' | 'rebase';

export interface SourcePullRequest {
  number: number;
  title: string;
  /** The pull request's page (html_url); links to commits and branches derive from it. */
  url: string;
  /** Who opened it. */
  author: string;
  /** Who merged it, when it is merged. */
  merger?: string | undefined;
  /** The branch it was merged into. */
  base: string;
  mergeMethod: MergeMethod;
}

/** An upstream commit of the series being picked. */
export interface CommitInfo {
  sha: string;
  /** First line of its message. */
  subject: string;
}
