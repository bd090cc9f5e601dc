import { BackportError } from '../errors.js';
import type { Database } from './database.js';
import { PostgresDatabase } from './postgres-database.js';
import { SqliteDatabase } from './sqlite-database.js';

export interface DatabaseSettings {
  /** DATABASE_URL: `postgres://…` to share state between instances; absent for SQLite. */
  url?: string | undefined;
  /** The SQLite file used when there is no URL. */
  sqlitePath: string;
  /** DATABASE_POOL_MAX: PostgreSQL connections per instance. */
  maxConnections?: number | undefined;
}

/** The embedded SQLite file by default; PostgreSQL when a `postgres://` URL is given. */
export function openDatabase(settings: DatabaseSettings): Database {
  const url = settings.url?.trim();
  if (!url) return SqliteDatabase.open(settings.sqlitePath);
  if (!/^postgres(ql)?:\/\//i.test(url))
    throw new BackportError(
      'bad-argument',
      'DATABASE_URL must be a postgres:// or postgresql:// URL (leave it unset for the embedded SQLite file).',
      { setting: 'DATABASE_URL' },
    );
  return PostgresDatabase.open(url, { maxConnections: settings.maxConnections });
}
