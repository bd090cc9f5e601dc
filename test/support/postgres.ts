import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The real PostgreSQL server the tests use (see README: one runs on 127.0.0.1:5432 on the
 * project's machines and in CI; `TEST_DATABASE_URL` points elsewhere). Each test suite gets a
 * database of its own, created here and dropped when it is done, so suites never see each
 * other's rows and nothing is left behind.
 */
export const POSTGRES_ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';

export interface TestDatabase {
  /** The new database's URL. */
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(prefix = 'ba_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
