/**
 * GitHub's checks of a commit, in the one word the ledger's port asks for. It lives with the
 * GitHub adapter because it reads REST shapes; the ledger only sees the word.
 */
import type { ChecksState } from '../ledger/ledger-ports.js';

/** A check run or suite (`status`, `conclusion`) or a commit status (`state`). */
export type GitHubCheck = { status?: string | null; conclusion?: string | null } | { state: string };

/**
 * One word for a head's checks, as a reviewer reads the PR page: any failure fails, anything
 * still running is pending, and no checks at all is "none" rather than success.
 */
export function combineChecks(checks: readonly GitHubCheck[]): ChecksState {
  if (checks.length === 0) return 'none';
  let pending = false;
  for (const c of checks) {
    const word = 'state' in c ? c.state : c.status === 'completed' ? (c.conclusion ?? '') : 'pending';
    if (['failure', 'error', 'cancelled', 'timed_out', 'action_required', 'startup_failure'].includes(word))
      return 'failure';
    if (!['success', 'neutral', 'skipped'].includes(word)) pending = true;
  }
  return pending ? 'pending' : 'success';
}
