/**
 * The database engine of this run of the server suite. The suite runs once on SQLite and, when
 * `PARLEY_TEST_PG_URL` names a PostgreSQL database the tests may create databases next to
 * (`.ci/run` exports `postgres:///parley_test?host=/var/run/postgresql`), once more with
 * `PARLEY_TEST_ENGINE=postgres` (`npm test` does both). On PostgreSQL every test data dir gets a
 * fresh database of its own, dropped with the dir, so parallel test files never share rows.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';

export const ENGINE: 'sqlite' | 'postgres' = process.env.PARLEY_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

function adminUrl(): string {
  const url = process.env.PARLEY_TEST_PG_URL;
  if (!url) throw new Error('PARLEY_TEST_ENGINE=postgres needs PARLEY_TEST_PG_URL (a database to connect to first)');
  return url;
}

/** The same server and credentials as `PARLEY_TEST_PG_URL`, another database. */
export function pgUrlFor(database: string): string {
  // Not `new URL`: `postgres:///db?host=/socket/dir` (no host) is valid to libpq, not to WHATWG.
  return adminUrl().replace(/^(postgres(?:ql)?:\/\/[^/?]*)(\/[^?]*)?/i, `$1/${database}`);
}

const databaseName = (dir: string) => `parley_t_${createHash('sha256').update(dir).digest('hex').slice(0, 16)}`;

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates a fresh PostgreSQL database (dropping one of that name first) and returns its URL. */
export async function createPgDatabase(database: string): Promise<string> {
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${database}`);
  });
  return pgUrlFor(database);
}

export async function dropPgDatabase(database: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
}

const created = new Map<string, Promise<string>>();

/** The `databaseUrl` a server on `dataDir` uses in this run: undefined on SQLite (the file in the dir). */
export function databaseUrlFor(dataDir: string): Promise<string | undefined> {
  if (ENGINE === 'sqlite') return Promise.resolve(undefined);
  let url = created.get(dataDir);
  if (!url) created.set(dataDir, (url = createPgDatabase(databaseName(dataDir))));
  return url;
}

/** Drops the database of `dataDir` (PostgreSQL runs; nothing to do on SQLite, the dir holds it). */
export async function dropDatabaseFor(dataDir: string): Promise<void> {
  if (!created.delete(dataDir)) return;
  await dropPgDatabase(databaseName(dataDir));
}

/** Runs SQL (no parameters) against the database of the server on `dataDir`; returns the rows. */
export async function sqlOn(dataDir: string, text: string): Promise<Record<string, unknown>[]> {
  const url = await databaseUrlFor(dataDir);
  if (!url) {
    const db = new Database(join(dataDir, 'parley.db'));
    try {
      const statement = db.prepare(text);
      return statement.reader ? (statement.all() as Record<string, unknown>[]) : (statement.run(), []);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}
