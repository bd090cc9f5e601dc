/**
 * Missing fixes: commits on the default branch since a supported branch forked that look
 * like fixes, yet have no backport decision for that branch and are not on it already.
 *
 * For each branch and commit, in order: already on the branch → skip; decided (a request,
 * a backport that exists, a decline) → skip; a `Fixes: <sha>` trailer naming only commits
 * the branch lacks → "not needed here" (and said so); otherwise → missing.
 */
import { fixedCommits, subjectOf } from './commit-trailers.js';
import type { FixReason } from './fix-detection.js';
import { fixReasons } from './fix-detection.js';
import type { LabelRules } from '../config/label-rules.js';
import { labelRules } from '../config/label-rules.js';

export interface CandidateCommit {
  sha: string;
  message: string;
  /** Labels of the pull request that brought the commit (empty when unknown, e.g. locally). */
  labels: readonly string[];
  pr: number | null;
}

export interface BranchCandidates {
  branch: string;
  /** Where the branch forked from the default branch, when known. */
  forkPoint: string | null;
  /** Default-branch commits since the fork point. */
  commits: readonly CandidateCommit[];
}

/** A decision made outside the commit's own labels: a `/backport` command, an existing backport. */
export interface Decision {
  pr: number;
  /** A branch, or `'*'` for every branch. */
  target: string;
}

export interface MissingFixesInput {
  branches: readonly BranchCandidates[];
  decisions?: readonly Decision[];
  /** Does `branch` contain commit `sha`? Undefined when the commit is unknown. */
  branchContains?: (sha: string, branch: string) => boolean | undefined;
  /** Is the change of `sha` already on `branch` (a cherry-pick trailer, or the commit itself)? */
  isPresent?: (sha: string, branch: string) => boolean;
  rules?: LabelRules;
}

export interface MissingFix {
  sha: string;
  pr: number | null;
  subject: string;
  reasons: FixReason[];
  /** Commits named by `Fixes:` that this branch contains: the reason it needs the fix. */
  fixesOnBranch: string[];
  /** Commits named by `Fixes:` that could not be found, so the branch may or may not need it. */
  fixesUnknown: string[];
  /**
   * Whether the engine would pick it onto the branch's tip without a conflict today; absent
   * when nobody checked (the pure report below never does; the app and the CLI do).
   */
  applies?: 'clean' | 'conflict' | 'unknown';
}

export interface NotNeededFix {
  sha: string;
  pr: number | null;
  subject: string;
  /** The commits its `Fixes:` trailers name, none of which is on the branch. */
  fixes: string[];
}

export interface BranchMissingFixes {
  branch: string;
  forkPoint: string | null;
  missing: MissingFix[];
  notNeeded: NotNeededFix[];
  /** How many fix-looking commits were considered, and how many were already handled. */
  counts: { fixes: number; present: number; decided: number };
}

export function findMissingFixes(input: MissingFixesInput): BranchMissingFixes[] {
  const rules = input.rules ?? labelRules();
  const decided = new Set((input.decisions ?? []).map((d) => `${d.pr}:${d.target}`));
  return input.branches.map(({ branch, forkPoint, commits }) => {
    const result: BranchMissingFixes = {
      branch,
      forkPoint,
      missing: [],
      notNeeded: [],
      counts: { fixes: 0, present: 0, decided: 0 },
    };
    for (const commit of commits) {
      const reasons = fixReasons(commit.message, commit.labels, rules);
      if (reasons.length === 0) continue;
      result.counts.fixes++;
      if (input.isPresent?.(commit.sha, branch)) {
        result.counts.present++;
        continue;
      }
      if (isDecided(commit, branch, rules, decided)) {
        result.counts.decided++;
        continue;
      }
      const subject = subjectOf(commit.message);
      const named = fixedCommits(commit.message);
      const known = named.map((sha) => ({ sha, on: input.branchContains?.(sha, branch) }));
      const fixesOnBranch = known.filter((k) => k.on === true).map((k) => k.sha);
      const fixesUnknown = known.filter((k) => k.on === undefined).map((k) => k.sha);
      if (named.length > 0 && fixesOnBranch.length === 0 && fixesUnknown.length === 0) {
        result.notNeeded.push({ sha: commit.sha, pr: commit.pr, subject, fixes: named });
        continue;
      }
      result.missing.push({ sha: commit.sha, pr: commit.pr, subject, reasons, fixesOnBranch, fixesUnknown });
    }
    return result;
  });
}

function isDecided(
  commit: CandidateCommit,
  branch: string,
  rules: LabelRules,
  decided: Set<string>,
): boolean {
  for (const label of commit.labels) {
    if (rules.requestTarget(label) === branch) return true;
    const decline = rules.declineTarget(label);
    if (decline === '*' || decline === branch) return true;
  }
  return commit.pr !== null && (decided.has(`${commit.pr}:${branch}`) || decided.has(`${commit.pr}:*`));
}
