/**
 * The store's schema, one step per version. `PRAGMA user_version` records how many steps a
 * file has taken; a step is never edited once released, only followed by a new one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: facts keyed by identity (see ledger-facts.ts), repositories, missing-fix reports.
  `CREATE TABLE facts (
     key TEXT PRIMARY KEY,
     repo TEXT NOT NULL,
     kind TEXT NOT NULL,
     updated_ms INTEGER NOT NULL,
     body TEXT NOT NULL
   );
   CREATE INDEX facts_by_repo ON facts (repo);
   CREATE TABLE repos (
     repo TEXT PRIMARY KEY,
     private INTEGER NOT NULL,
     html_url TEXT NOT NULL,
     default_branch TEXT NOT NULL,
     tracking_issue INTEGER
   );
   CREATE TABLE missing_fixes (
     repo TEXT NOT NULL,
     branch TEXT NOT NULL,
     computed_at TEXT NOT NULL,
     body TEXT NOT NULL,
     PRIMARY KEY (repo, branch)
   );`,
  // 2: when each repository was last read back from GitHub in full, so a rebuild that failed
  // (a rate limit, an outage) is tried again on a later event, even after a restart.
  `ALTER TABLE repos ADD COLUMN rebuilt_at TEXT;`,
];
