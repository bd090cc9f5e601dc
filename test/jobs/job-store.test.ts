// The durable job queue's rules, on the embedded SQLite file and on a real PostgreSQL server:
// the app runs on either, so both must keep them.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import type { Database } from '../../src/database/database.js';
import { openDatabase } from '../../src/database/open-database.js';
import type { BackportJobRequest, JobRequest } from '../../src/jobs/job-request.js';
import { JobStore } from '../../src/jobs/job-store.js';
import { tempDir } from '../support/git.js';
import { createTestDatabase } from '../support/postgres.js';

type Engine = () => Promise<{ open: () => Database; done: () => Promise<void> }>;

const engines: Array<[string, Engine]> = [
  [
    'sqlite',
    async () => {
      const dir = tempDir('ba-jobs-');
      return {
        open: () => openDatabase({ sqlitePath: join(dir.path, 'jobs.sqlite') }),
        done: async () => dir.remove(),
      };
    },
  ],
  [
    'postgres',
    async () => {
      const pgdb = await createTestDatabase();
      return { open: () => openDatabase({ url: pgdb.url, sqlitePath: 'unused' }), done: () => pgdb.drop() };
    },
  ],
];

function request(
  repo: string,
  pullNumber: number,
  labels: BackportJobRequest['labels'] = 'all',
): BackportJobRequest {
  const [owner, name] = repo.split('/') as [string, string];
  return {
    owner,
    repo: name,
    cloneUrl: `https://example.test/${repo}.git`,
    pullNumber,
    labels,
    origin: 'webhook',
  };
}

const LEASE = 1_000;

