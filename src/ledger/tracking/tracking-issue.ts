/**
 * The body of the per-repository "Backport status" issue: one section per branch with open
 * PRs, conflicts, requests not acted on, missing fixes, the oldest open item and latency.
 * Every piece of user text goes through the no-ping helpers, so an update never notifies
 * anyone; the body always fits GitHub's 65,536-character limit by showing fewer rows.
 */
import { renderMarker } from '../../render/marker.js';
import { branchUrl, commitUrl, markdownLink, shortSha } from '../../render/links.js';
import { inlineCode, inlineText, personName } from '../../render/no-ping.js';
import { describeReason } from '../../missing-fixes/fix-detection.js';
import { formatDuration } from '../latency.js';
import type { LedgerItem } from '../ledger-item.js';
import type { MissingFix } from '../../missing-fixes/missing-fixes.js';
import type { BranchSummary, RepoSummary } from '../repo-summary.js';

export const TRACKING_ISSUE_TITLE = 'Backport status';
export const MAX_ISSUE_BODY = 65_536;

export interface TrackingIssueOptions {
  /** The repository's dashboard page, linked from the top when given. */
  dashboardUrl?: string;
}

export function renderTrackingIssue(summary: RepoSummary, options: TrackingIssueOptions = {}): string {
  // Fewer rows per table until it fits; 0 rows still leaves every branch's summary line.
  for (let rows = 50; ; rows = Math.floor(rows / 2)) {
    const body = renderWith(summary, options, rows, summary.branches.length);
    if (body.length <= MAX_ISSUE_BODY) return body;
    if (rows === 0) break;
  }
  for (let shown = summary.branches.length - 1; shown > 0; shown--) {
    const body = renderWith(summary, options, 0, shown);
    if (body.length <= MAX_ISSUE_BODY) return body;
  }
  return renderWith(summary, options, 0, 0);
}

function renderWith(
  summary: RepoSummary,
  options: TrackingIssueOptions,
  rows: number,
  shown: number,
): string {
  const now = Date.parse(summary.generatedAt);
  const url = summary.repo.htmlUrl;
  const out = [
    renderMarker({ type: 'tracking-issue' }),
    `Backports per supported branch, kept up to date by Backport Assistant. ` +
      `Updated ${summary.generatedAt.replace(/\.\d+Z$/, 'Z').replace('T', ' ')}.` +
      (options.dashboardUrl ? ` ${markdownLink('Dashboard', options.dashboardUrl)}.` : ''),
  ];
  if (summary.branches.length === 0) out.push('', 'No supported branches and no backports yet.');
  for (const b of summary.branches.slice(0, shown))
    out.push('', ...branchSection(b, url, now, rows, summary.windowDays));
  const hidden = summary.branches.length - shown;
  if (hidden > 0)
    out.push('', `${hidden} more branch${hidden === 1 ? '' : 'es'} not shown: see the dashboard.`);
  return `${out.join('\n')}\n`;
}

function branchSection(
  b: BranchSummary,
  url: string,
  now: number,
  rows: number,
  windowDays: number,
): string[] {
  const headline = branchHeadline(b, url, now, windowDays);
  return rows === 0 ? headline : [...headline, ...branchTables(b, url, now, rows)];
}

/** What every branch shows, however short the body must be: counts, latency, the oldest open. */
function branchHeadline(b: BranchSummary, url: string, now: number, windowDays: number): string[] {
  const missing = b.missing?.report.missing ?? [];
  const lines = [`## ${markdownLink(inlineCode(b.branch), branchUrl(url, b.branch))}`, ''];
  const counts = [
    plural(b.openPrs.length, 'open PR'),
    plural(b.conflicts.length, 'conflict'),
    b.missing ? plural(missing.length, 'missing fix', 'missing fixes') : 'missing fixes not checked yet',
    ...(b.waiting.length ? [plural(b.waiting.length, 'request', 'requests') + ' not picked yet'] : []),
  ];
  lines.push(`**${counts.join(' · ')}**`, '');
  const states = (['requested', 'pr-open', 'conflict', 'merged', 'abandoned', 'declined'] as const)
    .filter((state) => b.counts[state] > 0)
    .map((state) => `${b.counts[state]} ${state}`);
  if (states.length) lines.push(`- All backports to this branch: ${states.join(', ')}.`);
  const { count, medianMs, p90Ms } = b.latency;
  lines.push(
    count === 0
      ? `- Latency: no backport merged in the last ${windowDays} days.`
      : `- Latency over the last ${windowDays} days (${plural(count, 'backport')}): ` +
          `median ${formatDuration(medianMs as number)}, p90 ${formatDuration(p90Ms as number)}.`,
  );
  if (b.oldestOpen) lines.push(`- Oldest open: ${describeItem(b.oldestOpen, url, now)}.`);
  return lines;
}

