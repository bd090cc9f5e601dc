import { BackportError } from '../errors.js';
import type { GitHubClient } from './github-client.js';

export type AutoMergeMethod = 'merge' | 'squash' | 'rebase';

/** What became of turning auto-merge on; `message` is GitHub's own words when it refused. */
export type AutoMergeOutcome =
  { state: 'enabled' } | { state: 'not-allowed' } | { state: 'refused'; message: string };

const ENABLE_AUTO_MERGE = `mutation EnableAutoMerge($id: ID!, $method: PullRequestMergeMethod) {
  enablePullRequestAutoMerge(input: { pullRequestId: $id, mergeMethod: $method }) {
    pullRequest { autoMergeRequest { mergeMethod } }
  }
}`;

const MARK_READY = `mutation MarkReady($id: ID!) {
  markPullRequestReadyForReview(input: { pullRequestId: $id }) {
    pullRequest { isDraft }
  }
}`;

/**
 * Turns on GitHub's native auto-merge for a pull request (GraphQL only). A repository whose
 * settings do not allow auto-merge is an answer, not a failure: the status comment says so.
 */
export async function enableAutoMerge(
  gh: GitHubClient,
  pullNodeId: string,
  method: AutoMergeMethod,
): Promise<AutoMergeOutcome> {
  const answer = await gh.graphql<{ enablePullRequestAutoMerge: unknown }>(ENABLE_AUTO_MERGE, {
    id: pullNodeId,
    method: method.toUpperCase(),
  });
  const error = answer.errors?.[0];
  if (!error) return { state: 'enabled' };
  if (/auto.?merge is not allowed/i.test(error.message)) return { state: 'not-allowed' };
  return { state: 'refused', message: error.message };
}

/** Marks a draft pull request ready for review; throws GitHub's words when it refuses. */
export async function markReadyForReview(gh: GitHubClient, pullNodeId: string): Promise<void> {
  const answer = await gh.graphql<unknown>(MARK_READY, { id: pullNodeId });
  const error = answer.errors?.[0];
  if (error) {
    throw new BackportError(
      'github-error',
      `GitHub refused to mark the draft ready for review: ${error.message}`,
      {
        status: 200,
        route: 'POST /graphql',
        error: error.message,
      },
    );
  }
}
