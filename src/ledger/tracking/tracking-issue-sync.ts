/**
 * Creates or updates the "Backport status" issue of a repository. The issue is found by its
 * hidden marker (the number cached in the store is only a shortcut), so a lost cache or a new
 * install finds the issue it already made instead of opening a second one.
 */
import { findMarker } from '../../render/marker.js';
import type { LedgerStore } from '../ledger-store.js';
import { TRACKING_ISSUE_TITLE } from './tracking-issue.js';

export interface IssueRecord {
  number: number;
  state: 'open' | 'closed';
  body: string | null;
}

/** The few GitHub calls the sync needs, for one repository (the app adapts its Octokit). */
export interface TrackingIssueApi {
  getIssue(number: number): Promise<IssueRecord | null>;
  /** Issues the app created in the repository, newest first (open and closed). */
  listOwnIssues(): Promise<IssueRecord[]>;
  createIssue(title: string, body: string): Promise<IssueRecord>;
  updateIssue(number: number, body: string): Promise<void>;
}

export type SyncAction = 'created' | 'updated' | 'unchanged';

export async function syncTrackingIssue(
  api: TrackingIssueApi,
  store: LedgerStore,
  repo: string,
  body: string,
): Promise<{ number: number; action: SyncAction }> {
  const existing = await findTrackingIssue(api, (await store.repo(repo))?.trackingIssue ?? null);
  if (!existing) {
    const created = await api.createIssue(TRACKING_ISSUE_TITLE, body);
    await store.setTrackingIssue(repo, created.number);
    return { number: created.number, action: 'created' };
  }
  await store.setTrackingIssue(repo, existing.number);
  // A closed tracking issue stays closed (someone closed it on purpose) but stays current.
  if (existing.body === body) return { number: existing.number, action: 'unchanged' };
  await api.updateIssue(existing.number, body);
  return { number: existing.number, action: 'updated' };
}

async function findTrackingIssue(api: TrackingIssueApi, cached: number | null): Promise<IssueRecord | null> {
  if (cached !== null) {
    const issue = await api.getIssue(cached);
    if (issue && findMarker(issue.body, 'tracking-issue')) return issue;
  }
  const own = await api.listOwnIssues();
  const marked = own.filter((i) => findMarker(i.body, 'tracking-issue'));
  return marked.find((i) => i.state === 'open') ?? marked[0] ?? null;
}
