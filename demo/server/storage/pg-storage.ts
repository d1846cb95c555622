/**
 * `ChatStorage` on PostgreSQL through node-postgres (`pg`) with a connection pool: the store for
 * several server instances on several machines. Chosen by `DATABASE_URL=postgres://...`.
 *
 * Seq numbers come from `chat_conversation.last_seq`, bumped by an `UPDATE ... RETURNING` in
 * the same statement as the insert: the row lock makes concurrent writers of one conversation (on any
 * instance) take turns, and a rolled-back insert gives its number back, so seq has no gap and no
 * duplicate. `(sender_id, client_id)` and `reply_to_id` are unique constraints; an insert that
 * hits one rolls back and returns the stored message.
 *
 * Messages are written one statement (so one transaction) each: SQLite's group commit (`sqlite-message-writer.ts`)
 * saves the one writer of a file its per-commit WAL sync, while here the pool already runs
 * concurrent inserts on several connections and batching them would only lengthen the row lock
 * every writer of a conversation waits for.
 */
import pg from 'pg';
import type { BotPrompt, Conversation, Id, Message, ParticipantRole } from '../../../src/types.js';
import { migratePg } from './pg-schema.js';
import * as sql from './sql-rows.js';
import {
  AttachmentUnavailableError,
  type AttachmentRecord,
  type ChatStorage,
  type ClaimedReply,
  type DeliveryMark,
  type InsertResult,
  type MessageQuery,
  type NewMessage,
  type RefreshTokenRecord,
  type ReplyEnd,
  type UserRecord,
} from './storage.js';

type Row = Record<string, unknown>;
type Queryable = Pick<pg.PoolClient, 'query'>;

const timestamptz = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ);
/** Rows read like SQLite's: timestamps as ISO strings, bigints (ids, epoch ms) as numbers. */
const TYPES = {
  getTypeParser(oid: number, format?: string) {
    if (oid === pg.types.builtins.TIMESTAMPTZ) return (v: string) => (timestamptz(v) as Date).toISOString();
    if (oid === pg.types.builtins.INT8) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

const BY_ID = `${sql.MESSAGE_SELECT} WHERE m.id = $1`;
const BY_CLIENT_ID = `${sql.MESSAGE_SELECT} WHERE m.sender_id = $1 AND m.client_id = $2`;
const BY_REPLY_TO = `${sql.MESSAGE_SELECT} WHERE m.reply_to_id = $1`;
const now = () => new Date().toISOString();
const UNIQUE_VIOLATION = '23505';

/**
 * Stores a message and answers it in `MESSAGE_SELECT`'s shape. A new message is `sent`: read and
 * delivery marks never pass a conversation's last seq, and this one is past it. An upload to attach
 * is locked first and must still be unattached (`free`), else nothing is written (no seq bump): a
 * sweep deleting it waits for this statement, then finds it attached and keeps it.
 */
const INSERT_MESSAGE = `
  WITH free AS (
    SELECT id FROM chat_attachment WHERE id = $6 AND message_id IS NULL FOR UPDATE
  ), c AS (
    UPDATE chat_conversation SET last_seq = last_seq + 1, updated_at = $8
    WHERE id = $1 AND ($6::bigint IS NULL OR EXISTS (SELECT 1 FROM free))
    RETURNING last_seq
  ), ins AS (
    INSERT INTO chat_message (${sql.MESSAGE_COLUMNS})
    SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, c.last_seq FROM c
    RETURNING id, seq, conversation_id, client_id, type, text, created_at, sender_id, attachment_id, stream_state
  ), att AS (
    UPDATE chat_attachment SET message_id = ins.id FROM ins WHERE chat_attachment.id = ins.attachment_id
  )
  SELECT i.id, i.seq, i.conversation_id, i.client_id, i.type, i.text, i.created_at, i.stream_state,
         u.username AS sender, u.display_name AS sender_display,
         a.id AS a_id, a.stored_name AS a_stored, a.file_name AS a_name, a.file_size AS a_size,
         a.content_type AS a_type, 'sent' AS status
  FROM ins i
  LEFT JOIN accounts_user u ON u.id = i.sender_id
  LEFT JOIN chat_attachment a ON a.id = i.attachment_id`;

/** Connects a pool to `url`, migrates (safe when several instances start at once) and returns the store. */
export async function openPgStorage(
  url: string,
  opts: { botName?: string; poolSize?: number } = {},
): Promise<PgStorage> {
  const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10, types: TYPES });
  // An idle client losing its server (a restart) must not crash the process: the pool replaces it.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    try {
      await migratePg(client);
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end();
    throw err;
  }
  return new PgStorage(pool, opts.botName ?? 'Bot');
}