describe.each(engines)('the job store on %s', (dialect, engine) => {
  let open: () => Database;
  let done: () => Promise<void>;
  let db: Database;
  let store: JobStore;
  let now = 1_000_000;

  beforeAll(async () => {
    ({ open, done } = await engine());
  });
  afterAll(() => done());
  beforeEach(async () => {
    db = open();
    store = await JobStore.open(db);
    await db.execute('DELETE FROM backport_jobs');
    await db.execute('DELETE FROM backport_deliveries');
    now += 1_000_000;
  });
  afterEach(() => db.close());

  it('makes one job of a delivery delivered twice', async () => {
    const input = { request: request('acme/a', 1), installationId: 7, deliveryId: 'd-1' };
    expect((await store.enqueue(input, now)).outcome).toBe('new');
    expect((await store.enqueue(input, now)).outcome).toBe('duplicate');
    expect((await store.jobsOf('acme/a')).length).toBe(1);
  });

  it('merges a request for a PR whose job is still queued into that job', async () => {
    await store.enqueue({ request: request('acme/a', 1, ['backport-to: v1']), installationId: 7 }, now);
    const again = await store.enqueue(
      { request: request('acme/a', 1, ['backport-to: v1']), installationId: 7 },
      now,
    );
    const more = await store.enqueue(
      { request: request('acme/a', 1, ['backport-to: v2']), installationId: 7 },
      now,
    );
    expect([again.outcome, more.outcome]).toEqual(['duplicate', 'merged']);
    const jobs = await store.jobsOf('acme/a');
    expect(jobs.map((j) => (j.request as BackportJobRequest).labels)).toEqual([
      ['backport-to: v1', 'backport-to: v2'],
    ]);
  });

  it('adds no reconciliation job for a PR whose backport job of all its labels has not finished', async () => {
    await store.enqueue({ request: request('acme/a', 1), installationId: 7 }, now);
    const running = await store.claim('one', now, LEASE);
    const reconciled = { ...request('acme/a', 1), origin: 'reconcile' as const };
    const again = await store.enqueue({ request: reconciled, installationId: 7 }, now);
    expect(again).toEqual({ jobId: running!.id, outcome: 'duplicate' });
    expect((await store.jobsOf('acme/a')).length).toBe(1);
    // A job for some labels only does not cover the rest: reconciliation queues its own.
    await store.finish(running!.id, 'one', 'done', now);
    await store.enqueue({ request: request('acme/a', 2, ['backport-to: v1']), installationId: 7 }, now);
    await store.claim('one', now, LEASE);
    const other = await store.enqueue({ request: { ...reconciled, pullNumber: 2 }, installationId: 7 }, now);
    expect(other.outcome).toBe('new');
  });

  it('runs one job of a repository at a time, and other repositories beside it', async () => {
    await store.enqueue({ request: request('acme/a', 1), installationId: 7 }, now);
    await store.enqueue({ request: request('acme/a', 2), installationId: 7 }, now);
    await store.enqueue({ request: request('acme/b', 3), installationId: 7 }, now);
    const first = await store.claim('one', now, LEASE);
    const second = await store.claim('two', now, LEASE);
    expect(first?.request.pullNumber).toBe(1);
    expect(second?.request.pullNumber).toBe(3);
    expect(await store.claim('two', now, LEASE)).toBeUndefined();
    await store.finish(first!.id, 'one', 'done', now);
    expect((await store.claim('two', now, LEASE))?.request.pullNumber).toBe(2);
  });

  it("lets another PR's job pass a job waiting out its backoff, but not a later job of the same PR", async () => {
    await store.enqueue({ request: request('acme/a', 1), installationId: 7 }, now);
    const failing = await store.claim('one', now, LEASE);
    await store.requeue(failing!.id, 'one', { runAfter: now + 600_000, now, failed: 'GitHub answered 502' });
    // Accepted after it: a preview of the same PR, and a backport of another PR.
    await store.enqueue({ request: { ...request('acme/a', 1), kind: 'preview' }, installationId: 7 }, now);
    await store.enqueue({ request: request('acme/a', 2), installationId: 7 }, now);
    const next = await store.claim('one', now + 1, LEASE);
    expect(next?.request.pullNumber).toBe(2);
    // Still one job of a repository at a time.
    expect(await store.claim('two', now + 1, LEASE)).toBeUndefined();
    await store.finish(next!.id, 'one', 'done', now + 2);
    // PR 1's preview waits for PR 1's backport, which waits for its backoff.
    expect(await store.claim('one', now + 3, LEASE)).toBeUndefined();
    const retried = await store.claim('one', now + 600_000, LEASE);
    expect(retried).toMatchObject({ id: failing!.id, attempts: 1 });
    await store.finish(retried!.id, 'one', 'done', now + 600_001);
    expect((await store.claim('one', now + 600_002, LEASE))?.request.kind).toBe('preview');
  });

  it('keeps each command of a delivery once, and never merges two comments or two kinds', async () => {
    const resolve = (commentId: number): JobRequest => ({
      ...request('acme/a', 9),
      kind: 'resolve',
      command: { number: 9, isPull: false, commentId, login: 'maint', request: { answers: '1A' } },
    });
    const first = { request: resolve(100), installationId: 7, deliveryId: 'c-1:resolve' };
    expect((await store.enqueue(first, now)).outcome).toBe('new');
    expect((await store.enqueue(first, now)).outcome).toBe('duplicate');
    expect(
      (await store.enqueue({ ...first, deliveryId: 'c-2:resolve', request: resolve(101) }, now)).outcome,
    ).toBe('new');
    // A preview queued twice (two pushes before it ran) is one preview: it reads the PR afresh.
    const preview: JobRequest = { ...request('acme/a', 9), kind: 'preview' };
    expect(
      (await store.enqueue({ request: preview, installationId: 7, deliveryId: 'p-1' }, now)).outcome,
    ).toBe('new');
    expect(
      (await store.enqueue({ request: preview, installationId: 7, deliveryId: 'p-2' }, now)).outcome,
    ).toBe('duplicate');
    const jobs = await store.jobsOf('acme/a');
    expect(jobs.map((j) => j.request.kind)).toEqual(['resolve', 'resolve', 'preview']);
  });

  it('gives a job whose lease ran out to another instance, and not before', async () => {
    await store.enqueue({ request: request('acme/a', 1), installationId: 7 }, now);
    const job = await store.claim('dies', now, LEASE);
    expect(await store.claim('other', now + LEASE - 1, LEASE)).toBeUndefined();
    expect(await store.renew(job!.id, 'dies', now + 2 * LEASE)).toBe(true);
    expect(await store.claim('other', now + 2 * LEASE - 1, LEASE)).toBeUndefined();
    const taken = await store.claim('other', now + 2 * LEASE + 1, LEASE);
    expect(taken).toMatchObject({ id: job!.id, claims: 2 });
    // The instance that lost it can no longer renew or finish it.
    expect(await store.renew(job!.id, 'dies', now + 5 * LEASE)).toBe(false);
    await store.finish(job!.id, 'dies', 'done', now);
    expect((await store.jobsOf('acme/a'))[0]!.state).toBe('running');
  });

  it("waits out a retry's backoff and counts the failure", async () => {
    await store.enqueue({ request: request('acme/a', 1), installationId: 7 }, now);
    const job = await store.claim('one', now, LEASE);
    await store.requeue(job!.id, 'one', {
      runAfter: now + 500,
      now,
      failed: 'GitHub answered 502',
      request: { ...(job!.request as BackportJobRequest), targets: ['v1'] },
    });
    expect(await store.claim('one', now + 499, LEASE)).toBeUndefined();
    const again = await store.claim('one', now + 500, LEASE);
    expect(again).toMatchObject({ attempts: 1, lastError: 'GitHub answered 502' });
    expect((again!.request as BackportJobRequest).targets).toEqual(['v1']);
  });

  it('lets several instances claim at once without two jobs of one repository running', async () => {
    for (let i = 0; i < 12; i++)
      await store.enqueue({ request: request(`acme/r${i % 4}`, i + 1), installationId: 7 }, now);
    const others = Array.from({ length: 4 }, () => (dialect === 'sqlite' ? db : open()));
    const stores = await Promise.all(others.map((d) => JobStore.open(d)));
    const claimed = await Promise.all(
      stores.flatMap((s, i) => [s.claim(`i${i}`, now, LEASE), s.claim(`i${i}`, now, LEASE)]),
    );
    const repos = claimed.filter((j) => j !== undefined).map((j) => j.request.repo);
    expect(repos.sort()).toEqual(['r0', 'r1', 'r2', 'r3']);
    if (dialect === 'postgres') await Promise.all(others.map((d) => d.close()));
  });

  it('queues again at start what a dead process left running (SQLite only; leases decide on PostgreSQL)', async () => {
    await store.enqueue({ request: request('acme/a', 1), installationId: 7 }, now);
    await store.claim('dead', now, LEASE);
    const recovered = await store.recoverAbandoned(now);
    expect(recovered).toBe(dialect === 'sqlite' ? 1 : 0);
  });

  it('forgets finished jobs and delivery ids older than the cut, and nothing else', async () => {
    await store.enqueue({ request: request('acme/a', 1), installationId: 7, deliveryId: 'old' }, now);
    const job = await store.claim('one', now, LEASE);
    await store.finish(job!.id, 'one', 'done', now);
    await store.enqueue({ request: request('acme/a', 2), installationId: 7, deliveryId: 'new' }, now + 10);
    await store.prune(now + 5);
    expect((await store.jobsOf('acme/a')).map((j) => j.request.pullNumber)).toEqual([2]);
    const again = { request: request('acme/a', 1), installationId: 7 };
    expect((await store.enqueue({ ...again, deliveryId: 'old' }, now + 20)).outcome).toBe('new');
    expect((await store.enqueue({ ...again, deliveryId: 'new' }, now + 20)).outcome).toBe('duplicate');
  });

  it('gives the reconciliation turn to one instance per period', async () => {
    expect(await store.takeTurn('reconcile', now, 100)).toBe(true);
    expect(await store.takeTurn('reconcile', now + 50, 100)).toBe(false);
    expect(await store.takeTurn('reconcile', now + 100, 100)).toBe(true);
  });
});
