/**
 * What a debounced update refreshes that webhooks do not carry: the checks of open backport
 * PRs (read through REST rather than subscribed to) and the missing-fix report (computed in
 * the git cache). Both write facts or reports to the store; nothing stays in memory.
 */
import type { RemoteAccess } from '../repo/git-remote.js';
import { listRemoteBranches } from '../repo/remote-branches.js';
import type { LabelRules } from '../config/label-rules.js';
import type { LedgerConfig } from './ledger-config.js';
import { needsRemoteBranches, supportedBranches } from './ledger-config.js';
import type { PrChecksFact } from './ledger-facts.js';
import type { LedgerGitHub, RepoSnapshot } from './ledger-ports.js';
import type { LedgerStore } from './ledger-store.js';
import type { RepoMissingFixes } from '../missing-fixes/repo-missing-fixes.js';
import { decisionsFromLedger, mergedPullsFromFacts } from './missing-fix-inputs.js';

/** Checks that may still change for the same head, so they are read again. */
const UNSETTLED = new Set(['unknown', 'pending', 'none']);
/** A PR still without any check after this long probably has no CI: stop asking. */
const NO_CI_AFTER_MS = 3_600_000;

/**
 * Reads the checks of each open backport PR whose checks may still change. Returns true when
 * some are still running (or not started on a young PR), so the caller looks again later.
 */
export async function refreshChecks(
  store: LedgerStore,
  repo: string,
  github: LedgerGitHub,
  rules: LabelRules,
  now: Date,
): Promise<boolean> {
  const heads = new Map<number, string>();
  for (const f of await store.facts(repo))
    if (f.kind === 'backport-pr' && f.headSha) heads.set(f.number, f.headSha);
  const facts: PrChecksFact[] = [];
  let running = false;
  for (const item of await store.ledger(repo, rules)) {
    const pr = item.backportPr;
    const headSha = pr && heads.get(pr.number);
    if (item.state !== 'pr-open' || !pr || !headSha || !UNSETTLED.has(pr.checks)) continue;
    const state = await github.checks(headSha);
    // Wall time: it is compared with GitHub's `updated_at` of the PR.
    facts.push({
      kind: 'pr-checks',
      repo,
      number: pr.number,
      headSha,
      state,
      updatedAt: new Date().toISOString(),
    });
    const young = now.getTime() - Date.parse(pr.createdAt) < NO_CI_AFTER_MS;
    if (state === 'pending' || (state === 'none' && young)) running = true;
  }
  await store.applyFacts(facts);
  return running;
}

export interface MissingFixRefresh {
  store: LedgerStore;
  repo: string;
  snapshot: RepoSnapshot;
  remote: RemoteAccess;
  config: LedgerConfig;
  finder?: RepoMissingFixes;
  /** Runs the git work with the repository's cache to itself. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  now: Date;
}

/**
 * Resolves the supported branches (listing the remote's when the configuration gives a
 * pattern), stores a fresh report for each and forgets branches no longer supported.
 * Returns the supported branches.
 */
export async function refreshMissingFixes(r: MissingFixRefresh): Promise<string[]> {
  const names = needsRemoteBranches(r.config.branches) ? await listRemoteBranches(r.remote) : undefined;
  const branches = supportedBranches(r.config.branches, names).filter((b) => b !== r.snapshot.defaultBranch);
  if (!r.finder) return branches;
  const finder = r.finder;
  const input = {
    repo: r.repo,
    remote: r.remote,
    defaultBranch: r.snapshot.defaultBranch,
    branches,
    merged: mergedPullsFromFacts(await r.store.facts(r.repo), r.snapshot.defaultBranch),
    decisions: decisionsFromLedger(await r.store.ledger(r.repo, r.config.rules)),
    rules: r.config.rules,
  };
  const reports = await r.exclusive(() => finder.report(input));
  for (const report of reports) await r.store.saveMissingFixes(r.repo, report, r.now.toISOString());
  for (const { report } of await r.store.missingFixes(r.repo)) {
    if (!branches.includes(report.branch)) await r.store.dropMissingFixes(r.repo, report.branch);
  }
  return branches;
}
