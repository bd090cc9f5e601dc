/**
 * What the ledger tells the missing-fix report: which pull requests were merged into the
 * default branch, and which (PR, branch) pairs already have a decision. The report takes
 * these as plain inputs, so missing-fixes/ never reads ledger records and the ledger can
 * depend on it without a cycle.
 */
import type { Decision } from '../missing-fixes/missing-fixes.js';
import type { MergedPull } from '../missing-fixes/repo-missing-fixes.js';
import type { Fact } from './ledger-facts.js';
import type { LedgerItem } from './ledger-item.js';

/** Every ledger item is a decision for its (source, target): requested, done or declined. */
export function decisionsFromLedger(items: readonly LedgerItem[]): Decision[] {
  return items.map((i) => ({ pr: i.source, target: i.target }));
}

/** The source PRs merged into `defaultBranch` whose merge commit is known. */
export function mergedPullsFromFacts(facts: readonly Fact[], defaultBranch: string): MergedPull[] {
  const merged: MergedPull[] = [];
  for (const f of facts) {
    if (f.kind === 'source-pr' && f.mergedAt && f.mergeCommitSha && f.baseBranch === defaultBranch)
      merged.push({ number: f.number, title: f.title, labels: f.labels, mergeCommitSha: f.mergeCommitSha });
  }
  return merged;
}
