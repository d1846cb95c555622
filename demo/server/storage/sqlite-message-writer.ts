/**
 * The message write path of the SQLite store, the server's hottest: each insert is one
 * IMMEDIATE transaction (idempotency check by index, seq bump, insert, attachment claim) and the
 * stored message is built from what was written, not read back. Inserts that arrive within one
 * turn of the event loop are committed together (group commit): one BEGIN/COMMIT and one WAL
 * append for all, each insert in its own savepoint so one failure fails only its caller.
 */
import type Database from 'better-sqlite3';
import type { Id, Message } from '../../../src/types.js';
import { MESSAGE_COLUMNS, MESSAGE_SELECT, messageValues, toMessage } from './sql-rows.js';
import { AttachmentUnavailableError, type InsertResult, type NewMessage } from './storage.js';

type Row = Record<string, unknown>;

/** One message by id. */
export const MESSAGE_BY_ID = `${MESSAGE_SELECT} WHERE m.id = ?`;

const ID_BY_CLIENT_ID = 'SELECT id FROM chat_message WHERE sender_id = ? AND client_id = ?';
const ID_BY_REPLY_TO = 'SELECT id FROM chat_message WHERE reply_to_id = ?';
const UNATTACHED = 'SELECT * FROM chat_attachment WHERE id = ? AND message_id IS NULL';
const BUMP_SEQ = 'UPDATE chat_conversation SET last_seq = last_seq + 1, updated_at = ? WHERE id = ? RETURNING last_seq';
const INSERT = `INSERT INTO chat_message (${MESSAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const CLAIM = 'UPDATE chat_attachment SET message_id = ? WHERE id = ?';
const USER_NAMES = 'SELECT username, display_name FROM accounts_user WHERE id = ?';

/** Senders' names remembered (usernames never change); forgotten past this many. */
const MAX_NAMES = 10_000;

interface Waiting {
  input: NewMessage;
  resolve: (r: InsertResult) => void;
  reject: (err: unknown) => void;
}

export class SqliteMessageWriter {
  private readonly one: Database.Transaction<(input: NewMessage) => InsertResult>;
  private readonly many: Database.Transaction<(batch: Waiting[]) => (() => void)[]>;
  private waiting: Waiting[] = [];
  private scheduled: NodeJS.Immediate | null = null;
  private names = new Map<string, { username: string; display_name: string } | null>();

  constructor(
    db: Database.Database,
    private readonly stmt: (sql: string) => Database.Statement,
    private readonly botName: string,
  ) {
    // Built once: a transaction function compiles its BEGIN/COMMIT statements when created.
    this.one = db.transaction((input: NewMessage) => this.write(input));
    // Called inside `many`, `one` runs as a savepoint: a failed insert rolls back alone.
    this.many = db.transaction((batch: Waiting[]) =>
      batch.map((w) => {
        try {
          const result = this.one(w.input);
          return () => w.resolve(result);
        } catch (err) {
          return () => w.reject(err);
        }
      }),
    );
  }

  /** Queues an insert for this turn's commit. */
  insert(input: NewMessage): Promise<InsertResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** Commits every queued insert now (also before the database closes). */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return;
    if (batch.length === 1) {
      const [w] = batch as [Waiting];
      try {
        w.resolve(this.one.immediate(w.input));
      } catch (err) {
        w.reject(err);
      }
      return;
    }
    let settle: (() => void)[];
    try {
      settle = this.many.immediate(batch);
    } catch (err) {
      for (const w of batch) w.reject(err);
      return;
    }
    for (const s of settle) s();
  }

  /** One insert, inside a transaction. */
  private write(input: NewMessage): InsertResult {
    const repeat =
      (input.clientId && input.senderId && this.get(ID_BY_CLIENT_ID, input.senderId, input.clientId)) ||
      (input.replyToId && this.get(ID_BY_REPLY_TO, input.replyToId));
    if (repeat) return { message: this.stored(repeat.id as number), created: false };
    let attachment: Row | undefined;
    if (input.attachmentId) {
      attachment = this.get(UNATTACHED, input.attachmentId);
      if (!attachment) throw new AttachmentUnavailableError(input.attachmentId);
    }
    const t = new Date().toISOString();
    const c = this.get(BUMP_SEQ, t, input.conversationId);
    if (!c) throw new Error(`conversation ${input.conversationId} does not exist`);
    const r = this.stmt(INSERT).run(...messageValues(input, t), c.last_seq);
    if (attachment) this.stmt(CLAIM).run(r.lastInsertRowid, input.attachmentId);
    const sender = input.senderId ? this.namesOf(input.senderId) : null;
    // A new message has the highest seq: no other participant got it yet, so it is 'sent'.
    const row: Row = {
      id: r.lastInsertRowid,
      seq: c.last_seq,
      conversation_id: input.conversationId,
      client_id: input.clientId ?? null,
      type: input.type,
      text: input.text,
      created_at: t,
      stream_state: input.streamOwner ? 'streaming' : null,
      sender: sender?.username ?? null,
      sender_display: sender?.display_name ?? null,
      a_id: attachment?.id ?? null,
      a_stored: attachment?.stored_name,
      a_name: attachment?.file_name,
      a_size: attachment?.file_size,
      a_type: attachment?.content_type,
      status: 'sent',
    };
    return { message: toMessage(row, this.botName), created: true };
  }

  private get(sql: string, ...args: unknown[]): Row | undefined {
    return this.stmt(sql).get(...args) as Row | undefined;
  }

  private stored(id: number | bigint): Message {
    return toMessage(this.get(MESSAGE_BY_ID, id)!, this.botName);
  }

  private namesOf(userId: Id) {
    let names = this.names.get(userId);
    if (names === undefined) {
      if (this.names.size >= MAX_NAMES) this.names = new Map();
      names = (this.get(USER_NAMES, userId) as { username: string; display_name: string } | undefined) ?? null;
      this.names.set(userId, names);
    }
    return names;
  }
}
