/**
 * `ChatStorage` on SQLite through better-sqlite3, in WAL mode so several server processes can
 * share one file. Seq numbers come from `chat_conversation.last_seq` bumped inside the same
 * IMMEDIATE transaction as the insert, so they have no gaps even across processes. Messages are
 * written by `SqliteMessageWriter` (group commit); WAL checkpoints run off the event loop
 * (`SqliteCheckpointer`).
 */
import Database from 'better-sqlite3';
import type { BotPrompt, Conversation, Id, Message, ParticipantRole } from '../../../src/types.js';
import { migrate } from './schema.js';
import { SqliteCheckpointer } from './sqlite-checkpointer.js';
import {
  DEFAULT_PROMPTS,
  LAST_MESSAGE_SELECT,
  MESSAGE_SELECT,
  PARTICIPANT_SELECT,
  PROMPTS_SELECT,
  STREAMING_WHERE,
  UNANSWERED_WHERE,
  toAttachment,
  toConversation,
  toLastMessage,
  toMessage,
  toParticipant,
  toPrompt,
  toRefreshToken,
  toUser,
} from './sql-rows.js';
import { MESSAGE_BY_ID, SqliteMessageWriter } from './sqlite-message-writer.js';
import type {
  AttachmentRecord,
  ChatStorage,
  ClaimedReply,
  DeliveryMark,
  InsertResult,
  MessageQuery,
  NewMessage,
  RefreshTokenRecord,
  ReplyEnd,
  UserRecord,
} from './storage.js';

const BY_CLIENT_ID = `${MESSAGE_SELECT} WHERE m.sender_id = ? AND m.client_id = ?`;
const BY_REPLY_TO = `${MESSAGE_SELECT} WHERE m.reply_to_id = ?`;

type Row = Record<string, unknown>;
const now = () => new Date().toISOString();

/** Opens (creating or migrating) the database at `file`. */
export function openSqliteStorage(file: string, opts: { botName?: string } = {}): ChatStorage {
  return new SqliteStorage(file, opts.botName ?? 'Bot');
}

class SqliteStorage implements ChatStorage {
  private readonly db: Database.Database;
  private readonly writer: SqliteMessageWriter;
  private readonly checkpointer: SqliteCheckpointer;

