/**
 * The part of `.github/backport.yml` the release managers' view reads: how labels turn into
 * decisions, and which branches are supported. A broken file must not blank the view: the
 * defaults apply and the problem is reported (the pipeline tells the PR author about it).
 */
import { parseConfig } from '../config/parse-config.js';
import { isBackportError } from '../errors.js';
import type { LabelRules } from '../config/label-rules.js';
import { labelRules } from '../config/label-rules.js';
import { safePattern } from '../config/safe-pattern.js';
import { newestFirst } from './repo-summary.js';

/** Supported branches: named one by one, or every remote branch matching a pattern. */
export type BranchSpec = { list: readonly string[] } | { pattern: string };

export interface LedgerConfig {
  rules: LabelRules;
  branches: BranchSpec;
  /** Why the file could not be used, when it could not. */
  problem?: string;
}

export function ledgerConfig(raw: unknown): LedgerConfig {
  try {
    const config = parseConfig(raw);
    const branches = Array.isArray(config.branches)
      ? { list: [...(config.branches as readonly string[])] }
      : { pattern: (config.branches as { pattern: string }).pattern };
    return { rules: labelRules(config), branches };
  } catch (err) {
    if (!isBackportError(err, 'invalid-config')) throw err;
    return { rules: labelRules(), branches: { list: [] }, problem: err.message };
  }
}

/**
 * The supported branches among the remote's, newest release first. A listed branch that
 * does not exist is kept, so its section says so instead of silently disappearing.
 */
export function supportedBranches(spec: BranchSpec, remote: readonly string[] | undefined): string[] {
  if ('list' in spec) return [...spec.list];
  const pattern = safePattern(spec.pattern);
  return (remote ?? []).filter((b) => pattern.test(b)).sort(newestFirst);
}

/** True when the spec needs the remote's branch names. */
export function needsRemoteBranches(spec: BranchSpec): boolean {
  return 'pattern' in spec;
}
