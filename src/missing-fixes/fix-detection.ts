/**
 * Why a commit looks like a fix. A commit with no reason is a feature or chore and is never
 * reported as missing; the reasons are shown so a release manager can judge the guess.
 */
import { fixesTrailers, isFixSubject, subjectOf } from './commit-trailers.js';
import type { LabelRules } from '../config/label-rules.js';

export type FixReason =
  | { kind: 'label'; label: string }
  | { kind: 'trailer'; value: string }
  | { kind: 'subject'; subject: string };

export function fixReasons(
  message: string,
  labels: readonly string[],
  rules: Pick<LabelRules, 'isFixLabel'>,
): FixReason[] {
  const reasons: FixReason[] = [];
  for (const label of labels) if (rules.isFixLabel(label)) reasons.push({ kind: 'label', label });
  for (const value of fixesTrailers(message)) reasons.push({ kind: 'trailer', value });
  const subject = subjectOf(message);
  if (isFixSubject(subject)) reasons.push({ kind: 'subject', subject });
  return reasons;
}

/** One short phrase per reason, for tables: `label bug`, `Fixes: #12`, `fix: subject`. */
export function describeReason(reason: FixReason): string {
  switch (reason.kind) {
    case 'label':
      return `label ${reason.label}`;
    case 'trailer':
      return `Fixes: ${reason.value}`;
    case 'subject':
      return 'fix: subject';
  }
}