export class PgStorage implements ChatStorage {
  constructor(
    /** The pool, shared with the upload store (`pg-uploads.ts`). */
    readonly pool: pg.Pool,
    private readonly botName: string,
  ) {}

  private async all(text: string, args: unknown[] = [], db: Queryable = this.pool): Promise<Row[]> {
    return (await db.query(text, args)).rows as Row[];
  }
  private async one(text: string, args: unknown[] = [], db: Queryable = this.pool): Promise<Row | undefined> {
    return (await this.all(text, args, db))[0];
  }
  private async message(text: string, args: unknown[], db: Queryable = this.pool): Promise<Message | null> {
    const r = await this.one(text, args, db);
    return r ? sql.toMessage(r, this.botName) : null;
  }
  /** Runs `fn` in a transaction on one pooled connection; rolls back when it throws. */
  private async transaction<T>(fn: (db: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  // ------------------------------------------------------------------ users
  async countUsers(): Promise<number> {
    return Number((await this.one('SELECT COUNT(*) AS n FROM accounts_user'))!.n);
  }
  async findUserById(id: Id): Promise<UserRecord | null> {
    return sql.toUser(await this.one('SELECT * FROM accounts_user WHERE id = $1', [id]));
  }
  async findUserByUsername(username: string): Promise<UserRecord | null> {
    return sql.toUser(await this.one('SELECT * FROM accounts_user WHERE username = $1', [username]));
  }
  async createUser(u: { username: string; passwordHash: string; displayName: string }): Promise<UserRecord> {
    // DO NOTHING: another instance seeding the same user at the same moment is not an error.
    await this.pool.query(
      `INSERT INTO accounts_user (username, password_hash, display_name, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (username) DO NOTHING`,
      [u.username, u.passwordHash, u.displayName, now()],
    );
    return (await this.findUserByUsername(u.username))!;
  }

  // ------------------------------------------------------------------ conversations
  async createConversation(title: string, ownerId: Id): Promise<Conversation> {
    const id = await this.transaction(async (db) => {
      const t = now();
      const c = await this.one(
        'INSERT INTO chat_conversation (title, created_at, updated_at) VALUES ($1, $2, $2) RETURNING id',
        [title, t],
        db,
      );
      await db.query(
        "INSERT INTO chat_participant (conversation_id, user_id, role, joined_at) VALUES ($1, $2, 'owner', $3)",
        [c!.id, ownerId, t],
      );
      return String(c!.id);
    });
    return (await this.getConversation(id))!;
  }
  async getConversation(id: Id): Promise<Conversation | null> {
    const r = await this.one('SELECT * FROM chat_conversation WHERE id = $1', [id]);
    return r ? this.conversationFrom(r) : null;
  }
  private async conversationFrom(r: Row): Promise<Conversation> {
    const [participants, last] = await Promise.all([
      this.all(`${sql.PARTICIPANT_SELECT} WHERE p.conversation_id = $1 ORDER BY p.id`, [r.id]),
      this.one(`${sql.LAST_MESSAGE_SELECT} WHERE m.conversation_id = $1 ORDER BY m.seq DESC LIMIT 1`, [r.id]),
    ]);
    return sql.toConversation(r, participants.map(sql.toParticipant), sql.toLastMessage(last));
  }
  async conversationExists(id: Id): Promise<boolean> {
    return (await this.one('SELECT 1 AS x FROM chat_conversation WHERE id = $1', [id])) !== undefined;
  }
  async participantRole(conversationId: Id, userId: Id): Promise<ParticipantRole | null> {
    const r = await this.one('SELECT role FROM chat_participant WHERE conversation_id = $1 AND user_id = $2', [
      conversationId,
      userId,
    ]);
    return r ? (r.role as ParticipantRole) : null;
  }
  async listConversations(userId: Id, offset: number, limit: number): Promise<Conversation[]> {
    const rows = await this.all(
      `SELECT c.* FROM chat_conversation c JOIN chat_participant p ON p.conversation_id = c.id
       WHERE p.user_id = $1 AND c.archived = 0 ORDER BY c.updated_at DESC, c.id DESC LIMIT $2 OFFSET $3`,
      [userId, limit, offset],
    );
    return Promise.all(rows.map((r) => this.conversationFrom(r)));
  }
  async addParticipant(conversationId: Id, userId: Id, role: ParticipantRole) {
    const r = await this.pool.query(
      `INSERT INTO chat_participant (conversation_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (conversation_id, user_id) DO NOTHING`,
      [conversationId, userId, role, now()],
    );
    const row = await this.one(`${sql.PARTICIPANT_SELECT} WHERE p.conversation_id = $1 AND p.user_id = $2`, [
      conversationId,
      userId,
    ]);
    return { participant: sql.toParticipant(row!), created: r.rowCount === 1 };
  }

  // ------------------------------------------------------------------ messages
  async insertMessage(input: NewMessage): Promise<InsertResult> {
    // One statement, so one transaction and one round trip: the seq bump's row lock orders every
    // writer of this conversation, on every instance; a repeated (sender, client_id) or reply
    // violates a unique constraint, which fails the whole statement, seq bump included (no gap).
    // No look-up first: a repeat is found by its unique constraint, then read back.
    let row: Row | undefined;
    try {
      // $1..$8 in `messageValues` order: $6 is the attachment, $8 the time.
      row = await this.one(INSERT_MESSAGE, sql.messageValues(input, now()));
    } catch (err) {
      if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
    }
    if (row) return { message: sql.toMessage(row, this.botName), created: true };
    const existing = await this.existing(input);
    if (existing) return { message: existing, created: false };
    // Nothing written and no repeat: the upload was swept or attached meanwhile (or no such conversation).
    if (input.attachmentId) throw new AttachmentUnavailableError(input.attachmentId);
    throw new Error(`conversation ${input.conversationId} does not exist`);
  }
  /** The stored message an insert would repeat: same (sender, client_id), or a reply to the same message. */
  private async existing(input: NewMessage): Promise<Message | null> {
    if (input.clientId && input.senderId) {
      const m = await this.findByClientId(input.senderId, input.clientId);
      if (m) return m;
    }
    return input.replyToId ? this.botReplyTo(input.replyToId) : null;
  }
  async findByClientId(senderId: Id, clientId: string): Promise<Message | null> {
    return this.message(BY_CLIENT_ID, [senderId, clientId]);
  }
  async getMessage(id: Id): Promise<Message | null> {
    return this.message(BY_ID, [id]);
  }
  async listMessages(conversationId: Id, q: MessageQuery): Promise<Message[]> {
    const base = `${sql.MESSAGE_SELECT} WHERE m.conversation_id = $1`;
    let rows: Row[];
    if (q.afterSeq !== undefined)
      rows = await this.all(`${base} AND m.seq > $2 ORDER BY m.seq LIMIT $3`, [conversationId, q.afterSeq, q.limit]);
    else if (q.beforeSeq !== undefined)
      rows = (
        await this.all(`${base} AND m.seq < $2 ORDER BY m.seq DESC LIMIT $3`, [conversationId, q.beforeSeq, q.limit])
      ).reverse();
    else if (q.offset !== undefined)
      rows = await this.all(`${base} ORDER BY m.seq LIMIT $2 OFFSET $3`, [conversationId, q.limit, q.offset]);
    else rows = (await this.all(`${base} ORDER BY m.seq DESC LIMIT $2`, [conversationId, q.limit])).reverse();
    return rows.map((r) => sql.toMessage(r, this.botName));
  }
  async lastSeq(conversationId: Id): Promise<number> {
    const r = await this.one('SELECT last_seq FROM chat_conversation WHERE id = $1', [conversationId]);
    return (r?.last_seq as number | undefined) ?? 0;
  }
  async newestUserMessage(conversationId: Id): Promise<Message | null> {
    return this.message(
      `${sql.MESSAGE_SELECT} WHERE m.conversation_id = $1 AND m.type = 'user' ORDER BY m.seq DESC LIMIT 1`,
      [conversationId],
    );
  }
  async botReplyTo(messageId: Id): Promise<Message | null> {
    return this.message(BY_REPLY_TO, [messageId]);
  }
  async unansweredAfter(afterId: Id, limit: number): Promise<Message[]> {
    const rows = await this.all(
      `${sql.MESSAGE_SELECT} WHERE m.id > $1 AND ${sql.UNANSWERED_WHERE} ORDER BY m.id LIMIT $2`,
      [afterId, limit],
    );
    return rows.map((r) => sql.toMessage(r, this.botName));
  }
  async growReply(id: Id, owner: string, text: string, release = false): Promise<boolean> {
    const r = await this.pool.query(
      `UPDATE chat_message SET text = $1, stream_beat = $2, stream_owner = CASE WHEN $3 THEN NULL ELSE stream_owner END
       WHERE id = $4 AND stream_state = 'streaming' AND stream_owner = $5`,
      [text, release ? 0 : Date.now(), release, id, owner],
    );
    return r.rowCount === 1;
  }
  async endReply(id: Id, end: ReplyEnd): Promise<Message | null> {
    const r = await this.pool.query(
      `UPDATE chat_message SET stream_state = $1, text = COALESCE($2, text), stream_owner = NULL,
         reply_to_id = CASE WHEN $3 THEN NULL ELSE reply_to_id END
       WHERE id = $4 AND stream_state = 'streaming' AND ($5::text IS NULL OR stream_owner = $5)`,
      [end.state, end.text ?? null, end.detach ?? false, id, end.owner ?? null],
    );
    return r.rowCount === 1 ? this.getMessage(id) : null;
  }
  async claimReplies(owner: string, staleBefore: number): Promise<ClaimedReply[]> {
    const claimed = await this.all(
      `UPDATE chat_message SET stream_owner = $1, stream_beat = $2
       WHERE stream_state = 'streaming' AND (stream_owner IS NULL OR stream_beat < $3) RETURNING id, reply_to_id`,
      [owner, Date.now(), staleBefore],
    );
    claimed.sort((a, b) => (a.id as number) - (b.id as number));
    const messages = await Promise.all(claimed.map((r) => this.getMessage(String(r.id))));
    return claimed.map((r, i) => ({
      message: messages[i]!,
      replyToId: r.reply_to_id == null ? null : String(r.reply_to_id),
    }));
  }
  async streamingIn(conversationId: Id): Promise<Message[]> {
    const rows = await this.all(
      `${sql.MESSAGE_SELECT} WHERE m.conversation_id = $1 AND ${sql.STREAMING_WHERE} ORDER BY m.seq`,
      [conversationId],
    );
    return rows.map((r) => sql.toMessage(r, this.botName));
  }
  async messagesIn(conversationId: Id, ids: Id[]): Promise<{ id: Id; seq: number }[]> {
    if (ids.length === 0) return [];
    const rows = await this.all(
      'SELECT id, seq FROM chat_message WHERE conversation_id = $1 AND id = ANY($2::bigint[])',
      [conversationId, ids],
    );
    return rows.map((r) => ({ id: String(r.id), seq: r.seq as number }));
  }
  async markRead(conversationId: Id, userId: Id, seq: number): Promise<string> {
    const t = now();
    await this.pool.query(
      `UPDATE chat_participant SET last_read_seq = GREATEST(last_read_seq, $1), delivered_seq = GREATEST(delivered_seq, $1),
         last_read_at = $2 WHERE conversation_id = $3 AND user_id = $4`,
      [seq, t, conversationId, userId],
    );
    return t;
  }
  async markDelivered(marks: DeliveryMark[]): Promise<void> {
    // One statement for the whole batch: never lowers a mark.
    await this.pool.query(
      `UPDATE chat_participant p SET delivered_seq = v.seq
       FROM unnest($1::bigint[], $2::bigint[], $3::int[]) AS v (conversation_id, user_id, seq)
       WHERE p.conversation_id = v.conversation_id AND p.user_id = v.user_id AND p.delivered_seq < v.seq`,
      [marks.map((m) => m.conversationId), marks.map((m) => m.userId), marks.map((m) => m.seq)],
    );
  }

  // ------------------------------------------------------------------ attachments
  async createAttachment(
    a: Omit<AttachmentRecord, 'attachment_id' | 'file_url' | 'message_id' | 'created_at'>,
  ): Promise<AttachmentRecord> {
    const r = await this.one(
      `INSERT INTO chat_attachment (uploader_id, conversation_id, stored_name, file_name, file_size, content_type, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [a.uploader_id, a.conversation_id, a.stored_name, a.file_name, a.file_size, a.content_type, now()],
    );
    return sql.toAttachment(r!);
  }
  async getAttachment(id: Id): Promise<AttachmentRecord | null> {
    const r = await this.one('SELECT * FROM chat_attachment WHERE id = $1', [id]);
    return r ? sql.toAttachment(r) : null;
  }
  async getAttachmentByStoredName(storedName: string): Promise<AttachmentRecord | null> {
    const r = await this.one('SELECT * FROM chat_attachment WHERE stored_name = $1', [storedName]);
    return r ? sql.toAttachment(r) : null;
  }
  async deleteUnattachedBefore(beforeIso: string): Promise<AttachmentRecord[]> {
    // A row a message insert has locked is waited for and re-checked: attached by then, it stays.
    return (
      await this.all('DELETE FROM chat_attachment WHERE message_id IS NULL AND created_at < $1 RETURNING *', [
        beforeIso,
      ])
    ).map(sql.toAttachment);
  }

  async listPrompts(): Promise<BotPrompt[]> {
    return (await this.all(sql.PROMPTS_SELECT)).map(sql.toPrompt);
  }

  // ------------------------------------------------------------------ socket tickets
  async createTicket(ticket: string, userId: Id, conversationId: Id, expiresAt: number): Promise<void> {
    await this.pool.query('DELETE FROM chat_wsticket WHERE expires_at < $1', [Date.now()]);
    await this.pool.query(
      'INSERT INTO chat_wsticket (ticket, user_id, conversation_id, expires_at) VALUES ($1, $2, $3, $4)',
      [ticket, userId, conversationId, expiresAt],
    );
  }
  async spendTicket(ticket: string) {
    const r = await this.one(
      'DELETE FROM chat_wsticket WHERE ticket = $1 RETURNING user_id, conversation_id, expires_at',
      [ticket],
    );
    return r
      ? { user_id: String(r.user_id), conversation_id: String(r.conversation_id), expires_at: Number(r.expires_at) }
      : null;
  }

  // ------------------------------------------------------------------ refresh tokens
  async saveRefreshToken(rec: Omit<RefreshTokenRecord, 'rotated_at' | 'revoked'>): Promise<void> {
    await this.pool.query('INSERT INTO auth_refresh_token (jti, family, user_id, expires_at) VALUES ($1, $2, $3, $4)', [
      rec.jti,
      rec.family,
      rec.user_id,
      rec.expires_at,
    ]);
  }
  async getRefreshToken(jti: string): Promise<RefreshTokenRecord | null> {
    return sql.toRefreshToken(await this.one('SELECT * FROM auth_refresh_token WHERE jti = $1', [jti]));
  }
  async markRotated(jti: string, at: number): Promise<number> {
    const r = await this.one(
      'UPDATE auth_refresh_token SET rotated_at = COALESCE(rotated_at, $1) WHERE jti = $2 RETURNING rotated_at',
      [at, jti],
    );
    return Number(r?.rotated_at);
  }
  async revokeRefreshToken(jti: string): Promise<void> {
    await this.pool.query('UPDATE auth_refresh_token SET revoked = 1 WHERE jti = $1', [jti]);
  }
  async revokeFamily(family: string): Promise<void> {
    await this.pool.query('UPDATE auth_refresh_token SET revoked = 1 WHERE family = $1', [family]);
  }
  async refreshFamilyExists(family: string): Promise<boolean> {
    return (await this.one('SELECT 1 AS x FROM auth_refresh_token WHERE family = $1 LIMIT 1', [family])) !== undefined;
  }
  async pruneRefreshTokens(now: number, rotatedBefore: number): Promise<number> {
    const r = await this.pool.query('DELETE FROM auth_refresh_token WHERE expires_at < $1 OR rotated_at < $2', [
      now,
      rotatedBefore,
    ]);
    return r.rowCount ?? 0;
  }

  /** The JWT secret every instance shares when none is configured: `candidate`, unless one is stored already. */
  async sharedSecret(candidate: string): Promise<string> {
    await this.pool.query(
      "INSERT INTO parley_setting (name, value) VALUES ('jwt_secret', $1) ON CONFLICT (name) DO NOTHING",
      [candidate],
    );
    return (await this.one("SELECT value FROM parley_setting WHERE name = 'jwt_secret'"))!.value as string;
  }

  /** PostgreSQL is backed up with its own tools: `pg_dump` (see the README, "Scaling out"). */
  async backup(): Promise<void> {
    throw new Error('backups of a PostgreSQL store are made with pg_dump');
  }
  async close(): Promise<void> {
    await this.pool.end();
  }
}
