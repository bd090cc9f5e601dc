// The same contract, run against the embedded SQLite file and a real PostgreSQL server: the
// ledger and the job queue are written once against it, so both engines must agree.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { join } from 'node:path';
import type { Database } from '../../src/database/database.js';
import { migrate } from '../../src/database/migrate.js';
import { openDatabase } from '../../src/database/open-database.js';
import { SqliteDatabase } from '../../src/database/sqlite-database.js';
import { isBackportError } from '../../src/errors.js';
import { tempDir } from '../support/git.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';

const engines: Array<[string, () => Promise<{ db: Database; done: () => Promise<void> }>]> = [
  [
    'sqlite',
    async () => {
      const dir = tempDir('ba-db-');
      const db = openDatabase({ sqlitePath: join(dir.path, 'nested', 'state.sqlite') });
      return { db, done: async () => (await db.close(), dir.remove()) };
    },
  ],
  [
    'postgres',
    async () => {
      const pgdb: TestDatabase = await createTestDatabase();
      const db = openDatabase({ url: pgdb.url, sqlitePath: 'unused' });
      return { db, done: async () => (await db.close(), await pgdb.drop()) };
    },
  ],
];

describe.each(engines)('the database contract on %s', (dialect, open) => {
  let db: Database;
  let done: () => Promise<void>;

  beforeAll(async () => {
    ({ db, done } = await open());
    await migrate(db, 'test', [
      'CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, size BIGINT NOT NULL, flag INTEGER NOT NULL)',
    ]);
  });
  afterAll(() => done());

  it('says which engine it is', () => {
    expect(db.dialect).toBe(dialect);
  });

  it('binds $n placeholders in any order, repeated, with booleans as 0/1', async () => {
    await db.execute('INSERT INTO items (id, name, size, flag) VALUES ($2, $1, $3, $4)', [
      'one',
      1,
      2 ** 40,
      true,
    ]);
    const rows = await db.query(
      'SELECT id, name, size, flag FROM items WHERE name = $1 AND id = $2 AND id = $2',
      ['one', 1],
    );
    expect(rows).toEqual([{ id: 1, name: 'one', size: 2 ** 40, flag: 1 }]);
  });

  it('returns counts as numbers and says how many rows a statement changed', async () => {
    await db.execute('INSERT INTO items (id, name, size, flag) VALUES (2, $1, 0, 0), (3, $1, 0, 0)', ['two']);
    expect(await db.execute('UPDATE items SET flag = 1 WHERE name = $1', ['two'])).toBe(2);
    const [count] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM items');
    expect(count).toEqual({ n: 3 });
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    await db.transaction(async (tx) => {
      await tx.execute('INSERT INTO items (id, name, size, flag) VALUES (10, $1, 0, 0)', ['kept']);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.execute('INSERT INTO items (id, name, size, flag) VALUES (11, $1, 0, 0)', ['lost']);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const names = await db.query<{ name: string }>('SELECT name FROM items WHERE id >= 10 ORDER BY id');
    expect(names.map((r) => r.name)).toEqual(['kept']);
  });

  it('keeps a statement issued during an open transaction out of it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const tx = db
      .transaction(async (t) => {
        await t.execute('INSERT INTO items (id, name, size, flag) VALUES (20, $1, 0, 0)', ['inside']);
        await gate;
        throw new Error('roll back');
      })
      .catch(() => 'rolled back');
    // Issued while the transaction is open: it must not become part of it.
    const outside = db.execute('INSERT INTO items (id, name, size, flag) VALUES (21, $1, 0, 0)', ['outside']);
    await new Promise((r) => setTimeout(r, 20));
    release();
    expect(await tx).toBe('rolled back');
    await outside;
    const names = await db.query<{ name: string }>('SELECT name FROM items WHERE id IN (20, 21)');
    expect(names.map((r) => r.name)).toEqual(['outside']);
  });

  it('runs each migration step once, also when several instances start together', async () => {
    const steps = [
      'CREATE TABLE counted (n INTEGER NOT NULL)',
      'INSERT INTO counted (n) VALUES (1)',
      { sqlite: 'INSERT INTO counted (n) VALUES (2)', postgres: 'INSERT INTO counted (n) VALUES (3)' },
    ];
    await Promise.all([migrate(db, 'twice', steps.slice(0, 2)), migrate(db, 'twice', steps.slice(0, 2))]);
    await migrate(db, 'twice', steps);
    await migrate(db, 'twice', steps);
    const rows = await db.query<{ n: number }>('SELECT n FROM counted ORDER BY n');
    expect(rows.map((r) => r.n)).toEqual([1, dialect === 'sqlite' ? 2 : 3]);
  });

  it('answers the health check', async () => {
    expect(await db.ping()).toBe(true);
  });
});

describe('migrating an empty PostgreSQL database', () => {
  it('lets several instances start together on it', async () => {
    // Each round a fresh database and two handles (two instances' pools), migrating at once.
    for (let round = 0; round < 5; round++) {
      const pgdb = await createTestDatabase();
      const dbs = [0, 1].map(() => openDatabase({ url: pgdb.url, sqlitePath: 'unused' }));
      try {
        await Promise.all(dbs.map((db) => migrate(db, 'jobs', ['CREATE TABLE jobs_here (n INTEGER)'])));
        const rows = await dbs[0]!.query<{ version: number }>(
          `SELECT version FROM schema_versions WHERE scope = 'jobs'`,
        );
        expect(rows).toEqual([{ version: 1 }]);
      } finally {
        for (const db of dbs) await db.close();
        await pgdb.drop();
      }
    }
  });
});

describe('opening a database', () => {
  it('refuses a DATABASE_URL that is not PostgreSQL, naming the setting', () => {
    let caught: unknown;
    try {
      openDatabase({ url: 'mysql://root@localhost/app', sqlitePath: 'unused' });
    } catch (err) {
      caught = err;
    }
    expect(isBackportError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(/DATABASE_URL/);
  });

  it('reports a server that does not answer in one sentence without the password', async () => {
    const db = openDatabase({ url: 'postgres://app:s3cret@127.0.0.1:1/none', sqlitePath: 'unused' });
    expect(await db.ping()).toBe(false);
    const err = await db.query('SELECT 1').catch((e: unknown) => e);
    expect(isBackportError(err, 'internal')).toBe(true);
    expect((err as Error).message).toContain('did not answer');
    expect((err as Error).message).not.toContain('s3cret');
    await db.close();
  });
});

describe('the embedded SQLite database', () => {
  it('prepares a statement once however often it runs, and sees a table changed since', async () => {
    const db = SqliteDatabase.open(':memory:');
    const prepare = jest.spyOn(db.handle, 'prepare');
    try {
      await db.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)');
      for (let i = 1; i <= 3; i++) {
        await db.execute('INSERT INTO t (id, name) VALUES ($1, $2)', [i, `n${i}`]);
        await db.transaction((tx) => tx.query('SELECT name FROM t WHERE id = $1', [i]));
      }
      expect(await db.query('SELECT name FROM t WHERE id = $1', [2])).toEqual([{ name: 'n2' }]);
      const all = 'SELECT * FROM t WHERE id = $1';
      expect(await db.query(all, [1])).toEqual([{ id: 1, name: 'n1' }]);
      // The statement planned before the table changed answers with its new shape.
      await db.execute('ALTER TABLE t ADD COLUMN size INTEGER');
      await db.execute('UPDATE t SET size = $1', [7]);
      expect(await db.query(all, [1])).toEqual([{ id: 1, name: 'n1', size: 7 }]);
      expect(prepare.mock.calls.map(([text]) => text)).toEqual([
        'CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)',
        'INSERT INTO t (id, name) VALUES (?, ?)',
        'SELECT name FROM t WHERE id = ?',
        'SELECT * FROM t WHERE id = ?',
        'ALTER TABLE t ADD COLUMN size INTEGER',
        'UPDATE t SET size = ?',
      ]);
    } finally {
      prepare.mockRestore();
      await db.close();
    }
  });
});
