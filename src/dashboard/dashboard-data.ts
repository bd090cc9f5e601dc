/**
 * What the dashboard's pages show, read from the ledger store, and who may see it: a private
 * repository only to a signed-in person GitHub says can read it.
 */
import type { LabelRules } from '../config/label-rules.js';
import { DAY_MS, latencyPoints } from '../ledger/latency.js';
import type { LedgerItem } from '../ledger/ledger-item.js';
import type { LedgerStore, RepoInfo } from '../ledger/ledger-store.js';
import type { RepoSummary } from '../ledger/repo-summary.js';
import { summarizeRepo } from '../ledger/repo-summary.js';
import type { RepoListEntry } from './dashboard-pages.js';
import { renderLatencyChart } from './latency-chart.js';
import type { RepoAccess } from './repo-access.js';
import type { Session } from './session-cookie.js';

export interface DashboardDataOptions {
  store: LedgerStore;
  access: RepoAccess;
  branches?: (repo: string) => Promise<readonly string[]>;
  rules?: (repo: string) => Promise<LabelRules>;
  /** Days of history in the latency chart (default 180). */
  chartDays?: number;
  onError?: (err: unknown) => void;
}

export interface DashboardData {
  /** The repositories the visitor may see, with their open counts. */
  repoList(session: Session | null): Promise<RepoListEntry[]>;
  /** The repository of that name (any case), when it is in the store and the visitor may see it. */
  visibleRepo(fullName: string, session: Session | null): Promise<RepoInfo | undefined>;
  /** One repository's page: its summary and its latency chart (SVG). */
  repoPage(info: RepoInfo): Promise<{ summary: RepoSummary; chart: string }>;
}

export function createDashboardData(options: DashboardDataOptions, now: () => Date): DashboardData {
  const { store } = options;

  async function canView(info: RepoInfo, session: Session | null): Promise<boolean> {
    try {
      if (await options.access.isPublic(info.repo)) return true;
      return session !== null && (await options.access.canRead(session.token, info.repo));
    } catch (err) {
      // Fail closed: when GitHub cannot confirm access, the repository is not shown.
      options.onError?.(err);
      return false;
    }
  }

  function chartFor(branches: string[], items: readonly LedgerItem[]): string {
    const to = now();
    const days = options.chartDays ?? 180;
    const series = branches.map((branch) => ({ branch, points: latencyPoints(items, branch, to, days) }));
    return renderLatencyChart(series, { from: new Date(to.getTime() - days * DAY_MS), to });
  }

  return {
    async repoList(session) {
      const entries: RepoListEntry[] = [];
      for (const info of await store.repos()) {
        if (!(await canView(info, session))) continue;
        const items = await store.ledger(info.repo, await options.rules?.(info.repo));
        const reports = await store.missingFixes(info.repo);
        entries.push({
          repo: info,
          openPrs: items.filter((i) => i.state === 'pr-open').length,
          conflicts: items.filter((i) => i.state === 'conflict').length,
          missing: reports.length ? reports.reduce((n, r) => n + r.report.missing.length, 0) : null,
        });
      }
      return entries;
    },

    async visibleRepo(fullName, session) {
      const wanted = fullName.toLowerCase();
      const info = (await store.repos()).find((r) => r.repo.toLowerCase() === wanted);
      return info && (await canView(info, session)) ? info : undefined;
    },

    async repoPage(info) {
      const items = await store.ledger(info.repo, await options.rules?.(info.repo));
      const summary = summarizeRepo({
        repo: info,
        items,
        missing: await store.missingFixes(info.repo),
        now: now(),
        branches: (await options.branches?.(info.repo)) ?? [],
      });
      const chart = chartFor(
        summary.branches.map((b) => b.branch),
        items,
      );
      return { summary, chart };
    },
  };
}
