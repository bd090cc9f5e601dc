import type { Database, MigrationStep, Queryable } from '../database/database.js';
import { migrate } from '../database/migrate.js';
import type { JobRequest } from './job-request.js';
import { isBackportJob, mergeRequests, sameRequest } from './job-request.js';

/**
 * The durable job queue, in the app's database (SQLite by default, PostgreSQL with
 * DATABASE_URL). A request is written here before its webhook is answered, and a job is
 * finished only once the pipeline wrote its final status rows; anything in between survives
 * a crash or a restart.
 *
 * The rules it keeps, on one process or many sharing PostgreSQL:
 *   - one job of a repository at a time, anywhere: a job is not claimed while another job of
 *     its repository holds a live lease; claims take turns under one advisory lock on
 *     PostgreSQL (a claim is a few milliseconds), so no two instances can both see a
 *     repository as free, and rows are taken `FOR UPDATE SKIP LOCKED` so a claim never waits
 *     on a request being merged;
 *   - jobs about the same PR (or issue) of a repository run in the order they were accepted:
 *     two backports of one PR, a backport and the `/backport … with` that follows it, two
 *     `/backport resolve` answers on one issue. Jobs about different PRs need no order
 *     between them (each reads GitHub's current state when it runs, and the status comment
 *     is re-read and merged on every write), so a job waiting out a retry's backoff holds
 *     up only the later jobs of its own PR, never the repository's other ready work;
 *   - among the jobs that may run, the oldest first, whatever its repository, so jobs of
 *     different repositories spread over the instances;
 *   - a claimed job carries a lease that its instance renews; when the instance dies, the
 *     lease runs out and any instance (or the next start) takes the job over;
 *   - a delivery id is accepted once, and a request for a PR whose newest job is still queued
 *     and asks for the same kind of work is merged into that job (job-request.ts), so
 *     duplicate deliveries never make duplicate jobs.
 */
const MIGRATIONS: MigrationStep[] = [
  {
    sqlite: 'CREATE TABLE backport_jobs (id INTEGER PRIMARY KEY AUTOINCREMENT, {columns})',
    postgres: 'CREATE TABLE backport_jobs (id BIGSERIAL PRIMARY KEY, {columns})',
  },
  'CREATE INDEX backport_jobs_open ON backport_jobs (state, repo, id)',
  'CREATE INDEX backport_jobs_pull ON backport_jobs (repo, pull, state)',
  'CREATE TABLE backport_deliveries (delivery_id TEXT PRIMARY KEY, received_at BIGINT NOT NULL)',
  'CREATE TABLE backport_turns (name TEXT PRIMARY KEY, taken_at BIGINT NOT NULL)',
].map((step) => {
  const columns = `repo TEXT NOT NULL, pull INTEGER NOT NULL, installation_id BIGINT NOT NULL,
    request TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL, claims INTEGER NOT NULL,
    run_after BIGINT NOT NULL, lease_owner TEXT, lease_until BIGINT, last_error TEXT,
    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL`;
  return typeof step === 'string'
    ? step
    : {
        sqlite: step.sqlite.replace('{columns}', columns),
        postgres: step.postgres.replace('{columns}', columns),
      };
});

export type JobState = 'queued' | 'running' | 'done' | 'failed';

export interface Job {
  id: number;
  installationId: number;
  request: JobRequest;
  state: JobState;
  /** Transient failures so far. */
  attempts: number;
  /** How often an instance took the job (a crash mid-job shows as a claim without an end). */
  claims: number;
  lastError: string | null;
}

export interface EnqueueResult {
  jobId: number | undefined;
  /** 'new' job, 'merged' into a queued one, or a 'duplicate' that changed nothing. */
  outcome: 'new' | 'merged' | 'duplicate';
}

type JobRow = {
  id: number;
  installation_id: number;
  request: string;
  state: string;
  attempts: number;
  claims: number;
  last_error: string | null;
};

export class JobStore {
  private constructor(private readonly db: Database) {}

  static async open(db: Database): Promise<JobStore> {
    await migrate(db, 'jobs', MIGRATIONS);
    return new JobStore(db);
  }

  get dialect(): Database['dialect'] {
    return this.db.dialect;
  }

