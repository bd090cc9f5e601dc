/**
 * One backport as the release managers see it: a (repository, source PR, target branch) and
 * the state it is in, with the facts behind that state. Plain data, JSON-serialisable.
 */
import type { ChecksState } from './ledger-facts.js';

export type LedgerState = 'requested' | 'pr-open' | 'conflict' | 'merged' | 'abandoned' | 'declined';

/** Why an item is in its state, for people and for tests. */
export type LedgerReason =
  /** A request label or command, nothing done yet. */
  | 'requested'
  /** Requested again after an earlier attempt was closed. */
  | 're-requested'
  | 'pr-open'
  | 'pr-merged'
  | 'conflict-open'
  /** The backport PR was closed without merging. */
  | 'pr-closed'
  /** The conflict issue was closed and no backport PR was merged or is open. */
  | 'issue-closed'
  /** The source PR was closed without merging, so there is nothing to carry. */
  | 'source-closed'
  /** A `no-backport` label. */
  | 'declined-all'
  /** A `no-backport-to: <branch>` label. */
  | 'declined-target';

export interface LedgerPr {
  number: number;
  state: 'open' | 'closed' | 'merged';
  createdAt: string;
  mergedAt: string | null;
  closedAt: string | null;
  checks: ChecksState | 'unknown';
}

export interface LedgerIssue {
  number: number;
  state: 'open' | 'closed';
  createdAt: string;
  closedAt: string | null;
  assignees: string[];
}

export interface LedgerItem {
  repo: string;
  source: number;
  target: string;
  state: LedgerState;
  reason: LedgerReason;
  /** Null when only the app's own PR or issue is known, not the source PR. */
  sourceTitle: string | null;
  sourceMergedAt: string | null;
  /** When the item entered its current state: the basis of its age. Null when unknown. */
  since: string | null;
  /** The backport PR that decides the state (merged, else open, else the last closed). */
  backportPr: LedgerPr | null;
  /** The conflict issue that decides the state (open, else the last one). */
  conflictIssue: LedgerIssue | null;
  /** Source merge to backport merge, for merged items whose source merge time is known. */
  latencyMs: number | null;
}

/**
 * Items someone is waiting on: a backport PR or conflict issue that is open, or a request on
 * a merged source that the app has not acted on yet.
 */
export function isOpenItem(item: LedgerItem): boolean {
  return (
    item.state === 'pr-open' ||
    item.state === 'conflict' ||
    (item.state === 'requested' && item.sourceMergedAt !== null)
  );
}
