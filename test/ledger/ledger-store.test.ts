import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBackportError } from '../../src/errors.js';
import { renderMarker } from '../../src/render/marker.js';
import type { GhIssue } from '../../src/common/github-types.js';
import type { GitHubPull } from '../../src/ledger/facts-from-github.js';
import {
  factFromIssue,
  factsFromPull,
  requestFromLabel,
  requestsFromStatusComment,
} from '../../src/ledger/facts-from-github.js';
import { combineChecks } from '../../src/publish/combine-checks.js';
import { renderStatusComment } from '../../src/render/status-comment.js';
import { labelRules } from '../../src/config/label-rules.js';
import type { Fact } from '../../src/ledger/ledger-facts.js';
import { MIGRATIONS } from '../../src/ledger/ledger-migrations.js';
import { LedgerStore } from '../../src/ledger/ledger-store.js';
import { REPO, at, shuffled } from './fact-builders.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-store-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pull = (p: Partial<GitHubPull> & { number: number }): GitHubPull => ({
  title: `PR ${p.number}`,
  state: 'open',
  body: '',
  labels: [],
  base: { ref: 'main' },
  head: { sha: `sha-${p.number}` },
  merged_at: null,
  closed_at: null,
  created_at: at(0),
  updated_at: at(0),
  merge_commit_sha: null,
  ...p,
});
const issue = (i: Partial<GhIssue> & { number: number }): GhIssue => ({
  html_url: `https://github.com/${REPO}/issues/${i.number}`,
  title: `Issue ${i.number}`,
  user: { login: 'backport-assistant[bot]', type: 'Bot' },
  labels: [],
  state: 'open',
  body: '',
  assignees: [],
  created_at: at(0),
  closed_at: null,
  updated_at: at(0),
  ...i,
});
const bpBody = (source: number, target: string) =>
  `Backport of #${source}\n${renderMarker({ type: 'backport-pr', source, target, commits: ['abc'] })}`;
const ciBody = (source: number, target: string) =>
  `Conflict\n${renderMarker({ type: 'conflict-issue', source, target, commits: ['abc'] })}`;

// GitHub as it is at the end of the story: what a rebuild reads over REST.
const finalPulls = [
  pull({
    number: 1,
    state: 'closed',
    labels: [{ name: 'backport-to: v1' }, { name: 'backport-to: v2' }],
    merged_at: at(10),
    closed_at: at(10),
    updated_at: at(10),
    merge_commit_sha: 'm1',
  }),
  pull({
    number: 2,
    state: 'closed',
    body: bpBody(1, 'v1'),
    base: { ref: 'v1' },
    created_at: at(11),
    merged_at: at(20),
    closed_at: at(20),
    updated_at: at(20),
  }),
  pull({ number: 4, state: 'open', labels: ['backport-to: v2'], updated_at: at(5) }),
  pull({
    number: 5,
    state: 'closed',
    body: bpBody(1, 'v2'),
    base: { ref: 'v2' },
    created_at: at(30),
    closed_at: at(31),
    updated_at: at(31),
  }),
];
const finalIssues = [
  issue({
    number: 3,
    state: 'open',
    body: ciBody(1, 'v2'),
    created_at: at(12),
    updated_at: at(32),
    assignees: [{ login: 'amy' }],
  }),
  issue({ number: 6, state: 'open', body: 'an ordinary issue' }),
  issue({ number: 2, state: 'closed', body: bpBody(1, 'v1'), pull_request: {}, updated_at: at(20) }),
];
const rebuildFacts = (): Fact[] => [
  ...finalPulls.flatMap((p) => factsFromPull(REPO, p, p.number === 5 ? 'failure' : null)),
  ...finalIssues.flatMap((i) => factFromIssue(REPO, i) ?? []),
];
// The webhook stream that led there: earlier snapshots of the same objects, then the final ones.
const webhookFacts = (): Fact[] => [
  ...factsFromPull(REPO, pull({ number: 1, updated_at: at(1) })),
  ...factsFromPull(REPO, pull({ number: 1, labels: ['backport-to: v1'], updated_at: at(2) })),
  ...factsFromPull(
    REPO,
    pull({ number: 2, body: bpBody(1, 'v1'), base: { ref: 'v1' }, created_at: at(11), updated_at: at(11) }),
  ),
  ...factsFromPull(
    REPO,
    pull({ number: 5, body: bpBody(1, 'v2'), base: { ref: 'v2' }, created_at: at(30), updated_at: at(30) }),
  ),
  factFromIssue(REPO, issue({ number: 3, body: ciBody(1, 'v2'), created_at: at(12), updated_at: at(12) }))!,
  ...rebuildFacts(),
];

