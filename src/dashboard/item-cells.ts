/**
 * How a ledger item shows on the dashboard's pages: links to its pull requests and issues on
 * GitHub, its source PR with title, and how long it has been in its state.
 */
import type { SafeHtml } from './html.js';
import { html, safeHref } from './html.js';
import { formatDuration } from '../ledger/latency.js';
import type { LedgerItem } from '../ledger/ledger-item.js';
import type { RepoInfo } from '../ledger/ledger-store.js';

export function itemLine(i: LedgerItem, repo: RepoInfo, now: number): SafeHtml {
  const url = repo.htmlUrl;
  const where =
    i.state === 'pr-open'
      ? html`backport PR ${link(url, 'pull', i.backportPr?.number)}`
      : i.state === 'conflict'
        ? html`conflict ${link(url, 'issues', i.conflictIssue?.number)}`
        : html`request`;
  return html`${where} to <code>${i.target}</code> for ${source(i, url)}, open for ${age(i, now)}`;
}

export function source(i: LedgerItem, url: string): SafeHtml {
  return html`${link(url, 'pull', i.source)}${i.sourceTitle ? html` ${i.sourceTitle}` : ''}`;
}

export function link(url: string, kind: 'pull' | 'issues', n: number | undefined): SafeHtml {
  return n === undefined ? html`–` : html`<a href="${safeHref(`${url}/${kind}/${n}`)}">#${n}</a>`;
}

export function age(i: LedgerItem, now: number): string {
  return i.since ? formatDuration(Math.max(0, now - Date.parse(i.since))) : 'unknown';
}
