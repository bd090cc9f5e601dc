import { BackportError } from '../errors.js';
import type { RemoteAccess } from './git-remote.js';
import { discoverRefs } from './transport/ref-advertisement.js';
import { TransportError } from './transport/transport-error.js';

/**
 * Every branch name of a remote (`git ls-remote --heads`), for configurations that name the
 * supported branches by a pattern. One request, no objects transferred.
 */
export async function listRemoteBranches(remote: RemoteAccess): Promise<string[]> {
  try {
    // The token goes in the Authorization header only, never in the URL.
    const { refs } = await discoverRefs(remote.url, 'git-upload-pack', () => remote.token());
    return [...refs.keys()]
      .filter((ref) => ref.startsWith('refs/heads/'))
      .map((ref) => ref.slice('refs/heads/'.length))
      .sort();
  } catch (err) {
    const status = err instanceof TransportError ? err.status : undefined;
    throw new BackportError(
      'fetch-failed',
      `Could not list the branches: ${status ? `the server answered ${status}` : 'a network error'}.`,
      { status },
      { cause: err },
    );
  }
}
