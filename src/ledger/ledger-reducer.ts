/**
 * The ledger as a pure function of the facts.
 *
 * 1. Keep the newest fact per identity (order-independent, see ledger-facts.ts).
 * 2. Group by (repository, source PR): the source's labels, request records, the app's
 *    backport PRs and conflict issues, and the checks of each PR head.
 * 3. For each target any of these names, decide the state, most advanced first:
 *    a. what the app made is merged or open: merged > PR open > conflict open;
 *    b. else: declined > re-requested > abandoned > requested.
 */
import type {
  BackportPrFact,
  BackportRequestFact,
  ConflictIssueFact,
  Fact,
  PrChecksFact,
  SourcePrFact,
} from './ledger-facts.js';
import { latestFacts } from './ledger-facts.js';
import type { LedgerIssue, LedgerItem, LedgerPr } from './ledger-item.js';
import type { LabelRules } from '../config/label-rules.js';
import { labelRules } from '../config/label-rules.js';

interface SourceGroup {
  repo: string;
  source: number;
  pr?: SourcePrFact;
  backports: BackportPrFact[];
  issues: ConflictIssueFact[];
  requests: BackportRequestFact[];
}

export function deriveLedger(facts: Iterable<Fact>, rules: LabelRules = labelRules()): LedgerItem[] {
  const groups = new Map<string, SourceGroup>();
  const checks = new Map<string, PrChecksFact>();
  const group = (repo: string, source: number): SourceGroup => {
    const key = `${repo}#${source}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { repo, source, backports: [], issues: [], requests: [] }));
    return g;
  };
  for (const fact of latestFacts(facts)) {
    switch (fact.kind) {
      case 'source-pr':
        group(fact.repo, fact.number).pr = fact;
        break;
      case 'backport-pr':
        group(fact.repo, fact.source).backports.push(fact);
        break;
      case 'conflict-issue':
        group(fact.repo, fact.source).issues.push(fact);
        break;
      case 'backport-request':
        group(fact.repo, fact.source).requests.push(fact);
        break;
      case 'pr-checks':
        checks.set(`${fact.repo}#${fact.number}@${fact.headSha}`, fact);
        break;
    }
  }
  const items: LedgerItem[] = [];
  for (const g of groups.values()) {
    for (const target of targetsOf(g, rules)) items.push(deriveItem(g, target, rules, checks));
  }
  return items.sort((a, b) => cmp(a.repo, b.repo) || cmp(a.target, b.target) || a.source - b.source);
}

function targetsOf(g: SourceGroup, rules: LabelRules): string[] {
  const targets = new Set<string>();
  for (const label of g.pr?.labels ?? []) {
    const request = rules.requestTarget(label);
    const decline = rules.declineTarget(label);
    if (request) targets.add(request);
    if (decline && decline !== '*') targets.add(decline);
  }
  for (const r of g.requests) targets.add(r.target);
  for (const b of g.backports) targets.add(b.target);
  for (const i of g.issues) targets.add(i.target);
  // A blanket `no-backport` with nothing else known still deserves a line: "declined".
  if (targets.size === 0 && g.pr?.labels.some((l) => rules.declineTarget(l) === '*')) targets.add('*');
  if (g.pr) targets.delete(g.pr.baseBranch);
  return [...targets];
}

/** The properties every item of a (source, target) has, whatever its state. */
type ItemBase = Pick<
  LedgerItem,
  'repo' | 'source' | 'target' | 'sourceTitle' | 'sourceMergedAt' | 'latencyMs'
>;

/** What one source group knows of one target: its backport PRs and conflict issues, by number. */
interface TargetFacts {
  group: SourceGroup;
  target: string;
  prs: BackportPrFact[];
  issues: ConflictIssueFact[];
  base: ItemBase;
  /** The PR as the ledger shows it, with the newest checks of its head. */
  pr: (b: BackportPrFact | undefined) => LedgerPr | null;
}

function deriveItem(
  g: SourceGroup,
  target: string,
  rules: LabelRules,
  checks: Map<string, PrChecksFact>,
): LedgerItem {
  const facts: TargetFacts = {
    group: g,
    target,
    prs: g.backports.filter((b) => b.target === target).sort(byNumber),
    issues: g.issues.filter((i) => i.target === target).sort(byNumber),
    base: {
      repo: g.repo,
      source: g.source,
      target,
      sourceTitle: g.pr?.title ?? null,
      sourceMergedAt: g.pr?.mergedAt ?? null,
      latencyMs: null,
    },
    pr: (b) => (b ? toPr(b, checks) : null),
  };
  return activeItem(facts) ?? restingItem(facts, rules);
}

