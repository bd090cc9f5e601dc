// One repository's reconciliation against a scripted GitHub: what it queues again, and that
// its cost stays within its bound however many PRs the repository has.
import { describe, expect, it } from '@jest/globals';
import type { BackportJobRequest } from '../../src/jobs/job-request.js';
import type { RepoConnection } from '../../src/jobs/job-ports.js';
import { DEFAULT_RECONCILE, reconcileRepo } from '../../src/jobs/reconcile.js';
import { renderStatusComment, type StatusRow } from '../../src/render/status-comment.js';

const NOW = new Date('2026-06-15T12:00:00Z');
const BOT = 'backport-assistant[bot]';
const day = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString();

interface FakePull {
  number: number;
  mergedDaysAgo: number | null;
  labels: string[];
  rows: StatusRow[];
}

/** A GitHub that lists `pulls` (newest update first, 100 a page) and their status comments. */
function github(pulls: FakePull[]): { conn: RepoConnection; calls: string[] } {
  const calls: string[] = [];
  const request = async (route: string, params: Record<string, unknown> = {}) => {
    calls.push(route);
    if (route === 'GET /repos/{owner}/{repo}/pulls') {
      const page = Number(params.page ?? 1);
      const data = pulls.slice((page - 1) * 100, page * 100).map((p) => ({
        number: p.number,
        merged_at: p.mergedDaysAgo === null ? null : day(p.mergedDaysAgo),
        updated_at: day(p.mergedDaysAgo ?? 0),
        labels: p.labels.map((name) => ({ name })),
        base: { ref: 'main', sha: 'x' },
      }));
      return { status: 200, data, headers: {} };
    }
    if (route === 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments') {
      const pull = pulls.find((p) => p.number === params.issue_number)!;
      const body = renderStatusComment(pull.number, pull.rows);
      return {
        status: 200,
        data: pull.rows.length ? [{ id: 1, body, user: { login: BOT, type: 'Bot' } }] : [],
        headers: {},
      };
    }
    throw new Error(`unexpected ${route}`);
  };
  return {
    calls,
    conn: {
      access: { request, token: async () => 'unused', appLogin: async () => BOT },
      readConfig: async () => ({ rawConfig: null }),
    },
  };
}

const row = (target: string, state: StatusRow['state'], at = day(0)): StatusRow =>
  ({
    target,
    state,
    at,
    ...(state === 'opened' ? { link: { url: 'https://x/1', number: 1 } } : {}),
  }) as StatusRow;

describe('reconciling one repository', () => {
  it('queues targets without a final row, and those in progress for too long', async () => {
    const { conn } = github([
      {
        number: 1,
        mergedDaysAgo: 1,
        labels: ['backport-to: v1', 'backport-to: v2'],
        rows: [row('v1', 'opened')],
      },
      { number: 2, mergedDaysAgo: 2, labels: ['backport-to: v1'], rows: [row('v1', 'in-progress', day(1))] },
      { number: 3, mergedDaysAgo: 2, labels: ['backport-to: v1'], rows: [row('v1', 'in-progress', day(0))] },
      { number: 4, mergedDaysAgo: 3, labels: ['backport-to: v1'], rows: [row('v1', 'failed')] },
      { number: 5, mergedDaysAgo: null, labels: ['backport-to: v1'], rows: [] },
      { number: 6, mergedDaysAgo: 30, labels: ['backport-to: v1'], rows: [] },
      { number: 7, mergedDaysAgo: 1, labels: ['bug'], rows: [] },
    ]);
    const queued: BackportJobRequest[] = [];
    const repo = { fullName: 'acme/widgets', cloneUrl: 'https://x/acme/widgets.git' };
    const found = await reconcileRepo(repo, conn, DEFAULT_RECONCILE, NOW, async (r) => queued.push(r));
    expect(queued.map((r) => [r.pullNumber, r.targets])).toEqual([
      [1, ['v2']],
      [2, ['v1']],
    ]);
    expect(found).toMatchObject({ pullsExamined: 4, targetsQueued: 2 });
  });

  it('costs at most 1 + maxPages + 2 × maxPulls calls, however many PRs there are', async () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({
      number: i + 1,
      mergedDaysAgo: 1,
      labels: ['backport-to: v1'],
      rows: [],
    }));
    const { conn, calls } = github(many);
    const settings = { ...DEFAULT_RECONCILE, maxPulls: 20, maxPages: 3 };
    const found = await reconcileRepo(
      { fullName: 'acme/big', cloneUrl: 'x' },
      conn,
      settings,
      NOW,
      async () => 0,
    );
    expect(found.pullsExamined).toBe(20);
    // The configuration read counts as one call; the rest went through the counted client.
    expect(found.apiCalls).toBe(1 + calls.length);
    expect(found.apiCalls).toBeLessThanOrEqual(1 + settings.maxPages + 2 * settings.maxPulls);
  });

  it('tries each call once: a failing GitHub ends the pass for the repository within its bound', async () => {
    const { conn, calls } = github([{ number: 1, mergedDaysAgo: 1, labels: ['backport-to: v1'], rows: [] }]);
    const answer = conn.access.request;
    const failing: RepoConnection = {
      ...conn,
      access: {
        ...conn.access,
        request: async (route, params) => {
          if (route.includes('/comments')) {
            calls.push(route);
            // Rate limited for an hour: waiting would hold the pass and spend what jobs need.
            throw Object.assign(new Error('API rate limit exceeded'), {
              status: 403,
              response: { headers: { 'x-ratelimit-remaining': '0', 'retry-after': '1' }, data: {} },
            });
          }
          return answer(route, params);
        },
      },
    };
    const repo = { fullName: 'acme/widgets', cloneUrl: 'x' };
    await expect(reconcileRepo(repo, failing, DEFAULT_RECONCILE, NOW, async () => 0)).rejects.toThrow(
      /rate limit/,
    );
    // One list, one comments read: no retry (the next pass is the retry).
    expect(calls.filter((c) => c.includes('/comments'))).toHaveLength(1);
  });
});
