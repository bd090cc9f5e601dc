/**
 * The `status` report as text for a terminal and as JSON for scripts. Commit subjects are
 * other people's text: control characters are replaced so a subject cannot drive the terminal.
 */
import { terminalSafe } from '../common/control-chars.js';
import { describeReason } from '../missing-fixes/fix-detection.js';
import type { LocalBranchStatus, LocalMissingFix, LocalStatusReport } from './local-status.js';

/** The JSON shape `--json` prints. `version` changes only when a field changes meaning. */
export interface StatusJson extends LocalStatusReport {
  version: 1;
}

export function statusJson(report: LocalStatusReport): StatusJson {
  return { version: 1, ...report };
}

export function renderStatusText(report: LocalStatusReport): string {
  const lines = [`Default branch ${terminalSafe(report.defaultBranch)} at ${short(report.defaultTip)}`];
  for (const b of report.branches) lines.push('', ...branchLines(b));
  return `${lines.join('\n')}\n`;
}

function branchLines(b: LocalBranchStatus): string[] {
  const { fixes, present, decided } = b.counts;
  const fork = b.forkPoint ? `forked at ${short(b.forkPoint)}` : 'no common history';
  const head =
    `${terminalSafe(b.branch)} (${fork}): ${fixes} fix-looking commit${fixes === 1 ? '' : 's'} since, ` +
    `${present} already on the branch` +
    (decided ? `, ${decided} decided` : '') +
    (b.notNeeded.length ? `, ${b.notNeeded.length} not needed` : '');
  const lines = [head];
  if (b.missing.length === 0) lines.push('  No missing fixes.');
  else {
    lines.push(`  Missing (${b.missing.length}):`);
    for (const m of b.missing) lines.push(...missingLines(m, b.branch));
  }
  for (const n of b.notNeeded) {
    lines.push(
      `  Not needed: ${short(n.sha)} ${terminalSafe(n.subject)}`,
      `    it fixes ${n.fixes.map(short).join(', ')}, which ${terminalSafe(b.branch)} does not contain`,
    );
  }
  return lines;
}

function missingLines(m: LocalMissingFix, branch: string): string[] {
  const lines = [`    ${short(m.sha)} ${terminalSafe(m.subject)}`];
  const why = m.reasons.map(describeReason).map(terminalSafe).join('; ');
  lines.push(
    `      why: ${why}; applies cleanly: ${m.applies === 'clean' ? 'yes' : m.applies === 'conflict' ? 'no' : 'unknown'}`,
  );
  if (m.fixesOnBranch.length)
    lines.push(
      `      needed: ${terminalSafe(branch)} contains ${m.fixesOnBranch.map(short).join(', ')}, which it fixes`,
    );
  if (m.fixesUnknown.length)
    lines.push(
      `      note: ${m.fixesUnknown.map(short).join(', ')} named by Fixes: is not in this repository`,
    );
  return lines;
}

function short(sha: string): string {
  return sha.slice(0, 12);
}
