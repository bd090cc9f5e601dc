/**
 * The dashboard's server-rendered pages: the repository list and one page per repository
 * with the per-branch tables, the latency chart and the oldest open items. Plain HTML and a
 * little CSS; no script, so the Content-Security-Policy can forbid scripts entirely.
 */
import { describeReason } from '../missing-fixes/fix-detection.js';
import type { HtmlValue, SafeHtml } from './html.js';
import { html, safeHref, trusted } from './html.js';
import type { PageContext } from './dashboard-layout.js';
import { layout } from './dashboard-layout.js';
import { formatDuration } from '../ledger/latency.js';
import type { LedgerItem } from '../ledger/ledger-item.js';
import type { MissingFix } from '../missing-fixes/missing-fixes.js';
import type { RepoInfo } from '../ledger/ledger-store.js';
import type { BranchSummary, RepoSummary } from '../ledger/repo-summary.js';

export interface RepoListEntry {
  repo: RepoInfo;
  openPrs: number;
  conflicts: number;
  /** Null when no missing-fix report exists yet. */
  missing: number | null;
}

export function repoPath(prefix: string, repo: string): string {
  return `${prefix}/${repo.split('/').map(encodeURIComponent).join('/')}`;
}

export function renderRepoListPage(entries: readonly RepoListEntry[], ctx: PageContext): string {
  const rows = entries.map(
    (e) =>
      html`<tr>
        <td>
          <a href="${repoPath(ctx.prefix, e.repo.repo)}">${e.repo.repo}</a
          >${e.repo.private ? html` <span class="badge">private</span>` : ''}
        </td>
        <td class="num">${e.openPrs}</td>
        <td class="num">${e.conflicts}</td>
        <td class="num">${e.missing ?? '–'}</td>
      </tr>`,
  );
  const body = entries.length
    ? html`<table>
        <thead>
          <tr>
            <th>Repository</th>
            <th>Open PRs</th>
            <th>Conflicts</th>
            <th>Missing fixes</th>
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>`
    : html`<p>
        No repositories to show.${ctx.user ? '' : ' Private repositories appear after you sign in.'}
      </p>`;
  return layout(
    'Backport status',
    html`<h1>Backport status</h1>
      ${body}`,
    ctx,
  );
}

export function renderRepoPage(summary: RepoSummary, chartSvg: string, ctx: PageContext): string {
  const now = Date.parse(summary.generatedAt);
  const repo = summary.repo;
  const oldest = summary.oldestOpen.slice(0, 10);
  const content = html` <h1>
      <a href="${safeHref(repo.htmlUrl)}">${repo.repo}</a
      >${repo.private ? html` <span class="badge">private</span>` : ''}
    </h1>
    <p class="muted">
      Updated ${summary.generatedAt.slice(0, 16).replace('T', ' ')} UTC. Latency is the time from the upstream
      merge to the backport merge.
    </p>
    <nav aria-label="Branches">
      <ul class="inline">
        ${summary.branches.map((b) => html`<li><a href="#${branchId(b.branch)}">${b.branch}</a></li>`)}
      </ul>
    </nav>
    <section aria-labelledby="chart-h">
      <h2 id="chart-h">Latency per branch</h2>
      <figure>
        ${trusted(chartSvg)}
        <figcaption>Each mark is one merged backport.</figcaption>
      </figure>
    </section>
    <section aria-labelledby="oldest-h">
      <h2 id="oldest-h">Oldest open</h2>
      ${
        oldest.length
          ? html`<ol class="oldest">
              ${oldest.map((i) => html`<li>${itemLine(i, repo, now)}</li>`)}
            </ol>`
          : html`<p>Nothing open.</p>`
      }
    </section>
    ${summary.branches.map((b) => branchSection(b, repo, now, summary.windowDays))}`;
  return layout(`Backport status: ${repo.repo}`, content, ctx);
}

