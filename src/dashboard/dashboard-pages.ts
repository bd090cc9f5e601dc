/**
 * The dashboard's server-rendered pages: the repository list and one page per repository
 * with the per-branch tables, the latency chart and the oldest open items. Plain HTML and a
 * little CSS; no script, so the Content-Security-Policy can forbid scripts entirely.
 */
import { html, safeHref, trusted } from './html.js';
import type { PageContext } from './dashboard-layout.js';
import { layout } from './dashboard-layout.js';
import type { RepoInfo } from '../ledger/ledger-store.js';
import type { RepoSummary } from '../ledger/repo-summary.js';
import { branchId, branchSection } from './branch-section.js';
import { itemLine } from './item-cells.js';

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