/** The items themselves, at most `rows` of each kind. */
function branchTables(b: BranchSummary, url: string, now: number, rows: number): string[] {
  const lines: string[] = [];
  if (b.waiting.length) {
    const list = b.waiting.slice(0, rows).map((i) => `${pull(url, i.source)} (${age(i, now)})`);
    lines.push(`- Requested, not picked yet: ${list.join(', ')}${b.waiting.length > rows ? ', …' : ''}.`);
  }
  if (b.openPrs.length) {
    lines.push('', '| Backport PR | Source | Age | Checks |', '| --- | --- | --- | --- |');
    for (const i of b.openPrs.slice(0, rows)) {
      const pr = i.backportPr as NonNullable<LedgerItem['backportPr']>;
      lines.push(`| ${pull(url, pr.number)} | ${source(i, url)} | ${age(i, now)} | ${CHECKS[pr.checks]} |`);
    }
    lines.push(...more(b.openPrs.length, rows));
  }
  if (b.conflicts.length) {
    lines.push('', '| Conflict issue | Source | Age | Assignees |', '| --- | --- | --- | --- |');
    for (const i of b.conflicts.slice(0, rows)) {
      const issue = i.conflictIssue as NonNullable<LedgerItem['conflictIssue']>;
      const who = issue.assignees.length ? issue.assignees.map(personName).join(', ') : 'nobody';
      lines.push(
        `| ${markdownLink(`#${issue.number}`, `${url}/issues/${issue.number}`)} | ${source(i, url)} | ${age(i, now)} | ${who} |`,
      );
    }
    lines.push(...more(b.conflicts.length, rows));
  }
  lines.push(...missingFixTable(b.missing?.report.missing ?? [], url, rows));
  const notNeeded = b.missing?.report.notNeeded ?? [];
  if (notNeeded.length) {
    const list = notNeeded
      .slice(0, rows)
      .map((n) => `${inlineCode(shortSha(n.sha))} (fixes ${n.fixes.map((s) => inlineCode(s)).join(', ')})`);
    lines.push(
      '',
      `Not needed on this branch, as it lacks the commit they fix: ${list.join(', ')}${notNeeded.length > rows ? ', …' : ''}.`,
    );
  }
  return lines;
}

function missingFixTable(missing: readonly MissingFix[], url: string, rows: number): string[] {
  if (missing.length === 0) return [];
  const lines = [
    '',
    '| Missing fix | Subject | Why it looks like a fix | Applies cleanly |',
    '| --- | --- | --- | --- |',
  ];
  for (const m of missing.slice(0, rows)) {
    const commit =
      markdownLink(inlineCode(shortSha(m.sha)), commitUrl(url, m.sha)) +
      (m.pr ? ` (${pull(url, m.pr)})` : '');
    const why = [
      ...m.reasons.map((r) => inlineText(describeReason(r), 80)),
      ...(m.fixesOnBranch.length
        ? [`needed: the branch has ${m.fixesOnBranch.map((s) => inlineCode(s)).join(', ')}`]
        : []),
    ];
    lines.push(
      `| ${commit} | ${inlineText(m.subject, 120)} | ${why.join('; ')} | ${APPLIES[m.applies ?? 'unknown']} |`,
    );
  }
  return [...lines, ...more(missing.length, rows)];
}

const APPLIES: Record<NonNullable<MissingFix['applies']>, string> = {
  clean: 'yes',
  conflict: 'no, it conflicts',
  unknown: 'not checked',
};

const CHECKS: Record<NonNullable<LedgerItem['backportPr']>['checks'], string> = {
  success: '✅ passing',
  failure: '❌ failing',
  pending: '⏳ running',
  none: 'no checks',
  unknown: 'not known yet',
};

function describeItem(i: LedgerItem, url: string, now: number): string {
  if (i.state === 'pr-open' && i.backportPr)
    return `${pull(url, i.backportPr.number)} (PR open for ${age(i, now)}, backport of ${pull(url, i.source)})`;
  if (i.state === 'conflict' && i.conflictIssue) {
    const issue = markdownLink(`#${i.conflictIssue.number}`, `${url}/issues/${i.conflictIssue.number}`);
    return `${issue} (conflict for ${age(i, now)}, backport of ${pull(url, i.source)})`;
  }
  return `${pull(url, i.source)} (requested, not picked for ${age(i, now)})`;
}

function source(i: LedgerItem, url: string): string {
  return pull(url, i.source) + (i.sourceTitle ? ` ${inlineText(i.sourceTitle, 100)}` : '');
}

function pull(url: string, n: number): string {
  return markdownLink(`#${n}`, `${url}/pull/${n}`);
}

function age(i: LedgerItem, now: number): string {
  return i.since ? formatDuration(Math.max(0, now - Date.parse(i.since))) : 'unknown';
}

function more(total: number, rows: number): string[] {
  return total > rows ? ['', `…and ${total - rows} more.`] : [];
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
