import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { BackportError } from '../errors.js';
import type { Database, Queryable, Row } from './database.js';

/**
 * The embedded default: one SQLite file, one process. better-sqlite3 is synchronous, so each
 * statement runs to completion on the spot; what needs care is a transaction whose work
 * awaits (a GitHub call between two statements, say). Statements and transactions therefore
 * take turns through one queue: a statement issued by anyone else while a transaction is
 * open waits for it, instead of silently joining it.
 */
export class SqliteDatabase implements Database {
  readonly dialect = 'sqlite' as const;
  private turn: Promise<unknown> = Promise.resolve();
  /**
   * Statements by their SQL text, prepared once: the queue's poll and every job's reads and
   * writes repeat the same few dozen statements, and preparing one again is SQLite parsing
   * and planning it again. A schema change later is safe: SQLite prepares a statement again
   * by itself when the schema it was planned on changed.
   */
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  private constructor(
    private readonly db: BetterSqlite3.Database,
    readonly description: string,
  ) {}

  /** Opens (creating if needed) the file at `file`; `':memory:'` gives a throwaway database. */
  static open(file: string): SqliteDatabase {
    let db: BetterSqlite3.Database;
    try {
      if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
      db = new BetterSqlite3(file);
    } catch (err) {
      throw new BackportError(
        'internal',
        'The database file could not be opened.',
        { path: file },
        { cause: err },
      );
    }
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    return new SqliteDatabase(db, file);
  }

  query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    return this.inTurn(() => runQuery<R>(this.prepare, sql, params));
  }

  execute(sql: string, params: readonly unknown[] = []): Promise<number> {
    return this.inTurn(() => runExecute(this.prepare, sql, params));
  }

  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.inTurn(async () => {
      const tx: Queryable = {
        dialect: 'sqlite',
        query: async <R extends Row>(sql: string, params: readonly unknown[] = []) =>
          runQuery<R>(this.prepare, sql, params),
        execute: async (sql: string, params: readonly unknown[] = []) =>
          runExecute(this.prepare, sql, params),
      };
      // IMMEDIATE takes the write lock at once, so two processes sharing a file by mistake
      // wait on each other (busy_timeout) rather than failing halfway through.
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(tx);
        this.db.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      }
    });
  }

  async ping(): Promise<boolean> {
    try {
      await this.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.turn.catch(() => undefined);
    if (this.db.open) this.db.close();
  }

  /** The SQLite handle itself, for the few callers that need its synchronous API. */
  get handle(): BetterSqlite3.Database {
    return this.db;
  }

  private readonly prepare = (text: string): BetterSqlite3.Statement => {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      // Bounded for callers that build SQL text with values in it: the oldest goes first.
      if (this.statements.size >= MAX_STATEMENTS)
        this.statements.delete(this.statements.keys().next().value!);
      this.statements.set(text, statement);
    }
    return statement;
  };

  private inTurn<T>(work: () => T | Promise<T>): Promise<T> {
    const run = this.turn.then(work, work);
    this.turn = run.catch(() => undefined);
    return run;
  }
}

const MAX_STATEMENTS = 500;

type Prepare = (text: string) => BetterSqlite3.Statement;

function runQuery<R>(prepare: Prepare, sql: string, params: readonly unknown[]): R[] {
  const { text, values } = toSqlite(sql, params);
  const statement = prepare(text);
  if (!statement.reader) {
    statement.run(...values);
    return [];
  }
  return statement.all(...values) as R[];
}

function runExecute(prepare: Prepare, sql: string, params: readonly unknown[]): number {
  const { text, values } = toSqlite(sql, params);
  const statement = prepare(text);
  if (statement.reader) return statement.all(...values).length;
  return statement.run(...values).changes;
}

/**
 * `$1, $2, …` → `?`, with the values reordered (and repeated) to match. Booleans become 0/1
 * and undefined becomes NULL, which is what the PostgreSQL driver does with them too.
 */
export function toSqlite(sql: string, params: readonly unknown[]): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const text = sql.replace(/\$(\d+)/g, (_, n: string) => {
    const index = Number(n) - 1;
    if (index < 0 || index >= params.length)
      throw new BackportError('internal', `A statement uses $${n} but was given ${params.length} values.`);
    values.push(sqliteValue(params[index]));
    return '?';
  });
  return { text, values };
}

function sqliteValue(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === undefined) return null;
  return value;
}
