import { BackportError } from '../errors.js';
import { checkBranchName } from '../common/check-ref-name.js';

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

/** What the app knows about the branch it is about to (force-)push, to recognise its own work. */
export interface OwnBranchCheck {
  branch: string;
  /** The branch's current tip on the remote. */
  tip: { message: string; committer: { email: string } };
  /** The app's committer address. */
  committerEmail: string;
  /** The upstream commits of this backport, and its pull request. */
  sources: readonly string[];
  pullNumber: number;
}

/**
 * A branch under the app's prefix may still be someone else's: a person may have named a
 * manual backport the same way, may have pushed a resolution onto the app's draft, or
 * `branchName` may render the name of an existing branch. The app overwrites a branch only
 * when its tip is a commit the app made for this backport: a pick of one of the source
 * commits, or the conflict-marker draft of this pull request.
 */
export function isOwnBranchTip(check: OwnBranchCheck): boolean {
  const { tip } = check;
  return (
    tip.committer.email === check.committerEmail &&
    (check.sources.some((sha) => tip.message.includes(`(cherry picked from commit ${sha})`)) ||
      tip.message.startsWith(`WIP: backport #${check.pullNumber} `))
  );
}