export function renderNotFoundPage(ctx: PageContext): string {
  const hint = ctx.user
    ? html`<p>There is nothing here, or your GitHub account cannot read this repository.</p>`
    : ctx.canSignIn
      ? html`<p>There is nothing here. If this is a private repository, sign in with GitHub to see it.</p>`
      : html`<p>There is nothing here.</p>`;
  return layout(
    'Not found',
    html`<h1>Not found</h1>
      ${hint}`,
    ctx,
  );
}

export function renderErrorPage(title: string, message: string, ctx: PageContext): string {
  return layout(
    title,
    html`<h1>${title}</h1>
      <p>${message}</p>`,
    ctx,
  );
}

function branchSection(b: BranchSummary, repo: RepoInfo, now: number, windowDays: number): SafeHtml {
  const url = repo.htmlUrl;
  const { count, medianMs, p90Ms } = b.latency;
  const missing = b.missing?.report.missing ?? [];
  const notNeeded = b.missing?.report.notNeeded ?? [];
  return html`<section id="${branchId(b.branch)}" class="branch">
    <h2>Branch <code>${b.branch}</code></h2>
    <dl class="stats">
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
        <dd>${b.missing ? missing.length : 'not checked'}</dd>
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
    </dl>
    ${b.oldestOpen ? html`<p>Oldest open: ${itemLine(b.oldestOpen, repo, now)}</p>` : ''}
    ${table(
      'Open backport PRs',
      ['Backport PR', 'Source', 'Age', 'Checks'],
      b.openPrs.map((i) => [link(url, 'pull', i.backportPr?.number), source(i, url), age(i, now), checks(i)]),
    )}
    ${table(
      'Conflicts',
      ['Issue', 'Source', 'Age', 'Assignees'],
      b.conflicts.map((i) => [
        link(url, 'issues', i.conflictIssue?.number),
        source(i, url),
        age(i, now),
        i.conflictIssue?.assignees.join(', ') || 'nobody',
      ]),
    )}
    ${table(
      'Requested, not picked yet',
      ['Source', 'Waiting'],
      b.waiting.map((i) => [source(i, url), age(i, now)]),
    )}
    ${table(
      'Other backports',
      ['State', 'Source', 'Detail'],
      b.history.map((i) => [stateWord(i), source(i, url), historyDetail(i, url, now)]),
    )}
    ${table(
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
    }
  </section>`;
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

function table(caption: string, head: string[], rows: HtmlValue[][]): SafeHtml | '' {
  if (rows.length === 0) return '';
  return html`<table>
    <caption>
      ${caption}
    </caption>
    <thead>
      <tr>
        ${head.map((h) => html`<th scope="col">${h}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (r) =>
          html`<tr>
            ${r.map((c) => html`<td>${c}</td>`)}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function itemLine(i: LedgerItem, repo: RepoInfo, now: number): SafeHtml {
  const url = repo.htmlUrl;
  const where =
    i.state === 'pr-open'
      ? html`backport PR ${link(url, 'pull', i.backportPr?.number)}`
      : i.state === 'conflict'
        ? html`conflict ${link(url, 'issues', i.conflictIssue?.number)}`
        : html`request`;
  return html`${where} to <code>${i.target}</code> for ${source(i, url)}, open for ${age(i, now)}`;
}

function source(i: LedgerItem, url: string): SafeHtml {
  return html`${link(url, 'pull', i.source)}${i.sourceTitle ? html` ${i.sourceTitle}` : ''}`;
}

function link(url: string, kind: 'pull' | 'issues', n: number | undefined): SafeHtml {
  return n === undefined ? html`–` : html`<a href="${safeHref(`${url}/${kind}/${n}`)}">#${n}</a>`;
}

function age(i: LedgerItem, now: number): string {
  return i.since ? formatDuration(Math.max(0, now - Date.parse(i.since))) : 'unknown';
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

function branchId(branch: string): string {
  return `branch-${branch.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}
