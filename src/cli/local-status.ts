/**
 * The `status` report for a local clone, without GitHub:
 *
 * 1. Resolve the default branch and each requested branch.
 * 2. Per branch, find the fork point (merge base) with the default branch.
 * 3. Walk the default branch since the fork point (candidates) and the branch since the fork
 *    point (its `cherry picked from` trailers and its own commits).
 * 4. Resolve every `Fixes: <sha>` against the branch, then hand all of it to the pure
 *    missing-fix function, and ask `canApply` about each missing fix.
 */
import { cherryPickSources, fixedCommits, subjectOf } from '../missing-fixes/commit-trailers.js';
import type { LabelRules } from '../config/label-rules.js';
import { labelRules } from '../config/label-rules.js';
import type { LocalRepo, WalkedCommit } from '../repo/local-repo.js';
import {
  defaultBranchOf,
  expandCommit,
  isAncestor,
  mergeBases,
  openLocalRepo,
  resolveBranch,
  walkRange,
} from '../repo/local-repo.js';
import type { BranchMissingFixes, CandidateCommit, MissingFix } from '../missing-fixes/missing-fixes.js';
import { findMissingFixes } from '../missing-fixes/missing-fixes.js';

export type ApplyCheck = 'clean' | 'conflict' | 'unknown';
/** Whether `sha` applies to `branch`, whose tip the report resolved as `onto` (maybe `origin/<branch>`'s). */
export type CanApply = (sha: string, branch: string, onto: string) => Promise<ApplyCheck>;

export interface LocalStatusOptions {
  repo: string;
  branches: readonly string[];
  defaultBranch?: string;
  /** The engine's `check`; without it every missing fix says `unknown`. */
  canApply?: CanApply;
  rules?: LabelRules;
}

export interface LocalMissingFix extends MissingFix {
  applies: ApplyCheck;
}

export interface LocalBranchStatus extends Omit<BranchMissingFixes, 'missing'> {
  tip: string;
  missing: LocalMissingFix[];
}

export interface LocalStatusReport {
  repo: string;
  defaultBranch: string;
  defaultTip: string;
  branches: LocalBranchStatus[];
}

export async function localStatus(options: LocalStatusOptions): Promise<LocalStatusReport> {
  const repo = openLocalRepo(options.repo);
  const defaultBranch = options.defaultBranch ?? (await defaultBranchOf(repo));
  const defaultTip = await resolveBranch(repo, defaultBranch);
  const branches: LocalBranchStatus[] = [];
  for (const branch of options.branches) {
    branches.push(await branchStatus(repo, branch, defaultTip, options));
  }
  return { repo: options.repo, defaultBranch, defaultTip, branches };
}

async function branchStatus(
  repo: LocalRepo,
  branch: string,
  defaultTip: string,
  options: LocalStatusOptions,
): Promise<LocalBranchStatus> {
  const tip = await resolveBranch(repo, branch);
  const bases = await mergeBases(repo, defaultTip, tip);
  const upstream = (await walkRange(repo, defaultTip, bases)).filter((c) => c.parents.length <= 1);
  const own = await walkRange(repo, tip, bases);
  const ownIds = new Set(own.map((c) => c.oid));
  const picked = new Set(own.flatMap((c) => cherryPickSources(c.message)));
  const contains = await fixedCommitsOnBranch(repo, upstream, tip, picked);

  const [report] = findMissingFixes({
    branches: [{ branch, forkPoint: bases[0] ?? null, commits: upstream.map(toCandidate) }],
    isPresent: (sha) => picked.has(sha) || ownIds.has(sha),
    branchContains: (sha) => contains.get(sha),
    rules: options.rules ?? labelRules(),
  });
  const result = report as BranchMissingFixes;
  const missing: LocalMissingFix[] = [];
  for (const fix of result.missing)
    missing.push({ ...fix, applies: await check(options.canApply, fix.sha, branch, tip) });
  return { ...result, tip, missing };
}

/** For each `Fixes:` id among the candidates: does the branch have that commit (or a pick of it)? */
async function fixedCommitsOnBranch(
  repo: LocalRepo,
  candidates: readonly WalkedCommit[],
  tip: string,
  picked: ReadonlySet<string>,
): Promise<Map<string, boolean | undefined>> {
  const result = new Map<string, boolean | undefined>();
  for (const short of new Set(candidates.flatMap((c) => fixedCommits(c.message)))) {
    const oid = await expandCommit(repo, short);
    result.set(short, oid === undefined ? undefined : picked.has(oid) || (await isAncestor(repo, oid, tip)));
  }
  return result;
}

async function check(
  canApply: CanApply | undefined,
  sha: string,
  branch: string,
  onto: string,
): Promise<ApplyCheck> {
  if (!canApply) return 'unknown';
  try {
    return await canApply(sha, branch, onto);
  } catch {
    // The column is advice; a failed check must not hide the missing fix itself.
    return 'unknown';
  }
}

function toCandidate(c: WalkedCommit): CandidateCommit {
  return { sha: c.oid, message: c.message, labels: [], pr: prNumberOf(subjectOf(c.message)) };
}

/** The PR number GitHub writes into a squash-merge subject: `Fix the parser (#123)`. */
function prNumberOf(subject: string): number | null {
  const m = /\(#(\d+)\)\s*$/.exec(subject);
  return m?.[1] ? Number(m[1]) : null;
}
