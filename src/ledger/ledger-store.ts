/**
 * The ledger's embedded store (SQLite through better-sqlite3). It keeps facts, never derived
 * state: the ledger is recomputed from the facts on read (ledger-reducer.ts), so a store
 * written by an older version gives the new version's ledger, and a redelivered or
 * out-of-order webhook cannot leave a wrong state behind.
 */
import Database from 'better-sqlite3';
import { BackportError } from '../errors.js';
import type { Fact } from './ledger-facts.js';
import { canonicalJson, factKey, parseFact, supersedes } from './ledger-facts.js';
import type { LedgerItem } from './ledger-item.js';
import { MIGRATIONS } from './ledger-migrations.js';
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

type Db = Database.Database;

export class LedgerStore {
  private constructor(private readonly db: Db) {}

  /** Opens (creating if needed) the store at `path`; `':memory:'` works for throwaway use. */
  static open(path: string): LedgerStore {
    let db: Db;
    try {
      db = new Database(path);
    } catch (err) {
      throw new BackportError(
        'internal',
        'The ledger database could not be opened.',
        { path },
        { cause: err },
      );
    }
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return new LedgerStore(db);
  }

  close(): void {
    this.db.close();
  }

  /** True when the database answers a query (for the health check). */
  ping(): boolean {
    try {
      this.db.prepare('SELECT 1').get();
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Records facts, keeping per identity only the newest (same rule as the reducer). Returns
   * how many changed the store, so a caller can skip work when a delivery was a repeat.
   */
  applyFacts(facts: Iterable<Fact>): number {
    return this.db.transaction((list: Fact[]) => list.filter((f) => this.put(f)).length)([...facts]);
  }

  /**
   * A rebuild: records what GitHub says now, then forgets facts of the repository that the
   * rebuild did not see and that no webhook refreshed since it started (`startedAt`), so a
   * deleted issue disappears while a webhook that raced the rebuild is kept.
   */
  rebuildRepo(repo: string, facts: Iterable<Fact>, startedAt: string): void {
    const list = [...facts];
    const seen = new Set(list.map(factKey));
    this.db.transaction(() => {
      for (const f of list) this.put(f);
      const rows = this.db.prepare('SELECT key, updated_ms FROM facts WHERE repo = ?').all(repo) as {
        key: string;
        updated_ms: number;
      }[];
      const del = this.db.prepare('DELETE FROM facts WHERE key = ?');
      for (const r of rows) if (!seen.has(r.key) && r.updated_ms < Date.parse(startedAt)) del.run(r.key);
    })();
  }

  facts(repo: string): Fact[] {
    const rows = this.db.prepare('SELECT body FROM facts WHERE repo = ? ORDER BY key').all(repo) as {
      body: string;
    }[];
    return rows.map((r) => parseFact(JSON.parse(r.body)));
  }

  /** Every backport of the repository, derived from its facts. */
  ledger(repo: string, rules?: LabelRules): LedgerItem[] {
    return deriveLedger(this.facts(repo), rules);
  }

  upsertRepo(info: Omit<RepoInfo, 'trackingIssue'> & { trackingIssue?: number | null }): void {
    this.db
      .prepare(
        `INSERT INTO repos (repo, private, html_url, default_branch, tracking_issue)
         VALUES (@repo, @private, @htmlUrl, @defaultBranch, @trackingIssue)
         ON CONFLICT (repo) DO UPDATE SET private = excluded.private, html_url = excluded.html_url,
           default_branch = excluded.default_branch,
           tracking_issue = COALESCE(excluded.tracking_issue, repos.tracking_issue)`,
      )
      .run({ ...info, private: info.private ? 1 : 0, trackingIssue: info.trackingIssue ?? null });
  }

  /** Records a complete rebuild of the repository from GitHub (see rebuildRepo). */
  markRebuilt(repo: string, at: string): void {
    this.db.prepare('UPDATE repos SET rebuilt_at = ? WHERE repo = ?').run(at, repo);
  }

  /** When the repository was last rebuilt from GitHub, or null when never (or it failed). */
  rebuiltAt(repo: string): string | null {
    const row = this.db.prepare('SELECT rebuilt_at FROM repos WHERE repo = ?').get(repo) as
      { rebuilt_at: string | null } | undefined;
    return row?.rebuilt_at ?? null;
  }

  setTrackingIssue(repo: string, issue: number | null): void {
    this.db.prepare('UPDATE repos SET tracking_issue = ? WHERE repo = ?').run(issue, repo);
  }

  repo(repo: string): RepoInfo | undefined {
    const row = this.db.prepare('SELECT * FROM repos WHERE repo = ?').get(repo) as RepoRow | undefined;
    return row && toRepoInfo(row);
  }

  /** Repositories in name order. */
  repos(): RepoInfo[] {
    return (this.db.prepare('SELECT * FROM repos ORDER BY repo').all() as RepoRow[]).map(toRepoInfo);
  }

  saveMissingFixes(repo: string, report: BranchMissingFixes, computedAt: string): void {
    this.db
      .prepare(
        `INSERT INTO missing_fixes (repo, branch, computed_at, body) VALUES (?, ?, ?, ?)
         ON CONFLICT (repo, branch) DO UPDATE SET computed_at = excluded.computed_at, body = excluded.body`,
      )
      .run(repo, report.branch, computedAt, JSON.stringify(report));
  }

  /** The latest missing-fix report of each branch, in branch order. */
  missingFixes(repo: string): StoredMissingFixes[] {
    const rows = this.db
      .prepare('SELECT computed_at, body FROM missing_fixes WHERE repo = ? ORDER BY branch')
      .all(repo) as { computed_at: string; body: string }[];
    return rows.map((r) => ({ report: JSON.parse(r.body) as BranchMissingFixes, computedAt: r.computed_at }));
  }

  /**
   * Forgets a repository entirely (the app was uninstalled from it): its facts, reports and
   * page. A later install rebuilds it from GitHub.
   */
  forgetRepo(repo: string): void {
    this.db.transaction(() => {
      for (const table of ['facts', 'missing_fixes', 'repos'])
        this.db.prepare(`DELETE FROM ${table} WHERE repo = ?`).run(repo);
    })();
  }

  /** Forgets a branch that is no longer supported. */
  dropMissingFixes(repo: string, branch: string): void {
    this.db.prepare('DELETE FROM missing_fixes WHERE repo = ? AND branch = ?').run(repo, branch);
  }

  private put(fact: Fact): boolean {
    const checked = parseFact(fact);
    const key = factKey(checked);
    const row = this.db.prepare('SELECT body FROM facts WHERE key = ?').get(key) as
      { body: string } | undefined;
    if (row && !supersedes(checked, parseFact(JSON.parse(row.body)))) return false;
    this.db
      .prepare(
        `INSERT INTO facts (key, repo, kind, updated_ms, body) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET updated_ms = excluded.updated_ms, body = excluded.body`,
      )
      .run(key, checked.repo, checked.kind, Date.parse(checked.updatedAt), canonicalJson(checked));
    return true;
  }
}

interface RepoRow {
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

function migrate(db: Db): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new BackportError('internal', 'The ledger database was written by a newer version of the app.', {
      version,
      known: MIGRATIONS.length,
    });
  }
  db.transaction(() => {
    for (let v = version; v < MIGRATIONS.length; v++) {
      db.exec(MIGRATIONS[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    }
  })();
}
