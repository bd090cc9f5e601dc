/**
 * Facts: small, GitHub-shaped records the app produces from webhooks and from a rebuild over
 * REST. The ledger is a pure function of the facts, so nothing the release managers see lives
 * only in memory.
 *
 * Every fact has an identity (`factKey`) and a version (`updatedAt`, GitHub's own field). Of
 * several facts with one identity only the newest counts (`supersedes`), and that choice does
 * not depend on arrival order: webhooks are redelivered and arrive out of order.
 */
import { z } from 'zod';

const timestamp = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a timestamp');
const nullableTimestamp = timestamp.nullable();
const repo = z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'owner/name');
const positive = z.number().int().positive();

export const checksStateSchema = z.enum(['success', 'failure', 'pending', 'none']);
export type ChecksState = z.infer<typeof checksStateSchema>;

/** Any pull request of the repository: its labels carry requests and declines. */
export const sourcePrFactSchema = z.object({
  kind: z.literal('source-pr'),
  repo,
  number: positive,
  title: z.string(),
  state: z.enum(['open', 'closed']),
  baseBranch: z.string(),
  labels: z.array(z.string()),
  mergedAt: nullableTimestamp,
  closedAt: nullableTimestamp,
  mergeCommitSha: z.string().nullable(),
  updatedAt: timestamp,
});

/** A pull request the app opened, recognised by its `backport-pr` marker. */
export const backportPrFactSchema = z.object({
  kind: z.literal('backport-pr'),
  repo,
  number: positive,
  source: positive,
  target: z.string().min(1),
  state: z.enum(['open', 'closed']),
  createdAt: timestamp,
  mergedAt: nullableTimestamp,
  closedAt: nullableTimestamp,
  headSha: z.string().nullable(),
  /**
   * The checks as seen when the PR was read (a rebuild), null when the record does not say (a
   * pull_request webhook). `pr-checks` facts for the same head refine it.
   */
  checks: checksStateSchema.nullable(),
  updatedAt: timestamp,
});

/** An issue the app filed for a conflict, recognised by its `conflict-issue` marker. */
export const conflictIssueFactSchema = z.object({
  kind: z.literal('conflict-issue'),
  repo,
  number: positive,
  source: positive,
  target: z.string().min(1),
  state: z.enum(['open', 'closed']),
  createdAt: timestamp,
  closedAt: nullableTimestamp,
  assignees: z.array(z.string()),
  updatedAt: timestamp,
});

/**
 * A request made at a known moment: a request label being added, or a `/backport` command.
 * Its time lets a request made after a backport was abandoned count as a new request.
 */
export const backportRequestFactSchema = z.object({
  kind: z.literal('backport-request'),
  repo,
  source: positive,
  target: z.string().min(1),
  updatedAt: timestamp,
});

/** The combined checks of one head commit of a pull request (check_suite / status events). */
export const prChecksFactSchema = z.object({
  kind: z.literal('pr-checks'),
  repo,
  number: positive,
  headSha: z.string().min(1),
  state: checksStateSchema,
  updatedAt: timestamp,
});

export const factSchema = z.discriminatedUnion('kind', [
  sourcePrFactSchema,
  backportPrFactSchema,
  conflictIssueFactSchema,
  backportRequestFactSchema,
  prChecksFactSchema,
]);

export type SourcePrFact = z.infer<typeof sourcePrFactSchema>;
export type BackportPrFact = z.infer<typeof backportPrFactSchema>;
export type ConflictIssueFact = z.infer<typeof conflictIssueFactSchema>;
export type BackportRequestFact = z.infer<typeof backportRequestFactSchema>;
export type PrChecksFact = z.infer<typeof prChecksFactSchema>;
export type Fact = z.infer<typeof factSchema>;
export type FactKind = Fact['kind'];

/** The identity of a fact: two facts with one key describe the same thing at two moments. */
export function factKey(fact: Fact): string {
  switch (fact.kind) {
    // A backport PR is also a pull request: its two views are kept apart by kind.
    case 'source-pr':
    case 'backport-pr':
    case 'conflict-issue':
      return `${fact.kind}:${fact.repo}#${fact.number}`;
    case 'backport-request':
      return `${fact.kind}:${fact.repo}#${fact.source}:${fact.target}`;
    case 'pr-checks':
      return `${fact.kind}:${fact.repo}#${fact.number}@${fact.headSha}`;
  }
}

/**
 * True when `a` should replace `b` (same key). Newer `updatedAt` wins; at the same second the
 * further-along record wins (merged over closed over open), since GitHub often stamps a close
 * and the label change that caused it with one second; a last, arbitrary but fixed tie-break
 * keeps the choice independent of arrival order. The store makes the same choice in SQL
 * (ledger-store.ts), so the last step compares the UTF-8 bytes, as both databases compare text.
 */
export function supersedes(a: Fact, b: Fact): boolean {
  const ta = Date.parse(a.updatedAt);
  const tb = Date.parse(b.updatedAt);
  if (ta !== tb) return ta > tb;
  const pa = factProgress(a);
  const pb = factProgress(b);
  if (pa !== pb) return pa > pb;
  return Buffer.compare(Buffer.from(canonicalJson(a)), Buffer.from(canonicalJson(b))) > 0;
}

/** Keeps the newest fact per key. The result does not depend on the order of `facts`. */
export function latestFacts(facts: Iterable<Fact>): Fact[] {
  const byKey = new Map<string, Fact>();
  for (const fact of facts) {
    const key = factKey(fact);
    const known = byKey.get(key);
    if (!known || supersedes(fact, known)) byKey.set(key, fact);
  }
  return [...byKey.values()];
}

/** Validates an unknown value as a fact; throws zod's error on a malformed one. */
export function parseFact(value: unknown): Fact {
  return factSchema.parse(value);
}

/** How far along the record is, for `supersedes` (and stored beside each fact). */
export function factProgress(fact: Fact): number {
  switch (fact.kind) {
    case 'source-pr':
    case 'backport-pr':
      return fact.mergedAt ? 2 : fact.state === 'closed' ? 1 : 0;
    case 'conflict-issue':
      return fact.state === 'closed' ? 1 : 0;
    case 'pr-checks':
      return fact.state === 'success' || fact.state === 'failure' ? 1 : 0;
    case 'backport-request':
      return 0;
  }
}

/** JSON with object keys sorted, so equal records have one spelling. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}
