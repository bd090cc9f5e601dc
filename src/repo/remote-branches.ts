import git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import { BackportError } from '../errors.js';
import type { RemoteAccess } from './git-remote.js';

/**
 * Every branch name of a remote (`git ls-remote --heads`), for configurations that name the
 * supported branches by a pattern. One request, no objects transferred.
 */
export async function listRemoteBranches(remote: RemoteAccess): Promise<string[]> {
  try {
    const refs = await git.listServerRefs({
      http,
      url: remote.url,
      prefix: 'refs/heads/',
      // The token goes in the Authorization header only, never in the URL.
      onAuth: async () => ({ username: 'x-access-token', password: await remote.token() }),
    });
    return refs.map((r) => r.ref.slice('refs/heads/'.length)).sort();
  } catch (err) {
    const status = (err as { data?: { statusCode?: number } }).data?.statusCode;
    throw new BackportError(
      'fetch-failed',
      `Could not list the branches: ${status ? `the server answered ${status}` : 'a network error'}.`,
      { status },
      { cause: err },
    );
  }
}
