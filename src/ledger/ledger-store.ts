/**
 * The ledger's store, on the app's database seam (database/database.ts): its own SQLite file
 * by default, and with `DATABASE_URL=postgres://…` the PostgreSQL database the job queue uses,
 * so every instance reads and writes one ledger. It keeps facts, never derived state: the
 * ledger is recomputed from the facts on read (ledger-reducer.ts), so a store written by an
 * older version gives the new version's ledger, and a redelivered or out-of-order webhook
 * cannot leave a wrong state behind.
 *
 * Of several facts with one identity only the newest is kept (ledger-facts.ts, `supersedes`),
 * and the database makes that choice itself: each fact is written by one upsert whose update
 * applies only when the stored fact is older. Two instances writing facts of the same identity
 * at once therefore end with the newest, whichever commits last.
 */
import type { Database, Queryable } from '../database/database.js';
import { SqliteDatabase } from '../database/sqlite-database.js';
import type { Fact } from './ledger-facts.js';
import { canonicalJson, factKey, factProgress, parseFact } from './ledger-facts.js';
import type { LedgerItem } from './ledger-item.js';
import { migrateLedger } from './ledger-migrations.js';
import { deriveLedger } from './ledger-reducer.js';
import type { LabelRules } from '../config/label-rules.js';
import type { BranchMissingFixes } from '../missing-fixes/missing-fixes.js';

export interface RepoInfo {
  /** `owner/name` as GitHub spells it. */
  repo: string;
  private: boolean;
  /** `https://github.com/owner/name` (or the GitHub Enterprise equivalent). */
  htmlUrl: string;
  defaultBranch: string;
  trackingIssue: number | null;
}

export interface StoredMissingFixes {
  report: BranchMissingFixes;
  computedAt: string;
}

/**
 * "Newer wins" as `supersedes` says it: later `updated_ms`, then further along, then the
 * greater body (bytes on both engines; see ledger-migrations.ts for PostgreSQL's collation).
 * An equal fact changes nothing, so a redelivery counts 0.
 */
const PUT_FACT = `INSERT INTO facts (key, repo, kind, updated_ms, progress, body) VALUES ($1, $2, $3, $4, $5, $6)
  ON CONFLICT (key) DO UPDATE SET updated_ms = excluded.updated_ms, progress = excluded.progress,
    body = excluded.body
  WHERE (excluded.updated_ms, excluded.progress, excluded.body) > (facts.updated_ms, facts.progress, facts.body)`;

/** A fact as stored: validated, with its identity and the columns the upsert compares. */
type FactRow = [key: string, repo: string, kind: string, updatedMs: number, progress: number, body: string];

export class LedgerStore {
  private closed = false;

  private constructor(
    private readonly db: Database,
    private readonly ownsDatabase: boolean,
  ) {}

  /**
   * The ledger in `db`, its schema brought up to date. With `ownsDatabase`, closing the store
   * closes the database; a database shared with the job queue is closed by its owner.
   */
  static async open(db: Database, options: { ownsDatabase?: boolean } = {}): Promise<LedgerStore> {
    await migrateLedger(db);
    return new LedgerStore(db, options.ownsDatabase ?? false);
  }

  /** The ledger in its own SQLite file (created if needed); `':memory:'` for throwaway use. */
  static async openFile(path: string): Promise<LedgerStore> {
    const db = SqliteDatabase.open(path);
    try {
      return await LedgerStore.open(db, { ownsDatabase: true });
    } catch (err) {
      await db.close();
      throw err;
    }
  }