describe('ledger store', () => {
  it('keeps facts, repositories and reports across close and reopen', () => {
    const path = join(dir, 'reopen.db');
    const store = LedgerStore.open(path);
    store.applyFacts(webhookFacts());
    store.upsertRepo({
      repo: REPO,
      private: true,
      htmlUrl: `https://github.com/${REPO}`,
      defaultBranch: 'main',
    });
    store.setTrackingIssue(REPO, 42);
    const report = {
      branch: 'v1',
      forkPoint: null,
      missing: [],
      notNeeded: [],
      counts: { fixes: 1, present: 1, decided: 0 },
    };
    store.saveMissingFixes(REPO, report, at(50));
    const before = store.ledger(REPO);
    store.close();

    const again = LedgerStore.open(path);
    expect(again.ledger(REPO)).toEqual(before);
    expect(again.repo(REPO)).toEqual({
      repo: REPO,
      private: true,
      htmlUrl: `https://github.com/${REPO}`,
      defaultBranch: 'main',
      trackingIssue: 42,
    });
    expect(again.missingFixes(REPO)).toEqual([{ report, computedAt: at(50) }]);
    again.close();
  });

  it('derives the expected ledger from the webhook stream', () => {
    const store = LedgerStore.open(':memory:');
    store.applyFacts(webhookFacts());
    const items = store.ledger(REPO);
    expect(items.map((i) => [i.source, i.target, i.state, i.backportPr?.checks ?? null])).toEqual([
      [1, 'v1', 'merged', 'unknown'],
      [1, 'v2', 'conflict', 'failure'],
      [4, 'v2', 'requested', null],
    ]);
    expect(items[0]!.latencyMs).toBe(10 * 3_600_000);
    store.close();
  });

  it('is unchanged by redelivery and by delivery order', () => {
    const a = LedgerStore.open(':memory:');
    const b = LedgerStore.open(':memory:');
    const facts = webhookFacts();
    expect(a.applyFacts(facts)).toBeGreaterThan(0);
    expect(a.applyFacts(facts)).toBe(0);
    for (const f of shuffled(facts, 7)) b.applyFacts([f]);
    expect(b.facts(REPO)).toEqual(a.facts(REPO));
    expect(b.ledger(REPO)).toEqual(a.ledger(REPO));
    a.close();
    b.close();
  });

  it('rebuilds from GitHub alone to the same ledger, and forgets what GitHub no longer has', () => {
    const live = LedgerStore.open(':memory:');
    live.applyFacts(webhookFacts());
    // An issue deleted on GitHub while the app was down: only a rebuild can notice.
    live.applyFacts([factFromIssue(REPO, issue({ number: 9, body: ciBody(4, 'v2'), updated_at: at(6) }))!]);
    expect(live.ledger(REPO).find((i) => i.source === 4)?.state).toBe('conflict');

    const fresh = LedgerStore.open(':memory:');
    fresh.rebuildRepo(REPO, rebuildFacts(), at(100));
    live.rebuildRepo(REPO, rebuildFacts(), at(100));
    expect(live.ledger(REPO)).toEqual(fresh.ledger(REPO));
    expect(live.ledger(REPO).find((i) => i.source === 4)?.state).toBe('requested');
    live.close();
    fresh.close();
  });

  it('keeps a webhook that raced a rebuild', () => {
    const store = LedgerStore.open(':memory:');
    const late = factFromIssue(REPO, issue({ number: 9, body: ciBody(4, 'v2'), updated_at: at(101) }))!;
    store.applyFacts([late]);
    store.rebuildRepo(REPO, rebuildFacts(), at(100));
    expect(store.ledger(REPO).find((i) => i.source === 4)?.state).toBe('conflict');
    store.close();
  });

  it('refuses a database from a newer schema, and records its own version', () => {
    const path = join(dir, 'version.db');
    LedgerStore.open(path).close();
    const raw = new Database(path);
    expect(raw.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    let caught: unknown;
    try {
      LedgerStore.open(path);
    } catch (err) {
      caught = err;
    }
    expect(isBackportError(caught, 'internal')).toBe(true);
  });

  it('rejects a malformed fact instead of storing it', () => {
    const store = LedgerStore.open(':memory:');
    const bad = { kind: 'conflict-issue', repo: REPO, number: -1 } as unknown as Fact;
    expect(() => store.applyFacts([bad])).toThrow();
    expect(store.facts(REPO)).toEqual([]);
    store.close();
  });
});

describe('facts from GitHub', () => {
  it('recognises the app’s PRs and issues by marker only', () => {
    expect(factsFromPull(REPO, pull({ number: 7, title: 'Backport #1 to v1' })).map((f) => f.kind)).toEqual([
      'source-pr',
    ]);
    expect(factsFromPull(REPO, pull({ number: 7, body: bpBody(1, 'v1') })).map((f) => f.kind)).toEqual([
      'source-pr',
      'backport-pr',
    ]);
    expect(
      factFromIssue(REPO, issue({ number: 8, body: ciBody(1, 'v1'), pull_request: {} })),
    ).toBeUndefined();
    expect(factFromIssue(REPO, issue({ number: 8, body: ciBody(1, 'v1') }))).toMatchObject({
      source: 1,
      target: 'v1',
    });
  });

  it('turns a request label event into a timed request, and ignores other labels', () => {
    expect(requestFromLabel(REPO, 5, 'backport-to: v1', at(3), labelRules())).toEqual({
      kind: 'backport-request',
      repo: REPO,
      source: 5,
      target: 'v1',
      updatedAt: at(3),
    });
    expect(requestFromLabel(REPO, 5, 'bug', at(3), labelRules())).toBeUndefined();
  });

  it('reads pending requests from the app’s status comment', () => {
    const body = renderStatusComment(5, [
      { target: '1.2', branch: 'release/1.2', state: 'waiting', at: at(4) },
      {
        target: '1.3',
        state: 'opened',
        link: { url: 'https://github.com/acme/widgets/pull/9', number: 9 },
        at: at(4),
      },
      { target: '1.4', state: 'failed', error: { code: 'push-rejected', message: 'No.' }, at: at(6) },
    ]);
    expect(requestsFromStatusComment(REPO, body).map((r) => [r.source, r.target, r.updatedAt])).toEqual([
      [5, 'release/1.2', at(4)],
      [5, '1.4', at(6)],
    ]);
    expect(requestsFromStatusComment(REPO, 'no marker here')).toEqual([]);
  });

  it('combines checks the way the PR page shows them', () => {
    expect(combineChecks([])).toBe('none');
    expect(combineChecks([{ status: 'completed', conclusion: 'success' }, { state: 'success' }])).toBe(
      'success',
    );
    expect(combineChecks([{ status: 'in_progress' }, { status: 'completed', conclusion: 'skipped' }])).toBe(
      'pending',
    );
    expect(combineChecks([{ status: 'in_progress' }, { state: 'error' }])).toBe('failure');
  });
});
