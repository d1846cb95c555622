/**
 * The PostgreSQL schema of the reference server, created or migrated at start-up.
 *
 * The tables and columns are the SQLite schema's (`schema.ts`, one definition for both), so the
 * seed guide's debugging SQL runs as written on either engine. Timestamps are `timestamptz` (read back as ISO strings),
 * ids `bigserial`. Upload bytes live in `chat_upload_data`, so every instance serves every
 * upload. Each entry of `MIGRATIONS` moves `parley_schema.version` one step forward.
 */
import type { PoolClient } from 'pg';
import { SCHEMA_V2, schemaV1, schemaV3, type Dialect } from './schema.js';
import { DEFAULT_PROMPTS } from './sql-rows.js';

const PG: Dialect = { id: 'BIGSERIAL PRIMARY KEY', time: 'TIMESTAMPTZ', big: 'BIGINT' };

const MIGRATIONS: string[] = [
  `${schemaV1(PG)}
  CREATE TABLE chat_upload_data (
    stored_name TEXT PRIMARY KEY,
    data        BYTEA NOT NULL
  );
  CREATE INDEX chat_message_created ON chat_message (created_at);
  CREATE TABLE parley_setting (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  SCHEMA_V2,
  schemaV3(PG),
];

/** Any constant works: it only has to be the same for every instance. ("parley" in ASCII.) */
const MIGRATION_LOCK = 0x7061726c6579;

/**
 * Applies every migration the database has not seen yet and seeds the quick prompts, in one
 * transaction under an advisory lock: two instances starting at once migrate once, the second
 * waits for the first and then finds nothing left to do.
 */
export async function migratePg(client: PoolClient): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS parley_schema (version INTEGER NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM parley_schema');
    if (rows.length === 0) await client.query('INSERT INTO parley_schema (version) VALUES (0)');
    const current = rows[0]?.version ?? 0;
    for (let v = current; v < MIGRATIONS.length; v++) {
      await client.query(MIGRATIONS[v]!);
      await client.query('UPDATE parley_schema SET version = $1', [v + 1]);
    }
    const prompts = await client.query('SELECT 1 FROM chat_botprompt LIMIT 1');
    if (prompts.rowCount === 0) {
      for (const p of DEFAULT_PROMPTS)
        await client.query('INSERT INTO chat_botprompt (title, text, "order") VALUES ($1, $2, $3)', [
          p.title,
          p.text,
          p.order,
        ]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
