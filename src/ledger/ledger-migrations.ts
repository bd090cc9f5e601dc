import type { Database, MigrationStep } from '../database/database.js';
import { migrate } from '../database/migrate.js';
import { BackportError } from '../errors.js';

/**
 * The ledger's schema, one step per version, under the scope "ledger" of the app's database
 * (database/migrate.ts). A step is never edited once released, only followed by a new one:
 * the SQLite text of steps 1 and 2 is exactly what earlier versions ran, so a ledger file they
 * wrote continues where it stopped. PostgreSQL gets its own spelling where the engines differ:
 * BIGINT for epoch milliseconds, and the "C" collation on text that is compared or sorted, so
 * PostgreSQL orders it by bytes as SQLite does (the "newer wins" tie-break compares bodies).
 */
export const MIGRATIONS: readonly MigrationStep[] = [
  // 1: facts keyed by identity (see ledger-facts.ts), repositories, missing-fix reports.
  {
    sqlite: `CREATE TABLE facts (
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
    postgres: `CREATE TABLE facts (
     key TEXT COLLATE "C" PRIMARY KEY,
     repo TEXT COLLATE "C" NOT NULL,
     kind TEXT NOT NULL,
     updated_ms BIGINT NOT NULL,
     body TEXT COLLATE "C" NOT NULL
   );
   CREATE INDEX facts_by_repo ON facts (repo);
   CREATE TABLE repos (
     repo TEXT COLLATE "C" PRIMARY KEY,
     private INTEGER NOT NULL,
     html_url TEXT NOT NULL,
     default_branch TEXT NOT NULL,
     tracking_issue INTEGER
   );
   CREATE TABLE missing_fixes (
     repo TEXT COLLATE "C" NOT NULL,
     branch TEXT COLLATE "C" NOT NULL,
     computed_at TEXT NOT NULL,
     body TEXT NOT NULL,
     PRIMARY KEY (repo, branch)
   );`,
  },
  // 2: when each repository was last read back from GitHub in full, so a rebuild that failed
  // (a rate limit, an outage) is tried again on a later event, even after a restart.
  `ALTER TABLE repos ADD COLUMN rebuilt_at TEXT;`,
  // 3: how far along each fact is (ledger-facts.ts, `progress`), so one upsert statement can
  // keep the newer fact by itself (ledger-store.ts) when several writers race; filled in for
  // the facts already stored.
  {
    sqlite: `ALTER TABLE facts ADD COLUMN progress INTEGER NOT NULL DEFAULT 0;
   UPDATE facts SET progress = ${progressSql('body')}`,
    postgres: `ALTER TABLE facts ADD COLUMN progress INTEGER NOT NULL DEFAULT 0;
   UPDATE facts SET progress = ${progressSql('body::jsonb')}`,
  },
];

/** ledger-facts.ts's `progress` of a stored fact, in SQL (`->>` gives NULL for JSON null). */
function progressSql(json: string): string {
  const field = (name: string) => `(${json} ->> '${name}')`;
  return `CASE
     WHEN kind IN ('source-pr', 'backport-pr') THEN
       CASE WHEN ${field('mergedAt')} IS NOT NULL THEN 2 WHEN ${field('state')} = 'closed' THEN 1 ELSE 0 END
     WHEN kind = 'conflict-issue' THEN CASE WHEN ${field('state')} = 'closed' THEN 1 ELSE 0 END
     WHEN kind = 'pr-checks' THEN CASE WHEN ${field('state')} IN ('success', 'failure') THEN 1 ELSE 0 END
     ELSE 0 END`;
}

/**
 * Brings the ledger's schema up to date. A SQLite ledger file of an earlier version counted
 * its steps in `PRAGMA user_version` rather than in schema_versions; that count is taken over,
 * and kept in step, so the file opens with either version. A database written by a newer
 * version of the app is refused rather than misread.
 */
export async function migrateLedger(db: Database): Promise<void> {
  let legacy: number | undefined;
  if (db.dialect === 'sqlite') {
    const [row] = await db.query<{ user_version: number }>('PRAGMA user_version');
    legacy = row?.user_version || undefined;
    if (legacy !== undefined) refuseNewer(legacy);
  }
  await migrate(db, 'ledger', MIGRATIONS, { legacyVersion: legacy });
  const [row] = await db.query<{ version: number }>('SELECT version FROM schema_versions WHERE scope = $1', [
    'ledger',
  ]);
  refuseNewer(row?.version ?? 0);
  if (db.dialect === 'sqlite') await db.execute(`PRAGMA user_version = ${MIGRATIONS.length}`);
}

function refuseNewer(version: number): void {
  if (version > MIGRATIONS.length)
    throw new BackportError('internal', 'The ledger database was written by a newer version of the app.', {
      version,
      known: MIGRATIONS.length,
    });
}
