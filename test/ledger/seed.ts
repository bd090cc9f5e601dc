// A store seeded with two repositories (one public, one private), used by the renderer,
// handler and browser tests. Numbers are chosen so expected values are easy to check by hand.
import type { Fact } from '../../src/ledger/ledger-facts.js';
import type { LedgerStore } from '../../src/ledger/ledger-store.js';
import type { BranchMissingFixes } from '../../src/missing-fixes/missing-fixes.js';
import { REPO, at, backportPr, conflictIssue, prChecks, sourcePr } from './fact-builders.js';

export const PUBLIC_REPO = REPO;
export const PRIVATE_REPO = 'acme/secret-sauce';
/** Day 100 after the fact builders' origin. */
export const NOW = new Date(at(100 * 24));

/** Latencies (hours) of merged backports per branch, one every 5 days from day 20. */
export const LATENCIES: Record<string, number[]> = {
  'v1.2': [30, 12, 50, 8, 20, 70],
  'v1.3': [4, 6, 10, 5],
};

export function seedFacts(): Fact[] {
  const facts: Fact[] = [];
  let n = 100;
  for (const [branch, list] of Object.entries(LATENCIES)) {
    list.forEach((hours, i) => {
      const merged = (20 + i * 5) * 24 + (branch === 'v1.3' ? 12 : 0);
      facts.push(
        sourcePr({
          number: n,
          title: `Fix number ${n}`,
          mergedAt: at(merged),
          labels: [`backport-to: ${branch}`],
        }),
        backportPr({
          number: n + 1,
          source: n,
          target: branch,
          createdAt: at(merged + 1),
          mergedAt: at(merged + hours),
        }),
      );
      n += 2;
    });
  }
  facts.push(
    sourcePr({
      number: 40,
      title: 'Fix <b>bold</b> | pipes @octocat',
      mergedAt: at(90 * 24),
      labels: ['backport-to: v1.2'],
    }),
    backportPr({ number: 41, source: 40, target: 'v1.2', createdAt: at(90 * 24 + 1) }),
    prChecks({ number: 41, headSha: 'head-41', state: 'failure', updatedAt: at(90 * 24 + 2) }),
    sourcePr({
      number: 42,
      title: 'Fix the parser',
      mergedAt: at(80 * 24),
      labels: ['backport-to: v1.2', 'backport-to: v1.3'],
    }),
    conflictIssue({ number: 43, source: 42, target: 'v1.2', createdAt: at(80 * 24 + 1), assignees: ['amy'] }),
    backportPr({ number: 44, source: 42, target: 'v1.3', createdAt: at(80 * 24 + 1), checks: 'success' }),
    sourcePr({ number: 45, title: 'Fix a leak', mergedAt: at(95 * 24), labels: ['backport-to: v1.3'] }),
    sourcePr({ number: 46, title: 'Not wanted', mergedAt: at(95 * 24), labels: ['no-backport'] }),
  );
  facts.push(
    {
      ...sourcePr({ number: 7, title: 'Secret fix', mergedAt: at(97 * 24), labels: ['backport-to: v2'] }),
      repo: PRIVATE_REPO,
    },
    { ...backportPr({ number: 8, source: 7, target: 'v2', createdAt: at(97 * 24 + 1) }), repo: PRIVATE_REPO },
  );
  return facts;
}

export const MISSING_V12: BranchMissingFixes = {
  branch: 'v1.2',
  forkPoint: 'f'.repeat(40),
  missing: [
    {
      sha: '1'.repeat(40),
      pr: 50,
      subject: 'fix: crash on `empty` input',
      reasons: [{ kind: 'subject', subject: 'fix: crash on `empty` input' }],
      fixesOnBranch: [],
      fixesUnknown: [],
    },
    {
      sha: '2'.repeat(40),
      pr: null,
      subject: 'Repair reader',
      reasons: [{ kind: 'trailer', value: 'abcdef123456 ("reader")' }],
      fixesOnBranch: ['abcdef123456'],
      fixesUnknown: [],
    },
  ],
  notNeeded: [{ sha: '3'.repeat(40), pr: 52, subject: 'Repair writer', fixes: ['0123456789ab'] }],
  counts: { fixes: 5, present: 1, decided: 1 },
};

export async function seedStore(store: LedgerStore): Promise<void> {
  await store.applyFacts(seedFacts());
  await store.upsertRepo({
    repo: PUBLIC_REPO,
    private: false,
    htmlUrl: `https://github.com/${PUBLIC_REPO}`,
    defaultBranch: 'main',
  });
  await store.upsertRepo({
    repo: PRIVATE_REPO,
    private: true,
    htmlUrl: `https://github.com/${PRIVATE_REPO}`,
    defaultBranch: 'main',
  });
  await store.saveMissingFixes(PUBLIC_REPO, MISSING_V12, NOW.toISOString());
}
