/**
 * The schema of the reference server, created or migrated at start: written once for both
 * engines (`Dialect`), applied here to SQLite and in `pg-schema.ts` to PostgreSQL.
 *
 * Table and column names follow the seed (`accounts_user`, `chat_conversation`, `chat_message`,
 * `chat_participant`) so the seed guide's debugging SQL runs as written. Each entry of
 * `MIGRATIONS` moves the database one `user_version` forward.
 */
import type Database from 'better-sqlite3';

/** The column types that differ between the engines; every name is the same on both. */
export interface Dialect {
  /** An auto-numbered primary key. */
  id: string;
  /** A point in time (ISO text on SQLite, `timestamptz` on PostgreSQL). */
  time: string;
  /** A reference to an id, or epoch milliseconds. */
  big: string;
}

export const SQLITE: Dialect = { id: 'INTEGER PRIMARY KEY AUTOINCREMENT', time: 'TEXT', big: 'INTEGER' };

/** The first schema, in the given dialect: the tables, columns and indexes both engines have. */
export const schemaV1 = (d: Dialect) => `
  CREATE TABLE accounts_user (
    id            ${d.id},
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    created_at    ${d.time} NOT NULL
  );
  CREATE TABLE chat_conversation (
    id         ${d.id},
    title      TEXT NOT NULL,
    created_at ${d.time} NOT NULL,
    updated_at ${d.time} NOT NULL,
    archived   INTEGER NOT NULL DEFAULT 0,
    last_seq   INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX chat_conversation_updated ON chat_conversation (updated_at DESC, id DESC);
  CREATE TABLE chat_participant (
    id              ${d.id},
    conversation_id ${d.big} NOT NULL REFERENCES chat_conversation (id),
    user_id         ${d.big} NOT NULL REFERENCES accounts_user (id),
    role            TEXT NOT NULL,
    joined_at       ${d.time} NOT NULL,
    last_read_at    ${d.time},
    last_read_seq   INTEGER NOT NULL DEFAULT 0,
    delivered_seq   INTEGER NOT NULL DEFAULT 0,
    UNIQUE (conversation_id, user_id)
  );
  CREATE INDEX chat_participant_user ON chat_participant (user_id);
  CREATE TABLE chat_attachment (
    id              ${d.id},
    uploader_id     ${d.big} NOT NULL REFERENCES accounts_user (id),
    conversation_id ${d.big} REFERENCES chat_conversation (id),
    message_id      ${d.big},
    stored_name     TEXT NOT NULL UNIQUE,
    file_name       TEXT NOT NULL,
    file_size       INTEGER NOT NULL,
    content_type    TEXT NOT NULL,
    created_at      ${d.time} NOT NULL
  );
  CREATE TABLE chat_message (
    id              ${d.id},
    conversation_id ${d.big} NOT NULL REFERENCES chat_conversation (id),
    seq             INTEGER NOT NULL,
    client_id       TEXT,
    type            TEXT NOT NULL,
    text            TEXT NOT NULL,
    sender_id       ${d.big} REFERENCES accounts_user (id),
    attachment_id   ${d.big} REFERENCES chat_attachment (id),
    reply_to_id     ${d.big} UNIQUE,
    created_at      ${d.time} NOT NULL,
    UNIQUE (conversation_id, seq),
    UNIQUE (sender_id, client_id)
  );
  CREATE TABLE chat_botprompt (
    id      ${d.id},
    title   TEXT NOT NULL,
    text    TEXT NOT NULL,
    "order" INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE chat_wsticket (
    ticket          TEXT PRIMARY KEY,
    user_id         ${d.big} NOT NULL,
    conversation_id ${d.big} NOT NULL,
    expires_at      ${d.big} NOT NULL
  );
  CREATE TABLE auth_refresh_token (
    jti        TEXT PRIMARY KEY,
    family     TEXT NOT NULL,
    user_id    ${d.big} NOT NULL,
    expires_at ${d.big} NOT NULL,
    rotated_at ${d.big},
    revoked    INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX auth_refresh_token_family ON auth_refresh_token (family);
  `;

/** v2, the same on both engines: refresh-token rows are pruned (expired, or rotated past their grace) through these. */
export const SCHEMA_V2 = `
  CREATE INDEX auth_refresh_token_expires ON auth_refresh_token (expires_at);
  CREATE INDEX auth_refresh_token_rotated ON auth_refresh_token (rotated_at);
  `;

/**
 * v3 (PROTOCOL §8, streamed bot replies): a message's `stream_state` (null for every message never
 * streamed), and for a reply still `streaming` the instance writing it (`stream_owner`, a random
 * id per process; NULL once released by a graceful shutdown) and when that writer last stored it
 * (`stream_beat`, epoch ms). A reply whose writer stopped beating is taken over and finished by
 * another instance or after the restart (`bot/reply-recovery.ts`).
 */
export const schemaV3 = (d: Dialect) => `
  ALTER TABLE chat_message ADD COLUMN stream_state TEXT;
  ALTER TABLE chat_message ADD COLUMN stream_owner TEXT;
  ALTER TABLE chat_message ADD COLUMN stream_beat ${d.big};
  CREATE INDEX chat_message_streaming ON chat_message (conversation_id) WHERE stream_state = 'streaming';
  `;

const MIGRATIONS: string[] = [schemaV1(SQLITE), SCHEMA_V2, schemaV3(SQLITE)];

/** Applies every migration the database has not seen yet, in one IMMEDIATE transaction. */
export function migrate(db: Database.Database): void {
  // Read the version inside the write lock: two instances starting together migrate once.
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    for (let v = current; v < MIGRATIONS.length; v++) {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }
  }).immediate();
}
