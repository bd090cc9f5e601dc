/**
 * Labels → backport targets. A label matching `labelPattern` names a target; `targetBranch`
 * turns it into a branch. Labels are read literally: nothing is guessed, and a target that
 * cannot be a branch, or that is the pull request's own base, is refused with a reason.
 */
import type { BackportConfig } from '../config/schema.js';
import { backportBranchPrefix } from '../config/parse-config.js';
import { MAX_LABEL_LENGTH } from '../config/schema.js';
import { labelRules } from '../config/label-rules.js';
import { safePattern } from '../config/safe-pattern.js';
import { renderTemplate } from '../config/template.js';
import { BackportError } from '../errors.js';
import { checkBranchName } from '../common/check-ref-name.js';

export interface Target {
  /** The label that asked for it. */
  label: string;
  /** What the label's `target` group captured. */
  target: string;
  /** The branch to backport onto. */
  branch: string;
}

export interface RejectedTarget {
  label: string;
  target: string;
  /** One plain sentence, safe to show. */
  reason: string;
  code: 'invalid-ref-name' | 'target-is-base';
}

type TargetConfig = Pick<BackportConfig, 'labelPattern' | 'targetBranch' | 'branchName'> &
  Partial<Pick<BackportConfig, 'noBackportLabel' | 'noBackportToPattern'>>;

export function resolveTargets({
  labels,
  config,
  baseBranch,
  declines = labels,
}: {
  labels: readonly (string | { name: string })[];
  config: TargetConfig;
  baseBranch: string;
  /**
   * Every label of the pull request, read for `no-backport` (declines all targets) and
   * `no-backport-to: X` (declines X); a declined target is dropped, whatever asks for it.
   */
  declines?: readonly (string | { name: string })[];
}): { targets: Target[]; rejected: RejectedTarget[] } {
  const declined = declinedBranches(declines, config);
  if (declined === '*') return { targets: [], rejected: [] };
  const pattern = safePattern(config.labelPattern);
  const targets: Target[] = [];
  const rejected: RejectedTarget[] = [];
  const seenBranches = new Set<string>();
  const seenLabels = new Set<string>();
  for (const entry of labels) {
    const label = typeof entry === 'string' ? entry : entry.name;
    const target = pattern.target(label);
    if (target === undefined || seenLabels.has(label)) continue;
    seenLabels.add(label);
    const branch = renderTemplate(config.targetBranch, { target });
    if (declined.has(branch)) continue;
    const why = branchProblem(config, branch, baseBranch);
    if (why) {
      rejected.push({ label, target, ...why });
    } else if (!seenBranches.has(branch)) {
      seenBranches.add(branch);
      targets.push({ label, target, branch });
    }
  }
  return { targets, rejected };
}

/** `'*'` when the pull request declines every backport, else the branches it declines. */
function declinedBranches(
  labels: readonly (string | { name: string })[],
  config: TargetConfig,
): '*' | Set<string> {
  const rules = labelRules(config);
  const out = new Set<string>();
  for (const entry of labels) {
    const branch = rules.declineTarget(typeof entry === 'string' ? entry : entry.name);
    if (branch === '*') return '*';
    if (branch !== undefined) out.add(branch);
  }
  return out;
}

function branchProblem(
  config: TargetConfig,
  branch: string,
  baseBranch: string,
): Pick<RejectedTarget, 'reason' | 'code'> | undefined {
  const invalid = checkBranchName(branch);
  if (invalid) {
    return { code: 'invalid-ref-name', reason: `\`${branch}\` is not a valid branch name: ${invalid}.` };
  }
  if (branch === baseBranch) {
    return {
      code: 'target-is-base',
      reason: `\`${branch}\` is the branch the pull request was merged into.`,
    };
  }
  const prefix = backportBranchPrefix(config);
  if (branch.startsWith(prefix)) {
    return {
      code: 'invalid-ref-name',
      reason: `\`${branch}\` is under \`${prefix}\`, where the app keeps its own backport branches.`,
    };
  }
  return undefined;
}

/**
 * The label the app adds for `/backport <target>`. Refused when the label would not be read
 * back as the same target, is too long for GitHub, or names a branch that cannot exist.
 */
export function labelForTarget(config: TargetConfig & Pick<BackportConfig, 'label'>, target: string): string {
  const label = renderTemplate(config.label, { target });
  if (safePattern(config.labelPattern).target(label) !== target) {
    throw new BackportError(
      'bad-argument',
      `\`${target}\` is not a target this repository's labels can name.`,
      {
        target,
        label,
      },
    );
  }
  if (label.length > MAX_LABEL_LENGTH) {
    throw new BackportError(
      'bad-argument',
      `The label for \`${target}\` would be longer than GitHub allows.`,
      {
        target,
        label,
      },
    );
  }
  const branch = renderTemplate(config.targetBranch, { target });
  const invalid = checkBranchName(branch);
  if (invalid) {
    throw new BackportError('invalid-ref-name', `\`${branch}\` is not a valid branch name: ${invalid}.`, {
      target,
      branch,
    });
  }
  return label;
}

/** The app's own branch for one (pull request, target), always under the configured prefix. */
export function backportBranchName(
  config: Pick<BackportConfig, 'branchName'>,
  number: number,
  target: string,
): string {
  const branch = renderTemplate(config.branchName, { number, target });
  const invalid = checkBranchName(branch);
  if (invalid) {
    throw new BackportError('invalid-ref-name', `\`${branch}\` is not a valid branch name: ${invalid}.`, {
      target,
      branch,
    });
  }
  return branch;
}
