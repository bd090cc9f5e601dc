/** What the renderers are told about the pull request being backported. */

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

/** The character limit GitHub puts on issue, pull request and comment bodies. */
export const GITHUB_BODY_LIMIT = 65_536;

/** What our bodies aim for: below the limit, with room for GitHub's own accounting. */
export const BODY_BUDGET = 65_000;