  /** Writes a request down (see the class comment for how duplicates are absorbed). */
  async enqueue(
    input: { request: JobRequest; installationId: number; deliveryId?: string | undefined },
    now: number,
  ): Promise<EnqueueResult> {
    const { request } = input;
    const repo = `${request.owner}/${request.repo}`;
    return this.db.transaction(async (tx) => {
      if (input.deliveryId !== undefined) {
        const fresh = await tx.execute(
          `INSERT INTO backport_deliveries (delivery_id, received_at) VALUES ($1, $2)
           ON CONFLICT (delivery_id) DO NOTHING`,
          [input.deliveryId, now],
        );
        if (fresh === 0) return { jobId: undefined, outcome: 'duplicate' };
      }
      const unfinished = await tx.query<{ id: number; request: string; state: string }>(
        `SELECT id, request, state FROM backport_jobs WHERE repo = $1 AND pull = $2
           AND state IN ('queued', 'running')
         ORDER BY id DESC${forUpdate(tx)}`,
        [repo, request.pullNumber],
      );
      const covering = reconciledAlready(request, unfinished);
      if (covering !== undefined) return { jobId: covering, outcome: 'duplicate' };
      // Only the PR's newest job may absorb the request: merging into an older one would
      // run it ahead of work accepted before it.
      const existing = unfinished[0]?.state === 'queued' ? unfinished[0] : undefined;
      const before = existing ? (JSON.parse(existing.request) as JobRequest) : undefined;
      const merged = before ? mergeRequests(before, request) : undefined;
      if (existing && before && merged) {
        if (sameRequest(before, merged)) return { jobId: existing.id, outcome: 'duplicate' };
        await tx.execute('UPDATE backport_jobs SET request = $1, updated_at = $2 WHERE id = $3', [
          JSON.stringify(merged),
          now,
          existing.id,
        ]);
        return { jobId: existing.id, outcome: 'merged' };
      }
      const rows = await tx.query<{ id: number }>(
        `INSERT INTO backport_jobs (repo, pull, installation_id, request, state, attempts, claims,
           run_after, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'queued', 0, 0, $5, $5, $5) RETURNING id`,
        [repo, request.pullNumber, input.installationId, JSON.stringify(request), now],
      );
      return { jobId: rows[0]!.id, outcome: 'new' };
    });
  }

  /**
   * Takes the oldest job that may run now: queued and due, or running under a lease that ran
   * out; with no live job of its repository, and no earlier unfinished job of its PR (see the
   * class comment). Undefined when there is none.
   */
  async claim(owner: string, now: number, leaseMs: number): Promise<Job | undefined> {
    return this.db.transaction(async (tx) => {
      if (tx.dialect === 'postgres')
        await tx.execute(`SELECT pg_advisory_xact_lock(hashtext('backport-jobs:claim'))`);
      const rows = await tx.query<{ id: number }>(
        `SELECT j.id FROM backport_jobs j
         WHERE ((j.state = 'queued' AND j.run_after <= $1) OR (j.state = 'running' AND j.lease_until < $1))
           AND NOT EXISTS (SELECT 1 FROM backport_jobs e WHERE e.repo = j.repo AND e.pull = j.pull
             AND e.state IN ('queued', 'running') AND e.id < j.id)
           AND NOT EXISTS (SELECT 1 FROM backport_jobs r WHERE r.repo = j.repo
             AND r.state = 'running' AND r.lease_until >= $1 AND r.id <> j.id)
         ORDER BY j.id LIMIT 1${tx.dialect === 'postgres' ? ' FOR UPDATE OF j SKIP LOCKED' : ''}`,
        [now],
      );
      const id = rows[0]?.id;
      if (id === undefined) return undefined;
      const claimed = await tx.query<JobRow>(
        `UPDATE backport_jobs SET state = 'running', lease_owner = $1, lease_until = $2,
           claims = claims + 1, updated_at = $3
         WHERE id = $4
         RETURNING id, installation_id, request, state, attempts, claims, last_error`,
        [owner, now + leaseMs, now, id],
      );
      return toJob(claimed[0]!);
    });
  }

  /** Extends a lease; false when the job is no longer this owner's (its lease ran out and was taken). */
  async renew(id: number, owner: string, until: number): Promise<boolean> {
    const changed = await this.db.execute(
      `UPDATE backport_jobs SET lease_until = $1 WHERE id = $2 AND lease_owner = $3 AND state = 'running'`,
      [until, id, owner],
    );
    return changed > 0;
  }

  /** The job ended: 'done', or 'failed' for good with what happened. */
  async finish(
    id: number,
    owner: string,
    state: 'done' | 'failed',
    now: number,
    error?: string,
  ): Promise<void> {
    await this.db.execute(
      `UPDATE backport_jobs SET state = $1, lease_owner = NULL, lease_until = NULL, last_error = $2,
         updated_at = $3
       WHERE id = $4 AND lease_owner = $5`,
      [state, error ?? null, now, id, owner],
    );
  }

