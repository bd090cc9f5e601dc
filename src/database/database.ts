/**
 * The app's one database seam. By default the app keeps its state in an embedded SQLite file
 * (nothing to set up); with `DATABASE_URL=postgres://…` it keeps it in PostgreSQL, shared by
 * any number of instances. The ledger and the job queue are written once, against this small
 * interface, in the SQL both engines understand.
 *
 * Conventions every caller follows, so one statement runs on both engines:
 *   - placeholders are PostgreSQL's `$1, $2, …` (translated for SQLite); never put `$` inside
 *     a string literal of a statement;
 *   - booleans are stored as integers 0/1, times as ISO strings or epoch milliseconds in
 *     BIGINT columns, documents as TEXT holding JSON;
 *   - counts and BIGINTs come back as numbers (the PostgreSQL driver's strings are converted);
 *   - statements that only one engine has (`FOR UPDATE SKIP LOCKED`) are chosen by `dialect`.
 */
export type Dialect = 'sqlite' | 'postgres';

export type Row = Record<string, unknown>;

/** Something statements can run on: the database itself, or one transaction. */
export interface Queryable {
  readonly dialect: Dialect;
  /** Runs one statement and returns its rows (empty for statements that return none). */
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs one statement and says how many rows it changed. */
  execute(sql: string, params?: readonly unknown[]): Promise<number>;
}

export interface Database extends Queryable {
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws.
   * Statements inside must go through the `tx` it is given.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Says whether the database answers (for the health check). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
  /** Where it lives, for logs: a file path, or the URL without its password. */
  readonly description: string;
}

/** A migration step: one script for both engines, or one per engine. */
export type MigrationStep = string | { sqlite: string; postgres: string };
