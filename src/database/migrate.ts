import type { Database, MigrationStep } from './database.js';

/**
 * Brings one part of the schema (a `scope`, such as "ledger" or "jobs") up to date. Each
 * scope records how many of its steps ran; a released step is never edited, only followed by
 * a new one. Steps run in one transaction each, and concurrent starts of several instances
 * are safe: on PostgreSQL an advisory lock makes them take turns (schema_versions's creation
 * included), and a step that another
 * instance ran meanwhile is not run again.
 *
 * `legacyVersion` is how many steps a database had taken before its scope was recorded here
 * (the ledger's SQLite file counted them in `PRAGMA user_version`); it counts only while
 * schema_versions has no row for the scope, and is then recorded.
 */
export async function migrate(
  db: Database,
  scope: string,
  steps: readonly MigrationStep[],
  options: { legacyVersion?: number | undefined } = {},
): Promise<void> {
  await db.transaction(async (tx) => {
    // One lock for every scope, taken before schema_versions is created: two instances
    // starting on an empty database would otherwise both create it, and PostgreSQL's
    // CREATE TABLE IF NOT EXISTS is not safe against a concurrent one (a unique violation
    // on pg_type).
    if (tx.dialect === 'postgres')
      await tx.execute('SELECT pg_advisory_xact_lock(hashtext($1))', ['migrate']);
    await tx.execute(
      `CREATE TABLE IF NOT EXISTS schema_versions (scope TEXT PRIMARY KEY, version INTEGER NOT NULL)`,
    );
    const rows = await tx.query<{ version: number }>('SELECT version FROM schema_versions WHERE scope = $1', [
      scope,
    ]);
    const done = rows[0]?.version ?? options.legacyVersion ?? 0;
    for (let i = done; i < steps.length; i++) {
      const step = steps[i]!;
      const script = typeof step === 'string' ? step : step[tx.dialect];
      for (const statement of splitStatements(script)) await tx.execute(statement);
    }
    if (steps.length > done || (rows.length === 0 && done > 0))
      await tx.execute(
        `INSERT INTO schema_versions (scope, version) VALUES ($1, $2)
         ON CONFLICT (scope) DO UPDATE SET version = excluded.version`,
        [scope, Math.max(done, steps.length)],
      );
  });
}

/** A script's statements, split on the semicolons that end them (our scripts hold no others). */
export function splitStatements(script: string): string[] {
  return script
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
