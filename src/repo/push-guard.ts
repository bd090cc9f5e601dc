import { BackportError } from '../errors.js';
import { checkBranchName } from '../plan/check-ref-name.js';

/**
 * The app pushes only to its own branches: under the configured prefix (`backport/` by
 * default), never a target branch, never anyone else's. Every push goes through this check.
 */
export function assertOwnBranch(branch: string, prefix: string): void {
  const invalid = checkBranchName(branch);
  if (prefix === '' || !branch.startsWith(prefix) || invalid) {
    throw new BackportError(
      'push-forbidden',
      `Refusing to push to ${branch}: the app only pushes branches under ${prefix || '(no prefix)'}.`,
      {
        branch,
        prefix,
      },
    );
  }
}
