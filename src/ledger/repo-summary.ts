/**
 * What the tracking issue and the dashboard page both show for a repository, per branch:
 * open PRs, conflicts, requests the app has not acted on, missing fixes, the oldest open item
 * and latency numbers. Built once here so the two views cannot disagree.
 */
import type { LatencyStats } from './latency.js';
import { latencyStats, oldestOpen } from './latency.js';
import { isOpenItem, type LedgerItem, type LedgerState } from './ledger-item.js';
import type { RepoInfo, StoredMissingFixes } from './ledger-store.js';

export interface BranchSummary {
  branch: string;
  openPrs: LedgerItem[];
  conflicts: LedgerItem[];
  /** Requested on a merged source and not picked yet. */
  waiting: LedgerItem[];
  /**
   * Everything else about the branch, newest first: requests on PRs not merged yet, merged
   * backports (with their latency), abandoned ones, and declines (including `no-backport`,
   * which declines every branch).
   */
  history: LedgerItem[];
  missing: StoredMissingFixes | null;
  oldestOpen: LedgerItem | null;
  latency: LatencyStats;
  counts: Record<LedgerState, number>;
}

export interface RepoSummary {
  repo: RepoInfo;
  generatedAt: string;
  windowDays: number;
  branches: BranchSummary[];
  /** Open items of every branch, oldest first. */
  oldestOpen: LedgerItem[];
}

export interface SummaryInput {
  repo: RepoInfo;
  items: readonly LedgerItem[];
  missing: readonly StoredMissingFixes[];
  now: Date;
  /** Supported branches from the configuration; they come first and always get a section. */
  branches?: readonly string[];
  windowDays?: number;
}

export function summarizeRepo(input: SummaryInput): RepoSummary {
  const windowDays = input.windowDays ?? 90;
  const configured = input.branches ?? [];
  const seen = new Set<string>(configured);
  const others = [...input.items.map((i) => i.target), ...input.missing.map((m) => m.report.branch)]
    .filter((b) => b !== '*' && !seen.has(b))
    .filter((b, i, all) => all.indexOf(b) === i)
    .sort(newestFirst);
  const declinedEverywhere = input.items.filter((i) => i.target === '*' && i.state === 'declined');
  const branches = [...configured, ...others].map((branch) => {
    const items = input.items.filter((i) => i.target === branch);
    const open = oldestOpen(items);
    const history = [...items.filter((i) => !isOpenItem(i)), ...declinedEverywhere].sort(
      (a, b) => (b.since ?? '').localeCompare(a.since ?? '') || b.source - a.source,
    );
    return {
      branch,
      openPrs: open.filter((i) => i.state === 'pr-open'),
      conflicts: open.filter((i) => i.state === 'conflict'),
      waiting: open.filter((i) => i.state === 'requested'),
      history,
      missing: input.missing.find((m) => m.report.branch === branch) ?? null,
      oldestOpen: open[0] ?? null,
      latency: latencyStats(items, branch, input.now, windowDays),
      counts: countStates([...items, ...declinedEverywhere]),
    };
  });
  return {
    repo: input.repo,
    generatedAt: input.now.toISOString(),
    windowDays,
    branches,
    oldestOpen: oldestOpen(input.items),
  };
}

function countStates(items: readonly LedgerItem[]): Record<LedgerState, number> {
  const counts: Record<LedgerState, number> = {
    requested: 0,
    'pr-open': 0,
    conflict: 0,
    merged: 0,
    abandoned: 0,
    declined: 0,
  };
  for (const i of items) counts[i.state]++;
  return counts;
}

/** Release branches newest first: `v1.10` before `v1.9` before `v1.2`. */
export function newestFirst(a: string, b: string): number {
  return b.localeCompare(a, 'en', { numeric: true });
}