  constructor(
    file: string,
    private readonly botName: string,
  ) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    migrate(this.db);
    this.checkpointer = new SqliteCheckpointer(this.db, file);
    this.writer = new SqliteMessageWriter(this.db, (sql) => this.stmt(sql), botName);
    this.db
      .transaction(() => {
        const prompts = this.stmt('SELECT COUNT(*) AS n FROM chat_botprompt').get() as { n: number };
        if (prompts.n > 0) return;
        const ins = this.stmt('INSERT INTO chat_botprompt (title, text, "order") VALUES (?, ?, ?)');
        for (const p of DEFAULT_PROMPTS) ins.run(p.title, p.text, p.order);
      })
      .immediate();
  }

  /** Statements compiled once per SQL text: compiling is most of a small query's cost. */
  private readonly statements = new Map<string, Database.Statement>();
  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  private one(sql: string, ...args: unknown[]): Row | undefined {
    return this.stmt(sql).get(...args) as Row | undefined;
  }
  private all(sql: string, ...args: unknown[]): Row[] {
    return this.stmt(sql).all(...args) as Row[];
  }

  // ------------------------------------------------------------------ users
  async countUsers(): Promise<number> {
    return this.one('SELECT COUNT(*) AS n FROM accounts_user')!.n as number;
  }
  async findUserById(id: Id): Promise<UserRecord | null> {
    return toUser(this.one('SELECT * FROM accounts_user WHERE id = ?', id));
  }
  async findUserByUsername(username: string): Promise<UserRecord | null> {
    return toUser(this.one('SELECT * FROM accounts_user WHERE username = ?', username));
  }
  async createUser(u: { username: string; passwordHash: string; displayName: string }): Promise<UserRecord> {
    // OR IGNORE: another instance seeding the same user at the same moment is not an error.
    this.stmt(
      'INSERT OR IGNORE INTO accounts_user (username, password_hash, display_name, created_at) VALUES (?, ?, ?, ?)',
    ).run(u.username, u.passwordHash, u.displayName, now());
    return toUser(this.one('SELECT * FROM accounts_user WHERE username = ?', u.username))!;
  }

  // ------------------------------------------------------------------ conversations
  async createConversation(title: string, ownerId: Id): Promise<Conversation> {
    const id = this.db
      .transaction(() => {
        const t = now();
        const r = this.stmt('INSERT INTO chat_conversation (title, created_at, updated_at) VALUES (?, ?, ?)').run(
          title,
          t,
          t,
        );
        this.stmt('INSERT INTO chat_participant (conversation_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)').run(
          r.lastInsertRowid,
          ownerId,
          'owner',
          t,
        );
        return String(r.lastInsertRowid);
      })
      .immediate();
    return this.conversationFrom(this.one('SELECT * FROM chat_conversation WHERE id = ?', id)!);
  }
  async getConversation(id: Id): Promise<Conversation | null> {
    const r = this.one('SELECT * FROM chat_conversation WHERE id = ?', id);
    return r ? this.conversationFrom(r) : null;
  }
  private conversationFrom(r: Row): Conversation {
    const participants = this.all(`${PARTICIPANT_SELECT} WHERE p.conversation_id = ? ORDER BY p.id`, r.id).map(
      toParticipant,
    );
    const m = this.one(`${LAST_MESSAGE_SELECT} WHERE m.conversation_id = ? ORDER BY m.seq DESC LIMIT 1`, r.id);
    return toConversation(r, participants, toLastMessage(m));
  }
  async conversationExists(id: Id): Promise<boolean> {
    return this.one('SELECT 1 AS x FROM chat_conversation WHERE id = ?', id) !== undefined;
  }
  async participantRole(conversationId: Id, userId: Id): Promise<ParticipantRole | null> {
    const r = this.one(
      'SELECT role FROM chat_participant WHERE conversation_id = ? AND user_id = ?',
      conversationId,
      userId,
    );
    return r ? (r.role as ParticipantRole) : null;
  }
  async listConversations(userId: Id, offset: number, limit: number): Promise<Conversation[]> {
    return this.all(
      `SELECT c.* FROM chat_conversation c JOIN chat_participant p ON p.conversation_id = c.id
       WHERE p.user_id = ? AND c.archived = 0 ORDER BY c.updated_at DESC, c.id DESC LIMIT ? OFFSET ?`,
      userId,
      limit,
      offset,
    ).map((r) => this.conversationFrom(r));
  }
  async addParticipant(conversationId: Id, userId: Id, role: ParticipantRole) {
    const r = this.stmt(
      'INSERT OR IGNORE INTO chat_participant (conversation_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)',
    ).run(conversationId, userId, role, now());
    const row = this.one(
      `${PARTICIPANT_SELECT} WHERE p.conversation_id = ? AND p.user_id = ?`,
      conversationId,
      userId,
    )!;
    return { participant: toParticipant(row), created: r.changes === 1 };
  }

  // ------------------------------------------------------------------ messages
  async insertMessage(input: NewMessage): Promise<InsertResult> {
    return this.writer.insert(input);
  }
  async findByClientId(senderId: Id, clientId: string): Promise<Message | null> {
    return this.message(BY_CLIENT_ID, senderId, clientId);
  }
  async getMessage(id: Id): Promise<Message | null> {
    return this.message(MESSAGE_BY_ID, id);
  }
  async listMessages(conversationId: Id, q: MessageQuery): Promise<Message[]> {
    const base = `${MESSAGE_SELECT} WHERE m.conversation_id = ?`;
    let rows: Row[];
    if (q.afterSeq !== undefined)
      rows = this.all(`${base} AND m.seq > ? ORDER BY m.seq LIMIT ?`, conversationId, q.afterSeq, q.limit);
    else if (q.beforeSeq !== undefined)
      rows = this.all(
        `${base} AND m.seq < ? ORDER BY m.seq DESC LIMIT ?`,
        conversationId,
        q.beforeSeq,
        q.limit,
      ).reverse();
    else if (q.offset !== undefined)
      rows = this.all(`${base} ORDER BY m.seq LIMIT ? OFFSET ?`, conversationId, q.limit, q.offset);
    else rows = this.all(`${base} ORDER BY m.seq DESC LIMIT ?`, conversationId, q.limit).reverse();
    return rows.map((r) => toMessage(r, this.botName));
  }
  async lastSeq(conversationId: Id): Promise<number> {
    return (this.one('SELECT last_seq FROM chat_conversation WHERE id = ?', conversationId)?.last_seq as number) ?? 0;
  }
  async newestUserMessage(conversationId: Id): Promise<Message | null> {
    return this.message(
      `${MESSAGE_SELECT} WHERE m.conversation_id = ? AND m.type = 'user' ORDER BY m.seq DESC LIMIT 1`,
      conversationId,
    );
  }
  async botReplyTo(messageId: Id): Promise<Message | null> {
    return this.message(BY_REPLY_TO, messageId);
  }
  async unansweredAfter(afterId: Id, limit: number): Promise<Message[]> {
    return this.all(
      `${MESSAGE_SELECT} WHERE m.id > ? AND ${UNANSWERED_WHERE} ORDER BY m.id LIMIT ?`,
      afterId,
      limit,
    ).map((r) => toMessage(r, this.botName));
  }
  async growReply(id: Id, owner: string, text: string, release = false): Promise<boolean> {
    const r = this.stmt(
      `UPDATE chat_message SET text = ?, stream_beat = ?, stream_owner = CASE WHEN ? THEN NULL ELSE stream_owner END
       WHERE id = ? AND stream_state = 'streaming' AND stream_owner = ?`,
    ).run(text, release ? 0 : Date.now(), release ? 1 : 0, id, owner);
    return r.changes === 1;
  }
  async endReply(id: Id, end: ReplyEnd): Promise<Message | null> {
    const r = this.stmt(
      `UPDATE chat_message SET stream_state = ?, text = COALESCE(?, text), stream_owner = NULL,
         reply_to_id = CASE WHEN ? THEN NULL ELSE reply_to_id END
       WHERE id = ? AND stream_state = 'streaming' AND (? IS NULL OR stream_owner = ?)`,
    ).run(end.state, end.text ?? null, end.detach ? 1 : 0, id, end.owner ?? null, end.owner ?? null);
    return r.changes === 1 ? this.message(MESSAGE_BY_ID, id) : null;
  }
  async claimReplies(owner: string, staleBefore: number): Promise<ClaimedReply[]> {
    const claimed = this.all(
      `UPDATE chat_message SET stream_owner = ?, stream_beat = ?
       WHERE stream_state = 'streaming' AND (stream_owner IS NULL OR stream_beat < ?) RETURNING id, reply_to_id`,
      owner,
      Date.now(),
      staleBefore,
    );
    return claimed
      .sort((a, b) => (a.id as number) - (b.id as number))
      .map((r) => ({
        message: this.message(MESSAGE_BY_ID, r.id)!,
        replyToId: r.reply_to_id == null ? null : String(r.reply_to_id),
      }));
  }
  async streamingIn(conversationId: Id): Promise<Message[]> {
    return this.all(
      `${MESSAGE_SELECT} WHERE m.conversation_id = ? AND ${STREAMING_WHERE} ORDER BY m.seq`,
      conversationId,
    ).map((r) => toMessage(r, this.botName));
  }
  async messagesIn(conversationId: Id, ids: Id[]): Promise<{ id: Id; seq: number }[]> {
    if (ids.length === 0) return [];
    return this.all(
      // Ids travel as strings: an 18-digit id is past a double's exact range, not SQLite's.
      'SELECT id, seq FROM chat_message WHERE conversation_id = ? AND id IN (SELECT CAST(value AS INTEGER) FROM json_each(?))',
      conversationId,
      JSON.stringify(ids),
    ).map((r) => ({ id: String(r.id), seq: r.seq as number }));
  }
  async markRead(conversationId: Id, userId: Id, seq: number): Promise<string> {
    const t = now();
    this.stmt(
      `UPDATE chat_participant SET last_read_seq = MAX(last_read_seq, ?), delivered_seq = MAX(delivered_seq, ?), last_read_at = ?
         WHERE conversation_id = ? AND user_id = ?`,
    ).run(seq, seq, t, conversationId, userId);
    return t;
  }
  async markDelivered(marks: DeliveryMark[]): Promise<void> {
    const update = this.stmt(
      'UPDATE chat_participant SET delivered_seq = ? WHERE conversation_id = ? AND user_id = ? AND delivered_seq < ?',
    );
    this.db.transaction(() => {
      for (const m of marks) update.run(m.seq, m.conversationId, m.userId, m.seq);
    })();
  }
  private message(sql: string, ...args: unknown[]): Message | null {
    const r = this.one(sql, ...args);
    return r ? toMessage(r, this.botName) : null;
  }

  // ------------------------------------------------------------------ attachments
  async createAttachment(
    a: Omit<AttachmentRecord, 'attachment_id' | 'file_url' | 'message_id' | 'created_at'>,
  ): Promise<AttachmentRecord> {
    const r = this.stmt(
      `INSERT INTO chat_attachment (uploader_id, conversation_id, stored_name, file_name, file_size, content_type, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(a.uploader_id, a.conversation_id, a.stored_name, a.file_name, a.file_size, a.content_type, now());
    return toAttachment(this.one('SELECT * FROM chat_attachment WHERE id = ?', r.lastInsertRowid)!);
  }
  async getAttachment(id: Id): Promise<AttachmentRecord | null> {
    const r = this.one('SELECT * FROM chat_attachment WHERE id = ?', id);
    return r ? toAttachment(r) : null;
  }
  async getAttachmentByStoredName(storedName: string): Promise<AttachmentRecord | null> {
    const r = this.one('SELECT * FROM chat_attachment WHERE stored_name = ?', storedName);
    return r ? toAttachment(r) : null;
  }
  async deleteUnattachedBefore(beforeIso: string): Promise<AttachmentRecord[]> {
    return this.all(
      'DELETE FROM chat_attachment WHERE message_id IS NULL AND created_at < ? RETURNING *',
      beforeIso,
    ).map(toAttachment);
  }

  async listPrompts(): Promise<BotPrompt[]> {
    return this.all(PROMPTS_SELECT).map(toPrompt);
  }

  // ------------------------------------------------------------------ socket tickets
  async createTicket(ticket: string, userId: Id, conversationId: Id, expiresAt: number): Promise<void> {
    this.stmt('DELETE FROM chat_wsticket WHERE expires_at < ?').run(Date.now());
    this.stmt('INSERT INTO chat_wsticket (ticket, user_id, conversation_id, expires_at) VALUES (?, ?, ?, ?)').run(
      ticket,
      userId,
      conversationId,
      expiresAt,
    );
  }
  async spendTicket(ticket: string) {
    const r = this.one(
      'DELETE FROM chat_wsticket WHERE ticket = ? RETURNING user_id, conversation_id, expires_at',
      ticket,
    );
    return r
      ? { user_id: String(r.user_id), conversation_id: String(r.conversation_id), expires_at: r.expires_at as number }
      : null;
  }

  // ------------------------------------------------------------------ refresh tokens
  async saveRefreshToken(rec: Omit<RefreshTokenRecord, 'rotated_at' | 'revoked'>): Promise<void> {
    this.stmt('INSERT INTO auth_refresh_token (jti, family, user_id, expires_at) VALUES (?, ?, ?, ?)').run(
      rec.jti,
      rec.family,
      rec.user_id,
      rec.expires_at,
    );
  }
  async getRefreshToken(jti: string): Promise<RefreshTokenRecord | null> {
    return toRefreshToken(this.one('SELECT * FROM auth_refresh_token WHERE jti = ?', jti));
  }
  async markRotated(jti: string, at: number): Promise<number> {
    this.stmt('UPDATE auth_refresh_token SET rotated_at = ? WHERE jti = ? AND rotated_at IS NULL').run(at, jti);
    return this.one('SELECT rotated_at FROM auth_refresh_token WHERE jti = ?', jti)?.rotated_at as number;
  }
  async revokeRefreshToken(jti: string): Promise<void> {
    this.stmt('UPDATE auth_refresh_token SET revoked = 1 WHERE jti = ?').run(jti);
  }
  async revokeFamily(family: string): Promise<void> {
    this.stmt('UPDATE auth_refresh_token SET revoked = 1 WHERE family = ?').run(family);
  }

  async refreshFamilyExists(family: string): Promise<boolean> {
    return this.one('SELECT 1 AS x FROM auth_refresh_token WHERE family = ? LIMIT 1', family) !== undefined;
  }
  async pruneRefreshTokens(now: number, rotatedBefore: number): Promise<number> {
    return this.stmt('DELETE FROM auth_refresh_token WHERE expires_at < ? OR rotated_at < ?').run(now, rotatedBefore)
      .changes;
  }

  async backup(file: string): Promise<void> {
    await this.db.backup(file);
  }
  async close(): Promise<void> {
    if (!this.db.open) return;
    await this.checkpointer.close();
    if (!this.db.open) return;
    // Synchronous from here: no insert can slip in between the last commit and the close.
    this.writer.flush();
    this.db.close();
  }
}
