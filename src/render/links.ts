/**
 * Links into the repository, derived from the original pull request's URL so GitHub
 * Enterprise hosts work without configuration.
 */

/** `https://github.com/o/r/pull/12` → `https://github.com/o/r`. */
export function repositoryUrl(pullRequestUrl: string): string {
  return pullRequestUrl.replace(/\/pull\/\d+\/?$/, '');
}

export function commitUrl(repoUrl: string, sha: string): string {
  return `${repoUrl}/commit/${sha}`;
}

export function branchUrl(repoUrl: string, branch: string): string {
  return `${repoUrl}/tree/${branch.split('/').map(encodeURIComponent).join('/')}`;
}

/** A Markdown link whose target cannot break out of the parentheses. */
export function markdownLink(label: string, url: string): string {
  return `[${label}](<${url.replace(/[<>\s]/g, encodeURIComponent)}>)`;
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}
