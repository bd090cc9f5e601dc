/**
 * One supported branch on a repository's dashboard page: its numbers, then a table for each
 * kind of item (open PRs, conflicts, waiting requests, the rest, missing fixes).
 */
import { describeReason } from '../missing-fixes/fix-detection.js';
import type { MissingFix } from '../missing-fixes/missing-fixes.js';
import { formatDuration } from '../ledger/latency.js';
import type { LedgerItem } from '../ledger/ledger-item.js';
import type { RepoInfo } from '../ledger/ledger-store.js';
import type { BranchSummary } from '../ledger/repo-summary.js';
import { captionedTable } from './captioned-table.js';
import type { HtmlValue, SafeHtml } from './html.js';
import { html, safeHref } from './html.js';
import { age, itemLine, link, source } from './item-cells.js';

export function branchSection(b: BranchSummary, repo: RepoInfo, now: number, windowDays: number): SafeHtml {
  return html`<section id="${branchId(b.branch)}" class="branch">
    <h2>Branch <code>${b.branch}</code></h2>
    ${branchStats(b, windowDays)}
    ${b.oldestOpen ? html`<p>Oldest open: ${itemLine(b.oldestOpen, repo, now)}</p>` : ''}
    ${itemTables(b, repo.htmlUrl, now)} ${missingFixes(b, repo.htmlUrl)}
  </section>`;
}

function branchStats(b: BranchSummary, windowDays: number): SafeHtml {
  const { count, medianMs, p90Ms } = b.latency;
  return html`<dl class="stats">
    <div>
      <dt>Open PRs</dt>
      <dd>${b.openPrs.length}</dd>
    </div>
    <div>
      <dt>Conflicts</dt>
      <dd>${b.conflicts.length}</dd>
    </div>
    <div>
      <dt>Missing fixes</dt>
      <dd>${b.missing ? b.missing.report.missing.length : 'not checked'}</dd>
    </div>
    <div>
      <dt>Median (${windowDays} d)</dt>
      <dd>${count ? formatDuration(medianMs as number) : '–'}</dd>
    </div>
    <div>
      <dt>p90 (${windowDays} d)</dt>
      <dd>${count ? formatDuration(p90Ms as number) : '–'}</dd>
    </div>
    <div>
      <dt>Merged (${windowDays} d)</dt>
      <dd>${count}</dd>
    </div>
  </dl>`;
}

/** The branch's backports, a table per state that has any. */
function itemTables(b: BranchSummary, url: string, now: number): SafeHtml {
  return html`${captionedTable(
    'Open backport PRs',
    ['Backport PR', 'Source', 'Age', 'Checks'],
    b.openPrs.map((i) => [link(url, 'pull', i.backportPr?.number), source(i, url), age(i, now), checks(i)]),
  )}
  ${captionedTable(
    'Conflicts',
    ['Issue', 'Source', 'Age', 'Assignees'],
    b.conflicts.map((i) => [
      link(url, 'issues', i.conflictIssue?.number),
      source(i, url),
      age(i, now),
      i.conflictIssue?.assignees.join(', ') || 'nobody',
    ]),
  )}
  ${captionedTable(
    'Requested, not picked yet',
    ['Source', 'Waiting'],
    b.waiting.map((i) => [source(i, url), age(i, now)]),
  )}
  ${captionedTable(
    'Other backports',
    ['State', 'Source', 'Detail'],
    b.history.map((i) => [stateWord(i), source(i, url), historyDetail(i, url, now)]),
  )}`;
}

/** Fixes on the default branch the branch lacks, and those it does not need. */
function missingFixes(b: BranchSummary, url: string): SafeHtml {
  const missing = b.missing?.report.missing ?? [];
  const notNeeded = b.missing?.report.notNeeded ?? [];
  return html`${captionedTable(
    'Missing fixes',
    ['Commit', 'PR', 'Subject', 'Why', 'Applies cleanly'],
    missing.map((m) => [
      html`<a href="${safeHref(`${url}/commit/${m.sha}`)}"><code>${m.sha.slice(0, 7)}</code></a>`,
      m.pr ? link(url, 'pull', m.pr) : '–',
      m.subject,
      [
        m.reasons.map(describeReason).join('; '),
        m.fixesOnBranch.length ? `; needed: the branch has ${m.fixesOnBranch.join(', ')}` : '',
      ].join(''),
      applies(m.applies),
    ]),
  )}
  ${
    notNeeded.length
      ? html`<p class="muted">
          Not needed here, as the branch lacks the commit they fix:
          ${notNeeded.map((n, k) => html`${k ? ', ' : ''}<code>${n.sha.slice(0, 7)}</code> (fixes ${n.fixes.join(', ')})`)}
        </p>`
      : ''
  }`;
}

function stateWord(i: LedgerItem): string {
  if (i.state === 'declined') return i.target === '*' ? 'declined (no backport at all)' : 'declined';
  if (i.state === 'requested') return i.sourceMergedAt ? 'requested' : 'requested (PR not merged yet)';
  return i.state;
}

function historyDetail(i: LedgerItem, url: string, now: number): HtmlValue {
  switch (i.state) {
    case 'merged':
      return html`${link(url, 'pull', i.backportPr?.number)}
      merged${i.latencyMs !== null ? ` ${formatDuration(i.latencyMs)} after the upstream merge` : ''}`;
    case 'abandoned':
      return i.reason === 'pr-closed'
        ? html`${link(url, 'pull', i.backportPr?.number)} closed without merging`
        : i.reason === 'issue-closed'
          ? html`${link(url, 'issues', i.conflictIssue?.number)} closed without a backport`
          : 'the pull request was closed without merging';
    case 'requested':
      return i.sourceMergedAt ? `asked ${age(i, now)} ago` : 'picked when the pull request is merged';
    default:
      return i.since ? `since ${age(i, now)} ago` : '';
  }
}

function checks(i: LedgerItem): SafeHtml {
  const state = i.backportPr?.checks ?? 'unknown';
  const word = {
    success: 'passing',
    failure: 'failing',
    pending: 'running',
    none: 'no checks',
    unknown: 'unknown',
  }[state];
  return html`<span class="checks ${state}">${word}</span>`;
}

function applies(check: MissingFix['applies']): SafeHtml {
  const word = { clean: 'yes', conflict: 'no, it conflicts', unknown: 'not checked' }[check ?? 'unknown'];
  return html`<span class="applies ${check ?? 'unknown'}">${word}</span>`;
}

/** The anchor of a branch's section, for the page's branch list. */
export function branchId(branch: string): string {
  return `branch-${branch.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}
