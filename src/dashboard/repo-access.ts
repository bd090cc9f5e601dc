/**
 * Who may see a repository on the dashboard. Public repositories are shown to anyone; a
 * private one only to a signed-in person whose own token can read it on GitHub.
 */
import { createHash } from 'node:crypto';
import { BackportError } from '../errors.js';
import { githubHeaders } from './github-oauth.js';

export interface RepoAccess {
  isPublic(repo: string): Promise<boolean>;
  canRead(userToken: string, repo: string): Promise<boolean>;
}

export interface GitHubAccessOptions {
  /** What the app knows of the repository's visibility (from webhooks); unknown counts as private. */
  isPublic: (repo: string) => Promise<boolean> | boolean;
  apiUrl?: string;
  fetch?: typeof fetch;
  /** How long an answer is reused for one token and repository (default one minute). */
  cacheMs?: number;
  now?: () => number;
}

/**
 * `GET /repos/{owner}/{repo}` with the person's token: 200 means they can read it; 404, 403
 * and 401 mean they cannot (GitHub answers 404 for private repositories you cannot see).
 * Anything else is a failure the caller must treat as "no".
 */
export function githubAccess(options: GitHubAccessOptions): RepoAccess {
  const cache = new Map<string, { ok: boolean; until: number }>();
  const now = options.now ?? Date.now;
  const ttl = options.cacheMs ?? 60_000;
  return {
    isPublic: async (repo) => options.isPublic(repo),
    async canRead(token, repo) {
      // Keyed by a hash so the cache never holds a token in clear.
      const key = `${createHash('sha256').update(token).digest('hex')}:${repo.toLowerCase()}`;
      const hit = cache.get(key);
      if (hit && hit.until > now()) return hit.ok;
      const [owner, name] = repo.split('/').map(encodeURIComponent);
      const res = await (options.fetch ?? fetch)(
        `${options.apiUrl ?? 'https://api.github.com'}/repos/${owner}/${name}`,
        {
          headers: githubHeaders(token),
        },
      );
      await res.body?.cancel();
      if (res.status === 429 || (res.status === 403 && res.headers.get('x-ratelimit-remaining') === '0')) {
        throw new BackportError('rate-limited', 'GitHub is rate-limiting access checks; try again shortly.');
      }
      if (![200, 401, 403, 404].includes(res.status)) {
        throw new BackportError('github-error', 'GitHub could not confirm access to the repository.', {
          status: res.status,
        });
      }
      const ok = res.status === 200;
      if (cache.size > 10_000) cache.clear();
      cache.set(key, { ok, until: now() + ttl });
      return ok;
    },
  };
}
