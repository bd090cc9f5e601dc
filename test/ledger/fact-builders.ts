// Small builders for ledger facts: each test states only the fields its behaviour depends on.
import type {
  BackportPrFact,
  BackportRequestFact,
  ConflictIssueFact,
  PrChecksFact,
  SourcePrFact,
} from '../../src/ledger/ledger-facts.js';
import { Random } from '../support/random.js';

export const REPO = 'acme/widgets';

/** An ISO timestamp `hours` after a fixed origin, so expected ages are easy to compute. */
export function at(hours: number): string {
  return new Date(Date.UTC(2024, 0, 1) + hours * 3_600_000).toISOString();
}

export function sourcePr(p: Partial<SourcePrFact> & { number: number }): SourcePrFact {
  return {
    kind: 'source-pr',
    repo: REPO,
    title: `Fix #${p.number}`,
    state: p.mergedAt ? 'closed' : 'open',
    baseBranch: 'main',
    labels: [],
    mergedAt: null,
    closedAt: p.mergedAt ?? null,
    mergeCommitSha: p.mergedAt ? 'a'.repeat(40) : null,
    updatedAt: p.mergedAt ?? at(0),
    ...p,
  };
}

export function backportPr(
  p: Partial<BackportPrFact> & { number: number; source: number; target: string },
): BackportPrFact {
  const createdAt = p.createdAt ?? at(1);
  const closedAt = p.closedAt ?? p.mergedAt ?? null;
  return {
    kind: 'backport-pr',
    repo: REPO,
    state: closedAt ? 'closed' : 'open',
    createdAt,
    mergedAt: null,
    closedAt,
    headSha: `head-${p.number}`,
    checks: null,
    updatedAt: closedAt ?? createdAt,
    ...p,
  };
}

export function conflictIssue(
  p: Partial<ConflictIssueFact> & { number: number; source: number; target: string },
): ConflictIssueFact {
  const createdAt = p.createdAt ?? at(1);
  const closedAt = p.closedAt ?? null;
  return {
    kind: 'conflict-issue',
    repo: REPO,
    state: closedAt ? 'closed' : 'open',
    createdAt,
    closedAt,
    assignees: [],
    updatedAt: closedAt ?? createdAt,
    ...p,
  };
}

export function request(
  p: Partial<BackportRequestFact> & { source: number; target: string },
): BackportRequestFact {
  return { kind: 'backport-request', repo: REPO, updatedAt: at(0), ...p };
}

export function prChecks(
  p: Partial<PrChecksFact> & { number: number; state: PrChecksFact['state'] },
): PrChecksFact {
  return { kind: 'pr-checks', repo: REPO, headSha: `head-${p.number}`, updatedAt: at(2), ...p };
}

/** A deterministic shuffle (seeded), so a failing order can be reproduced from its seed. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const rand = new Random(seed).next;
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
