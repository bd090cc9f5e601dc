/**
 * Where GitHub lives, derived from the REST base URL the app was configured with (github.com,
 * GitHub Enterprise Server's `/api/v3`, or the simulator). Git URLs are built here and never
 * taken from a webhook payload: a forged payload's `clone_url` would otherwise receive the
 * installation token.
 */

/** The web (and git) base for a REST base URL. */
export function webUrlFor(apiUrl: string): string {
  const api = apiUrl.replace(/\/+$/, '');
  if (/^https:\/\/api\.github\.com$/i.test(api)) return 'https://github.com';
  return api.replace(/\/api\/v3$/, '');
}

// GitHub's own rules for owner and repository names; anything else cannot name a repository.
const NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** The https clone URL of `owner/repo` on the configured GitHub. */
export function cloneUrlFor(apiUrl: string, owner: string, repo: string): string {
  if (!NAME.test(owner) || !NAME.test(repo) || repo === '.' || repo === '..') {
    throw new Error(`not a repository name: ${JSON.stringify(`${owner}/${repo}`)}`);
  }
  return `${webUrlFor(apiUrl)}/${owner}/${repo}.git`;
}
