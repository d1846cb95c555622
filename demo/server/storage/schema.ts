/**
 * The SQLite schema of the reference server, created or migrated at start.
 *
 * Table and column names follow the seed (`accounts_user`, `chat_conversation`, `chat_message`,
 * `chat_participant`) so the seed guide's debugging SQL runs as written. Each entry of
 * `MIGRATIONS` moves the database one `user_version` forward.
 */
import type Database from 'better-sqlite3';

const MIGRATIONS: string[] = [
  `
  CREATE TABLE accounts_user (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    created_at    TEXT NOT NULL
  );
  CREATE TABLE chat_conversation (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    title      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    archived   INTEGER NOT NULL DEFAULT 0,
    last_seq   INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX chat_conversation_updated ON chat_conversation (updated_at DESC, id DESC);
  CREATE TABLE chat_participant (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES chat_conversation (id),
    user_id         INTEGER NOT NULL REFERENCES accounts_user (id),
    role            TEXT NOT NULL,
    joined_at       TEXT NOT NULL,
    last_read_at    TEXT,
    last_read_seq   INTEGER NOT NULL DEFAULT 0,
    delivered_seq   INTEGER NOT NULL DEFAULT 0,
    UNIQUE (conversation_id, user_id)
  );
  CREATE INDEX chat_participant_user ON chat_participant (user_id);
  CREATE TABLE chat_attachment (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    uploader_id     INTEGER NOT NULL REFERENCES accounts_user (id),
    conversation_id INTEGER REFERENCES chat_conversation (id),
    message_id      INTEGER,
    stored_name     TEXT NOT NULL UNIQUE,
    file_name       TEXT NOT NULL,
    file_size       INTEGER NOT NULL,
    content_type    TEXT NOT NULL,
    created_at      TEXT NOT NULL
  );
  CREATE TABLE chat_message (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES chat_conversation (id),
    seq             INTEGER NOT NULL,
    client_id       TEXT,
    type            TEXT NOT NULL,
    text            TEXT NOT NULL,
    sender_id       INTEGER REFERENCES accounts_user (id),
    attachment_id   INTEGER REFERENCES chat_attachment (id),
    reply_to_id     INTEGER UNIQUE,
    created_at      TEXT NOT NULL,
    UNIQUE (conversation_id, seq),
    UNIQUE (sender_id, client_id)
  );
  CREATE TABLE chat_botprompt (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    title   TEXT NOT NULL,
    text    TEXT NOT NULL,
    "order" INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE chat_wsticket (
    ticket          TEXT PRIMARY KEY,
    user_id         INTEGER NOT NULL,
    conversation_id INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL
  );
  CREATE TABLE auth_refresh_token (
    jti        TEXT PRIMARY KEY,
    family     TEXT NOT NULL,
    user_id    INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    rotated_at INTEGER,
    revoked    INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX auth_refresh_token_family ON auth_refresh_token (family);
  `,
  // v2: refresh-token rows are pruned (expired, or rotated past their grace) through these.
  `
  CREATE INDEX auth_refresh_token_expires ON auth_refresh_token (expires_at);
  CREATE INDEX auth_refresh_token_rotated ON auth_refresh_token (rotated_at);
  `,
];

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
