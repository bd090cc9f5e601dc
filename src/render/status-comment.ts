/**
 * The status comment on the original pull request: one table row per target. The rows
 * live in the comment's hidden marker, so updating one target means parse, replace that
 * row, render; the other rows come back exactly as they were.
 */
import { findMarker, renderMarker } from './marker.js';
import { markdownLink } from './links.js';
import { inlineCode, inlineMessage, inlineText } from './no-ping.js';
import type { StatusRow } from './status-row.js';

export type { StatusRow, StatusState, StatusLink } from './status-row.js';

const byTarget = new Intl.Collator('en', { numeric: true }).compare;

/** The rows of a status comment the app wrote; [] for any other body. */
export function parseStatusComment(body: string | null | undefined): StatusRow[] {
  return findMarker(body, 'status-comment')?.rows ?? [];
}

/** `rows` with `row` in place of the row for the same target (or added), in target order. */
export function upsertStatusRow(rows: readonly StatusRow[], row: StatusRow): StatusRow[] {
  return sortRows([...rows.filter((r) => r.target !== row.target), row]);
}

export function renderStatusComment(source: number, rows: readonly StatusRow[]): string {
  // One row per target; the later of two rows for the same target wins.
  const unique = sortRows([...new Map(rows.map((r) => [r.target, r])).values()]);
  const table = [
    '| Target | Result | Updated |',
    '| --- | --- | --- |',
    ...unique.map((row) => `| ${targetCell(row)} | ${resultCell(row)} | ${inlineText(row.at, 40)} |`),
  ];
  return [
    '### Backport status',
    '',
    ...(unique.length > 0 ? table : ['No backport was asked for yet.']),
    '',
    renderMarker({ type: 'status-comment', source, rows: unique }),
  ].join('\n');
}

function sortRows(rows: StatusRow[]): StatusRow[] {
  return rows.sort(
    (a, b) => byTarget(a.target, b.target) || (a.target < b.target ? -1 : a.target > b.target ? 1 : 0),
  );
}

function targetCell(row: StatusRow): string {
  const target = inlineCode(row.target, { inTable: true, max: 100 });
  return row.branch && row.branch !== row.target
    ? `${target} (${inlineCode(row.branch, { inTable: true, max: 100 })})`
    : target;
}

function link(l: StatusRow['link']): string {
  return l ? markdownLink(`#${l.number}`, l.url) : '';
}

function resultCell(row: StatusRow): string {
  const branch = inlineCode(row.branch ?? row.target, { inTable: true, max: 100 });
  switch (row.state) {
    case 'opened':
      return `✅ backport pull request ${link(row.link)}`.trimEnd() + autoMergeNote(row);
    case 'merged':
      return `✅ merged in ${link(row.link)}`.trimEnd();
    case 'closed':
      return `❌ ${link(row.link) || 'the backport pull request'} was closed without merging; reopen it or backport by hand`;
    case 'conflict': {
      const issue = row.link ? `see ${link(row.link)}` : 'see the conflict issue';
      const draft = row.draft ? `; draft with conflict markers: ${link(row.draft)}` : '';
      return `⚠️ needs manual adaptation: ${issue}${draft}`;
    }
    case 'already-applied':
      return `☑️ already on ${branch}`;
    case 'waiting':
      return '⏳ waiting for the pull request to be merged';
    case 'in-progress':
      return '🔄 in progress';
    case 'failed':
      return `❌ ${row.error ? inlineMessage(row.error.message, { max: 300, inTable: true }) : 'failed'}`;
  }
}

/** What became of auto-merge, after an opened PR's link. */
function autoMergeNote(row: StatusRow): string {
  const a = row.autoMerge;
  if (!a) return '';
  const method = inlineText(a.method, 20);
  switch (a.state) {
    case 'enabled':
      return `; auto-merge (${method}) is on`;
    case 'not-allowed':
      return '; auto-merge is not allowed in this repository (Settings → General → Allow auto-merge), so it waits for a person';
    case 'refused':
      return `; GitHub refused auto-merge: ${inlineMessage(a.message ?? '', { max: 200, inTable: true })}`;
  }
}
