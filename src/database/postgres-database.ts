import { createRequire } from 'node:module';
import type pg from 'pg';
import { BackportError } from '../errors.js';
import type { Database, Queryable, Row } from './database.js';

/**
 * The driver, loaded when a PostgreSQL database is opened, not with the app: an instance on
 * the embedded SQLite file never uses it, and loading it (with the `net`, `tls` and `dns`
 * code it brings in) took about 3-4 MB of the app's resident memory for nothing.
 */
const loadPg = (): typeof pg => createRequire(import.meta.url)('pg') as typeof pg;

/** PostgreSQL's type ids for the integer types that the driver returns as strings by default. */
const INT8 = 20;
const NUMERIC = 1700;

/**
 * PostgreSQL, shared by several app instances. One pool per process; a transaction holds one
 * connection from BEGIN to COMMIT. BIGINT and NUMERIC come back as numbers (our BIGINTs are
 * epoch milliseconds and counts, far below 2^53), so callers read the same values as from
 * SQLite.
 */
export class PostgresDatabase implements Database {
  readonly dialect = 'postgres' as const;

  private constructor(
    private readonly pool: pg.Pool,
    readonly description: string,
  ) {}

  static open(url: string, options: { maxConnections?: number } = {}): PostgresDatabase {
    const pg = loadPg();
    const types = {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8 || oid === NUMERIC
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    };
    const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 5, types });
    // An idle connection that the server drops must not crash the process; the next query
    // simply takes a new one.
    pool.on('error', () => undefined);
    return new PostgresDatabase(pool, redact(url));
  }

  async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    return (await this.run<R>(this.pool, sql, params)).rows;
  }

  async execute(sql: string, params: readonly unknown[] = []): Promise<number> {
    return (await this.run(this.pool, sql, params)).rowCount ?? 0;
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.connect();
    const tx: Queryable = {
      dialect: 'postgres',
      query: async <R extends Row>(sql: string, params: readonly unknown[] = []) =>
        (await this.run<R>(client, sql, params)).rows,
      execute: async (sql: string, params: readonly unknown[] = []) =>
        (await this.run(client, sql, params)).rowCount ?? 0,
    };
    try {
      await client.query('BEGIN');
      const result = await work(tx);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async ping(): Promise<boolean> {
    try {
      await this.pool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** Connections open right now (for metrics and the load benchmark). */
  get connections(): number {
    return this.pool.totalCount;
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (err) {
      throw unreachable(this.description, err);
    }
  }

  private async run<R extends Row>(
    on: pg.Pool | pg.PoolClient,
    sql: string,
    params: readonly unknown[],
  ): Promise<pg.QueryResult<R>> {
    try {
      return await on.query<R>(sql, params.map(integerBooleans));
    } catch (err) {
      // A statement PostgreSQL refused (a constraint, a syntax error) is ours to report as
      // it is; a connection that failed is an outage, said in one plain sentence.
      if (err instanceof Error && 'severity' in err) throw err;
      throw unreachable(this.description, err);
    }
  }
}

/** Booleans are stored as 0/1 on both engines (see database.ts). */
function integerBooleans(value: unknown): unknown {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

function unreachable(where: string, cause: unknown): BackportError {
  return new BackportError(
    'internal',
    `The database at ${where} did not answer.`,
    { database: where },
    { cause },
  );
}

/** The URL as logs may show it: no password. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres (unparsable URL)';
  }
}