  /**
   * Back to the queue, to run at `runAfter`: after a transient failure (`failed` counts it,
   * `request` narrows what is left to do), or unfinished at shutdown.
   */
  async requeue(
    id: number,
    owner: string,
    change: { runAfter: number; now: number; failed?: string; request?: JobRequest },
  ): Promise<void> {
    await this.db.execute(
      `UPDATE backport_jobs SET state = 'queued', lease_owner = NULL, lease_until = NULL,
         run_after = $1, attempts = attempts + $2, last_error = COALESCE($3, last_error),
         request = COALESCE($4, request), updated_at = $5
       WHERE id = $6 AND lease_owner = $7`,
      [
        change.runAfter,
        change.failed === undefined ? 0 : 1,
        change.failed ?? null,
        change.request ? JSON.stringify(change.request) : null,
        change.now,
        id,
        owner,
      ],
    );
  }

  /**
   * On the embedded database one process owns the file, so a job still "running" at start
   * belongs to a process that died: it is queued again at once instead of waiting out its
   * lease. (On PostgreSQL another instance may be running it; leases decide there.)
   */
  async recoverAbandoned(now: number): Promise<number> {
    if (this.db.dialect !== 'sqlite') return 0;
    return this.db.execute(
      `UPDATE backport_jobs SET state = 'queued', lease_owner = NULL, lease_until = NULL, updated_at = $1
       WHERE state = 'running'`,
      [now],
    );
  }

  /**
   * True for the one instance that takes the turn: at most once per `everyMs` over all
   * instances (reconciliation runs on one instance per period, not on each).
   */
  async takeTurn(name: string, now: number, everyMs: number): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO backport_turns (name, taken_at) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET taken_at = excluded.taken_at
       WHERE backport_turns.taken_at <= $3 RETURNING name`,
      [name, now, now - everyMs],
    );
    return rows.length > 0;
  }

  /** Jobs per state, for metrics and tests. */
  async counts(): Promise<Record<JobState, number>> {
    const rows = await this.db.query<{ state: JobState; n: number }>(
      'SELECT state, COUNT(*) AS n FROM backport_jobs GROUP BY state',
    );
    const counts: Record<JobState, number> = { queued: 0, running: 0, done: 0, failed: 0 };
    for (const r of rows) counts[r.state] = Number(r.n);
    return counts;
  }

  /** Every job of a repository, oldest first (tests and diagnostics). */
  async jobsOf(repo: string): Promise<Job[]> {
    const rows = await this.db.query<JobRow>(
      `SELECT id, installation_id, request, state, attempts, claims, last_error FROM backport_jobs
       WHERE repo = $1 ORDER BY id`,
      [repo],
    );
    return rows.map(toJob);
  }

  /** Forgets finished jobs and delivery ids older than `before` (the table stays small). */
  async prune(before: number): Promise<void> {
    await this.db.execute(`DELETE FROM backport_jobs WHERE state IN ('done', 'failed') AND updated_at < $1`, [
      before,
    ]);
    await this.db.execute('DELETE FROM backport_deliveries WHERE received_at < $1', [before]);
  }
}

function forUpdate(tx: Queryable): string {
  return tx.dialect === 'postgres' ? ' FOR UPDATE' : '';
}

function toJob(row: JobRow): Job {
  return {
    id: Number(row.id),
    installationId: Number(row.installation_id),
    request: JSON.parse(row.request) as JobRequest,
    state: row.state as JobState,
    attempts: Number(row.attempts),
    claims: Number(row.claims),
    lastError: row.last_error,
  };
}

/**
 * Reconciliation reads status rows, and a job still running has not written its rows yet: a
 * PR whose unfinished backport job acts on all its labels needs no second job for what that
 * job will write (a job whose instance died is taken over when its lease runs out). The id of
 * that job, or undefined.
 */
function reconciledAlready(
  request: JobRequest,
  unfinished: ReadonlyArray<{ id: number; request: string }>,
): number | undefined {
  if (!isBackportJob(request) || request.origin !== 'reconcile') return undefined;
  return unfinished.find((row) => {
    const other = JSON.parse(row.request) as JobRequest;
    return isBackportJob(other) && other.labels === 'all' && other.targets === undefined;
  })?.id;
}