/** 3a. What the app made is merged or open: merged > PR open > conflict open. */
function activeItem({ prs, issues, base, pr }: TargetFacts): LedgerItem | undefined {
  const lastIssue = issues.at(-1);
  const merged = prs.filter((b) => b.mergedAt).sort((a, b) => time(a.mergedAt) - time(b.mergedAt))[0];
  if (merged) {
    const mergedAt = merged.mergedAt as string;
    return {
      ...base,
      state: 'merged',
      reason: 'pr-merged',
      since: mergedAt,
      backportPr: pr(merged),
      conflictIssue: issueOf(lastIssue),
      latencyMs: base.sourceMergedAt ? time(mergedAt) - time(base.sourceMergedAt) : null,
    };
  }
  const open = prs.filter((b) => b.state === 'open').at(-1);
  if (open) {
    const state = 'pr-open';
    return {
      ...base,
      state,
      reason: state,
      since: open.createdAt,
      backportPr: pr(open),
      conflictIssue: issueOf(lastIssue),
    };
  }
  const openIssue = issues.filter((i) => i.state === 'open').at(-1);
  if (openIssue) {
    const since = openIssue.createdAt;
    return {
      ...base,
      state: 'conflict',
      reason: 'conflict-open',
      since,
      backportPr: pr(prs.at(-1)),
      conflictIssue: issueOf(openIssue),
    };
  }
  return undefined;
}

/** 3b. Nothing the app made is merged or open: declined > re-requested > abandoned > requested. */
function restingItem(
  { group: g, target, prs, issues, base, pr }: TargetFacts,
  rules: LabelRules,
): LedgerItem {
  const lastPr = prs.at(-1);
  const lastIssue = issues.at(-1);
  const artifacts = { backportPr: pr(lastPr), conflictIssue: issueOf(lastIssue) };
  const declines = (g.pr?.labels ?? []).map((l) => rules.declineTarget(l));
  if (declines.includes(target) || declines.includes('*')) {
    const reason = target !== '*' && declines.includes(target) ? 'declined-target' : 'declined-all';
    return { ...base, state: 'declined', reason, since: null, ...artifacts };
  }
  const lastClosed = Math.max(-Infinity, ...[...prs, ...issues].map((a) => time(a.closedAt ?? a.updatedAt)));
  const lastRequest = g.requests
    .filter((r) => r.target === target)
    .reduce<string | null>((t, r) => (t === null || time(r.updatedAt) > time(t) ? r.updatedAt : t), null);
  if (lastRequest && (prs.length || issues.length) && time(lastRequest) > lastClosed) {
    return { ...base, state: 'requested', reason: 're-requested', since: lastRequest, ...artifacts };
  }
  if (lastPr || lastIssue) {
    const reason = lastPr ? 'pr-closed' : 'issue-closed';
    return { ...base, state: 'abandoned', reason, since: new Date(lastClosed).toISOString(), ...artifacts };
  }
  if (g.pr && g.pr.state === 'closed' && !g.pr.mergedAt) {
    return { ...base, state: 'abandoned', reason: 'source-closed', since: g.pr.closedAt, ...artifacts };
  }
  return { ...base, state: 'requested', reason: 'requested', since: base.sourceMergedAt, ...artifacts };
}

function toPr(b: BackportPrFact, checks: Map<string, PrChecksFact>): LedgerPr {
  const seen = b.headSha ? checks.get(`${b.repo}#${b.number}@${b.headSha}`) : undefined;
  // A PR webhook does not carry checks (null); a checks record for the same head, when newer
  // than what the PR record saw, knows more.
  const fromChecks = seen && (b.checks === null || time(seen.updatedAt) >= time(b.updatedAt));
  return {
    number: b.number,
    state: b.mergedAt ? 'merged' : b.state,
    createdAt: b.createdAt,
    mergedAt: b.mergedAt,
    closedAt: b.closedAt,
    checks: fromChecks ? seen.state : (b.checks ?? 'unknown'),
  };
}

function issueOf(i: ConflictIssueFact | undefined): LedgerIssue | null {
  if (!i) return null;
  return {
    number: i.number,
    state: i.state,
    createdAt: i.createdAt,
    closedAt: i.closedAt,
    assignees: [...i.assignees].sort(),
  };
}

function byNumber(a: { number: number }, b: { number: number }): number {
  return a.number - b.number;
}

function time(t: string | null): number {
  return t ? Date.parse(t) : -Infinity;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
