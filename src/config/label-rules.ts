/**
 * How labels turn into backport decisions, read exactly as the planner reads them (the
 * repository's `labelPattern`, `targetBranch`, `noBackportLabel`, `noBackportToPattern` and
 * `fixLabels`), so the ledger never calls "requested" what the app will not act on.
 */
import { DEFAULT_CONFIG } from './parse-config.js';
import type { BackportConfig } from './schema.js';
import { safePattern } from './safe-pattern.js';
import { renderTemplate } from './template.js';

export interface LabelRules {
  /** The branch a label asks a backport to (`backport-to: v1.2` → `v1.2`), if it is one. */
  requestTarget(label: string): string | undefined;
  /** `'*'` for a label that declines every branch, a branch for a per-branch decline. */
  declineTarget(label: string): string | undefined;
  /** True when the label marks the change as a fix (bug, security, …). */
  isFixLabel(label: string): boolean;
}

export type LabelRuleConfig = Pick<
  BackportConfig,
  'labelPattern' | 'targetBranch' | 'noBackportLabel' | 'noBackportToPattern' | 'fixLabels'
>;

export function labelRules(config: Partial<LabelRuleConfig> = {}): LabelRules {
  const c = { ...DEFAULT_CONFIG, ...config };
  const request = safePattern(c.labelPattern);
  const decline = safePattern(c.noBackportToPattern);
  // GitHub treats label names case-insensitively (`Bug` and `bug` are one label).
  const fix = new Set(c.fixLabels.map((l) => l.toLowerCase()));
  const branch = (target: string | undefined) =>
    target === undefined ? undefined : renderTemplate(c.targetBranch, { target });
  return {
    requestTarget: (label) => branch(request.target(label)),
    declineTarget: (label) =>
      label.toLowerCase() === c.noBackportLabel.toLowerCase() ? '*' : branch(decline.target(label)),
    isFixLabel: (label) => fix.has(label.toLowerCase()),
  };
}
