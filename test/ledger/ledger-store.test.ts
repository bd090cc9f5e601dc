import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
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
import { canonicalJson, factKey, latestFacts } from '../../src/ledger/ledger-facts.js';
import { MIGRATIONS } from '../../src/ledger/ledger-migrations.js';
import { LedgerStore } from '../../src/ledger/ledger-store.js';
import { openDatabase } from '../../src/database/open-database.js';
import { createTestDatabase } from '../support/postgres.js';
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

/**
 * Where a store can be opened, once or several times (a restart, or a second instance): a
 * SQLite file, or a PostgreSQL database of its own on the real server (test/support). Each store opened here owns its
 * connection, as one app instance does.
 */
interface Place {
  open(): Promise<LedgerStore>;
  /** Runs one statement on the place directly, as an operator (or another version) would. */
  raw(sql: string): Promise<void>;
}

const opened: LedgerStore[] = [];
const dropped: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});
afterAll(async () => {
  for (const drop of dropped.splice(0)) await drop();
});

const track = (store: LedgerStore) => (opened.push(store), store);

const ENGINES: Array<[string, () => Promise<Place>]> = [
  [
    'sqlite',
    async () => {
      const file = join(dir, `${randomUUID()}.sqlite`);
      return {
        open: async () => track(await LedgerStore.openFile(file)),
        raw: async (sql) => {
          const db = new Database(file);
          db.exec(sql);
          db.close();
        },
      };
    },
  ],
  [
    'postgres',
    async () => {
      const pg = await createTestDatabase();
      dropped.push(pg.drop);
      const connect = () => openDatabase({ url: pg.url, sqlitePath: 'unused' });
      return {
        open: async () => track(await LedgerStore.open(connect(), { ownsDatabase: true })),
        raw: async (sql) => {
          const db = connect();
          await db.execute(sql);
          await db.close();
        },
      };
    },
  ],
];

describe.each(ENGINES)('ledger store on %s', (_engine, place) => {
  const fresh = async () => (await place()).open();

  it('keeps facts, repositories and reports across close and reopen', async () => {
    const where = await place();
    const store = await where.open();
    await store.applyFacts(webhookFacts());
    await store.upsertRepo({
      repo: REPO,
      private: true,
      htmlUrl: `https://github.com/${REPO}`,
      defaultBranch: 'main',
    });
    await store.setTrackingIssue(REPO, 42);
    const report = {
      branch: 'v1',
      forkPoint: null,
      missing: [],
      notNeeded: [],
      counts: { fixes: 1, present: 1, decided: 0 },
    };
    await store.saveMissingFixes(REPO, report, at(50));
    const before = await store.ledger(REPO);
    await store.close();

    const again = await where.open();
    expect(await again.ledger(REPO)).toEqual(before);
    expect(await again.repo(REPO)).toEqual({
      repo: REPO,
      private: true,
      htmlUrl: `https://github.com/${REPO}`,
      defaultBranch: 'main',
      trackingIssue: 42,
    });
    expect(await again.repos()).toEqual([await again.repo(REPO)]);
    expect(await again.missingFixes(REPO)).toEqual([{ report, computedAt: at(50) }]);
  });

  it('derives the expected ledger from the webhook stream', async () => {
    const store = await fresh();
    await store.applyFacts(webhookFacts());
    const items = await store.ledger(REPO);
    expect(items.map((i) => [i.source, i.target, i.state, i.backportPr?.checks ?? null])).toEqual([
      [1, 'v1', 'merged', 'unknown'],
      [1, 'v2', 'conflict', 'failure'],
      [4, 'v2', 'requested', null],
    ]);
    expect(items[0]!.latencyMs).toBe(10 * 3_600_000);
  });

  it('is unchanged by redelivery and by delivery order', async () => {
    const [a, b] = [await fresh(), await fresh()];
    const facts = webhookFacts();
    expect(await a.applyFacts(facts)).toBeGreaterThan(0);
    expect(await a.applyFacts(facts)).toBe(0);
    for (const f of shuffled(facts, 7)) await b.applyFacts([f]);
    expect(await b.facts(REPO)).toEqual(await a.facts(REPO));
    expect(await b.ledger(REPO)).toEqual(await a.ledger(REPO));
    // The store keeps, per identity, the fact the reducer would choose.
    expect(sortByKey(await a.facts(REPO))).toEqual(sortByKey(latestFacts(facts)));
  });

  it('keeps the further-along fact of one second, whichever arrives last', async () => {
    const store = await fresh();
    const open = factsFromPull(REPO, pull({ number: 7, updated_at: at(3) }));
    const merged = factsFromPull(
      REPO,
      pull({ number: 7, state: 'closed', merged_at: at(3), closed_at: at(3), updated_at: at(3) }),
    );
    await store.applyFacts(merged);
    expect(await store.applyFacts(open)).toBe(0);
    expect((await store.facts(REPO)).map((f) => f.kind === 'source-pr' && f.mergedAt)).toEqual([at(3)]);
  });

  it('rebuilds from GitHub alone to the same ledger, and forgets what GitHub no longer has', async () => {
    const live = await fresh();
    await live.applyFacts(webhookFacts());
    // An issue deleted on GitHub while the app was down: only a rebuild can notice.
    await live.applyFacts([
      factFromIssue(REPO, issue({ number: 9, body: ciBody(4, 'v2'), updated_at: at(6) }))!,
    ]);
    expect((await live.ledger(REPO)).find((i) => i.source === 4)?.state).toBe('conflict');

    const rebuilt = await fresh();
    await rebuilt.rebuildRepo(REPO, rebuildFacts(), at(100));
    await live.rebuildRepo(REPO, rebuildFacts(), at(100));
    expect(await live.ledger(REPO)).toEqual(await rebuilt.ledger(REPO));
    expect((await live.ledger(REPO)).find((i) => i.source === 4)?.state).toBe('requested');
  });

  it('keeps a webhook that raced a rebuild', async () => {
    const store = await fresh();
    const late = factFromIssue(REPO, issue({ number: 9, body: ciBody(4, 'v2'), updated_at: at(101) }))!;
    await store.applyFacts([late]);
    await store.rebuildRepo(REPO, rebuildFacts(), at(100));
    expect((await store.ledger(REPO)).find((i) => i.source === 4)?.state).toBe('conflict');
  });

  it('forgets a repository and a branch report', async () => {
    const store = await fresh();
    await store.applyFacts(webhookFacts());
    await store.upsertRepo({ repo: REPO, private: false, htmlUrl: 'https://x', defaultBranch: 'main' });
    await store.markRebuilt(REPO, at(5));
    expect(await store.rebuiltAt(REPO)).toBe(at(5));
    const report = {
      branch: 'v1',
      forkPoint: null,
      missing: [],
      notNeeded: [],
      counts: { fixes: 0, present: 0, decided: 0 },
    };
    await store.saveMissingFixes(REPO, report, at(6));
    await store.saveMissingFixes(REPO, { ...report, branch: 'v2' }, at(6));
    await store.dropMissingFixes(REPO, 'v1');
    expect((await store.missingFixes(REPO)).map((m) => m.report.branch)).toEqual(['v2']);
    await store.forgetRepo(REPO);
    expect([await store.facts(REPO), await store.repos(), await store.missingFixes(REPO)]).toEqual([
      [],
      [],
      [],
    ]);
    expect(await store.rebuiltAt(REPO)).toBeNull();
  });

  it('records what an event says of a repository, keeping its tracking issue', async () => {
    const store = await fresh();
    const info = { repo: REPO, private: false, htmlUrl: `https://github.com/${REPO}`, defaultBranch: 'main' };
    await store.upsertRepo({ ...info, trackingIssue: 12 });
    await store.upsertRepo(info);
    await store.upsertRepo({ ...info, private: true, defaultBranch: 'trunk' });
    expect(await store.repo(REPO)).toEqual({
      ...info,
      private: true,
      defaultBranch: 'trunk',
      trackingIssue: 12,
    });
    await store.upsertRepo({ ...info, trackingIssue: 13 });
    expect(await store.repo(REPO)).toEqual({ ...info, trackingIssue: 13 });
  });

  it('refuses a database from a newer schema', async () => {
    const where = await place();
    await (await where.open()).close();
    await where.raw(`UPDATE schema_versions SET version = version + 1 WHERE scope = 'ledger'`);
    const caught = await where.open().catch((err: unknown) => err);
    expect(isBackportError(caught, 'internal')).toBe(true);
  });

  it('rejects a malformed fact instead of storing it', async () => {
    const store = await fresh();
    const bad = { kind: 'conflict-issue', repo: REPO, number: -1 } as unknown as Fact;
    const good = factFromIssue(REPO, issue({ number: 9, body: ciBody(4, 'v2') }))!;
    await expect(store.applyFacts([good, bad])).rejects.toThrow();
    expect(await store.facts(REPO)).toEqual([]);
  });
});