  /** Where the ledger lives, for logs. */
  get description(): string {
    return this.db.description;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsDatabase) await this.db.close();
  }

  /** True when the database answers a query (for the health check). */
  ping(): Promise<boolean> {
    return this.db.ping();
  }

  /**
   * Records facts, keeping per identity only the newest (same rule as the reducer). Returns
   * how many changed the store, so a caller can skip work when a delivery was a repeat. Every
   * fact is checked before any is written: a malformed one stores nothing.
   */
  async applyFacts(facts: Iterable<Fact>): Promise<number> {
    const rows = [...facts].map(factRow).sort(byKey);
    if (rows.length === 0) return 0;
    const put = async (q: Queryable) => {
      let changed = 0;
      for (const row of rows) changed += await q.execute(PUT_FACT, row);
      return changed;
    };
    // On SQLite one transaction, for one disk sync instead of one per fact. On PostgreSQL each
    // fact is a statement of its own (each stands alone: the ledger is derived from whatever
    // facts are there), so a webhook holds one row lock at a time and cannot deadlock with a
    // rebuild or another instance.
    return this.db.dialect === 'sqlite' ? this.db.transaction(put) : put(this.db);
  }

  /**
   * A rebuild: records what GitHub says now, then forgets facts of the repository that the
   * rebuild did not see and that no webhook refreshed since it started (`startedAt`), so a
   * deleted issue disappears while a webhook that raced the rebuild is kept. Rows are written
   * in key order, as applyFacts writes them, so two writers never wait on each other in a
   * circle.
   */
  async rebuildRepo(repo: string, facts: Iterable<Fact>, startedAt: string): Promise<void> {
    const rows = [...facts].map(factRow);
    const seen = new Set(rows.map(([key]) => key));
    const started = Date.parse(startedAt);
    await this.db.transaction(async (tx) => {
      const stored = await tx.query<{ key: string }>('SELECT key FROM facts WHERE repo = $1', [repo]);
      const steps: Array<[string, () => Promise<number>]> = [
        ...rows.map((row): [string, () => Promise<number>] => [row[0], () => tx.execute(PUT_FACT, row)]),
        ...stored
          .filter(({ key }) => !seen.has(key))
          .map(({ key }): [string, () => Promise<number>] => [
            key,
            // The age is checked by the statement itself: a webhook may have refreshed the
            // fact since it was listed.
            () => tx.execute('DELETE FROM facts WHERE key = $1 AND updated_ms < $2', [key, started]),
          ]),
      ];
      steps.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (const [, step] of steps) await step();
    });
  }

  async facts(repo: string): Promise<Fact[]> {
    const rows = await this.db.query<{ body: string }>(
      'SELECT body FROM facts WHERE repo = $1 ORDER BY key',
      [repo],
    );
    return rows.map((r) => parseFact(JSON.parse(r.body)));
  }

  /** Every backport of the repository, derived from its facts. */
  async ledger(repo: string, rules?: LabelRules): Promise<LedgerItem[]> {
    return deriveLedger(await this.facts(repo), rules);
  }

  /**
   * Records what an event says of the repository. Every webhook calls it, so a row that would
   * not change is not written (no disk sync on SQLite, no row lock on PostgreSQL).
   */
  async upsertRepo(info: Omit<RepoInfo, 'trackingIssue'> & { trackingIssue?: number | null }): Promise<void> {
    await this.db.execute(
      `INSERT INTO repos (repo, private, html_url, default_branch, tracking_issue)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (repo) DO UPDATE SET private = excluded.private, html_url = excluded.html_url,
         default_branch = excluded.default_branch,
         tracking_issue = COALESCE(excluded.tracking_issue, repos.tracking_issue)
       WHERE repos.private <> excluded.private OR repos.html_url <> excluded.html_url
         OR repos.default_branch <> excluded.default_branch
         OR (excluded.tracking_issue IS NOT NULL AND repos.tracking_issue IS DISTINCT FROM excluded.tracking_issue)`,
      [info.repo, info.private, info.htmlUrl, info.defaultBranch, info.trackingIssue ?? null],
    );
  }

  /** Records a complete rebuild of the repository from GitHub (see rebuildRepo). */
  async markRebuilt(repo: string, at: string): Promise<void> {
    await this.db.execute('UPDATE repos SET rebuilt_at = $1 WHERE repo = $2', [at, repo]);
  }

  /** When the repository was last rebuilt from GitHub, or null when never (or it failed). */
  async rebuiltAt(repo: string): Promise<string | null> {
    const [row] = await this.db.query<{ rebuilt_at: string | null }>(
      'SELECT rebuilt_at FROM repos WHERE repo = $1',
      [repo],
    );
    return row?.rebuilt_at ?? null;
  }

  async setTrackingIssue(repo: string, issue: number | null): Promise<void> {
    await this.db.execute('UPDATE repos SET tracking_issue = $1 WHERE repo = $2', [issue, repo]);
  }

  async repo(repo: string): Promise<RepoInfo | undefined> {
    const [row] = await this.db.query<RepoRow>(`${SELECT_REPO} WHERE repo = $1`, [repo]);
    return row && toRepoInfo(row);
  }

  /** Repositories in name order. */
  async repos(): Promise<RepoInfo[]> {
    return (await this.db.query<RepoRow>(`${SELECT_REPO} ORDER BY repo`)).map(toRepoInfo);
  }

  async saveMissingFixes(repo: string, report: BranchMissingFixes, computedAt: string): Promise<void> {
    await this.db.execute(
      `INSERT INTO missing_fixes (repo, branch, computed_at, body) VALUES ($1, $2, $3, $4)
       ON CONFLICT (repo, branch) DO UPDATE SET computed_at = excluded.computed_at, body = excluded.body`,
      [repo, report.branch, computedAt, JSON.stringify(report)],
    );
  }

  /** The latest missing-fix report of each branch, in branch order. */
  async missingFixes(repo: string): Promise<StoredMissingFixes[]> {
    const rows = await this.db.query<{ computed_at: string; body: string }>(
      'SELECT computed_at, body FROM missing_fixes WHERE repo = $1 ORDER BY branch',
      [repo],
    );
    return rows.map((r) => ({ report: JSON.parse(r.body) as BranchMissingFixes, computedAt: r.computed_at }));
  }

  /**
   * Forgets a repository entirely (the app was uninstalled from it): its facts, reports and
   * page. A later install rebuilds it from GitHub.
   */
  async forgetRepo(repo: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const table of ['facts', 'missing_fixes', 'repos'])
        await tx.execute(`DELETE FROM ${table} WHERE repo = $1`, [repo]);
    });
  }

  /** Forgets a branch that is no longer supported. */
  async dropMissingFixes(repo: string, branch: string): Promise<void> {
    await this.db.execute('DELETE FROM missing_fixes WHERE repo = $1 AND branch = $2', [repo, branch]);
  }
}

const SELECT_REPO = 'SELECT repo, private, html_url, default_branch, tracking_issue FROM repos';

interface RepoRow {
  [column: string]: unknown;
  repo: string;
  private: number;
  html_url: string;
  default_branch: string;
  tracking_issue: number | null;
}

function toRepoInfo(row: RepoRow): RepoInfo {
  return {
    repo: row.repo,
    private: row.private !== 0,
    htmlUrl: row.html_url,
    defaultBranch: row.default_branch,
    trackingIssue: row.tracking_issue,
  };
}

function factRow(fact: Fact): FactRow {
  const checked = parseFact(fact);
  return [
    factKey(checked),
    checked.repo,
    checked.kind,
    Date.parse(checked.updatedAt),
    factProgress(checked),
    canonicalJson(checked),
  ];
}

function byKey(a: FactRow, b: FactRow): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}
