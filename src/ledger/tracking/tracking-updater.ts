/**
 * Keeps every repository's tracking issue current: the app calls `touch(repo)` after it
 * records facts; a debounced run reads the store, renders the body and syncs the issue.
 */
import type { Clock } from './debounce.js';
import { Debouncer } from './debounce.js';
import type { LabelRules } from '../../config/label-rules.js';
import type { LedgerStore } from '../ledger-store.js';
import { summarizeRepo } from '../repo-summary.js';
import type { SyncAction, TrackingIssueApi } from './tracking-issue-sync.js';
import { syncTrackingIssue } from './tracking-issue-sync.js';
import { renderTrackingIssue } from './tracking-issue.js';

export interface TrackingUpdaterOptions {
  store: LedgerStore;
  /**
   * Work done at the start of each debounced run, before the body is rendered: the app
   * refreshes what webhooks do not carry (checks, the missing-fix report) here, once per
   * burst rather than once per event. Answering false skips the run (nothing to show).
   */
  prepare?: (repo: string) => Promise<boolean | void>;
  /** A GitHub client for one repository (an installation token). */
  api: (repo: string) => Promise<TrackingIssueApi>;
  /** Supported branches from the repository's configuration. */
  branches?: (repo: string) => Promise<readonly string[]>;
  rules?: (repo: string) => Promise<LabelRules>;
  dashboardUrl?: (repo: string) => string | undefined;
  waitMs?: number;
  maxWaitMs?: number;
  clock?: Clock;
  now?: () => Date;
  onError?: (repo: string, err: unknown) => void;
  onSynced?: (repo: string, result: { number: number; action: SyncAction }) => void;
}

export interface TrackingUpdater {
  touch(repo: string): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function createTrackingUpdater(options: TrackingUpdaterOptions): TrackingUpdater {
  const { store } = options;
  const now = options.now ?? (() => new Date());
  const debouncer = new Debouncer({
    waitMs: options.waitMs,
    maxWaitMs: options.maxWaitMs,
    clock: options.clock,
    onError: options.onError,
    run: async (repo) => {
      if ((await options.prepare?.(repo)) === false) return;
      const info = await store.repo(repo);
      if (!info) return; // not installed (or not yet recorded): nothing to write to
      const summary = summarizeRepo({
        repo: info,
        items: await store.ledger(repo, await options.rules?.(repo)),
        missing: await store.missingFixes(repo),
        now: now(),
        branches: (await options.branches?.(repo)) ?? [],
      });
      const body = renderTrackingIssue(summary, { dashboardUrl: options.dashboardUrl?.(repo) });
      const result = await syncTrackingIssue(await options.api(repo), store, repo, body);
      options.onSynced?.(repo, result);
    },
  });
  return {
    touch: (repo) => debouncer.trigger(repo),
    flush: () => debouncer.flush(),
    close: () => debouncer.close(),
  };
}