describe('a ledger file of an earlier version', () => {
  it('opens with its facts, and records its schema version both ways', async () => {
    // Written as the version before the database seam did: the released steps 1 and 2, the
    // count in PRAGMA user_version, facts with no `progress` column.
    const file = join(dir, 'earlier.sqlite');
    const raw = new Database(file);
    for (const step of MIGRATIONS.slice(0, 2)) raw.exec(typeof step === 'string' ? step : step.sqlite);
    raw.pragma('user_version = 2');
    const put = raw.prepare('INSERT INTO facts (key, repo, kind, updated_ms, body) VALUES (?, ?, ?, ?, ?)');
    const merged = factsFromPull(
      REPO,
      pull({ number: 7, state: 'closed', merged_at: at(3), closed_at: at(3), updated_at: at(3) }),
    );
    for (const f of latestFacts([...webhookFacts(), ...merged]))
      put.run(factKey(f), f.repo, f.kind, Date.parse(f.updatedAt), canonicalJson(f));
    raw
      .prepare(
        'INSERT INTO repos (repo, private, html_url, default_branch, tracking_issue) VALUES (?, 0, ?, ?, 12)',
      )
      .run(REPO, `https://github.com/${REPO}`, 'main');
    raw.close();

    const expected = await fresh();
    await expected.applyFacts([...webhookFacts(), ...merged]);
    const store = track(await LedgerStore.openFile(file));
    expect(await store.ledger(REPO)).toEqual(await expected.ledger(REPO));
    expect((await store.repo(REPO))?.trackingIssue).toBe(12);
    // Its merged PR was marked as far along as it is: the open record of the same second
    // (whose body sorts after it) does not replace it.
    const open = factsFromPull(REPO, pull({ number: 7, updated_at: at(3) }));
    expect(await store.applyFacts(open)).toBe(0);
    await store.close();

    const check = new Database(file);
    expect(check.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(check.prepare(`SELECT version FROM schema_versions WHERE scope = 'ledger'`).get()).toEqual({
      version: MIGRATIONS.length,
    });
    check.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    check.close();
    const caught = await LedgerStore.openFile(file).catch((err: unknown) => err);
    expect(isBackportError(caught, 'internal')).toBe(true);
  });

  async function fresh(): Promise<LedgerStore> {
    return track(await LedgerStore.openFile(':memory:'));
  }
});

function sortByKey(facts: Fact[]): Fact[] {
  return [...facts].sort((a, b) => (factKey(a) < factKey(b) ? -1 : 1));
}

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
