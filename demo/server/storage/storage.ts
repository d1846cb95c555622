/**
 * The storage interface of the reference server: everything the routes, the socket and the bot
 * need from a database, so another database can follow the SQLite one (`sqlite-storage.ts`).
 *
 * Every method returns a promise, so a networked database (PostgreSQL, `pg-storage.ts`) fits the
 * same interface as the embedded one. The SQLite store stays synchronous underneath
 * (better-sqlite3) and merely wraps its results. Objects come back in their wire shape
 * (`src/types.ts`), ids as decimal strings.
 *
 * What every implementation guarantees, whatever the engine:
 * - `seq` is per conversation, starts at 1, and has no gap and no duplicate, even with several
 *   server instances writing to one conversation at once;
 * - `(sender, client_id)` and a bot reply's `reply_to_id` are unique: a repeated insert returns
 *   the stored message with `created: false` and writes nothing;
 * - a rejected promise means nothing of that call was written (each write is one transaction).
 */
import type {
  Attachment,
  BotPrompt,
  Conversation,
  Id,
  Message,
  MessageType,
  Participant,
  StreamEndState,
  ParticipantRole,
} from '../../../src/types.js';

/** A participant's sockets received the conversation's messages up to `seq`. */
export interface DeliveryMark {
  conversationId: Id;
  userId: Id;
  seq: number;
}

/** A user as stored, with the password hash the login checks. */
export interface UserRecord {
  id: Id;
  username: string;
  display_name: string;
  password_hash: string;
}

/** An upload as stored: the wire `Attachment` plus who may use it and where. */
export interface AttachmentRecord extends Attachment {
  uploader_id: Id;
  conversation_id: Id | null;
  message_id: Id | null;
  stored_name: string;
  created_at: string;
}

/** What `insertMessage` needs. `replyToId` marks a bot reply (at most one per user message). */
export interface NewMessage {
  conversationId: Id;
  senderId: Id | null;
  type: MessageType;
  text: string;
  clientId?: string | null;
  attachmentId?: Id | null;
  replyToId?: Id | null;
  /**
   * A streamed reply (§8): stored `streaming`, written by the instance `streamOwner` names (see
   * `growReply`). Absent for every other message (`stream_state` null).
   */
  streamOwner?: string | null;
}

/** A streaming reply taken over from a writer that is gone, with the id of the message it answers. */
export interface ClaimedReply {
  message: Message;
  replyToId: Id | null;
}

/** How `endReply` ends a streaming reply. */
export interface ReplyEnd {
  state: StreamEndState;
  /** The final text; absent keeps the stored text (a stop by an instance that is not the writer). */
  text?: string;
  /** Only if this instance still writes it (absent: whoever writes it). */
  owner?: string;
  /**
   * Frees the user message it answers (`reply_to_id` set to NULL), so a new reply can follow it:
   * a reply that could not be continued after a restart (§8).
   */
  detach?: boolean;
}

/**
 * `insertMessage` refuses an `attachmentId` that is gone or already attached by the time the
 * message is written (a sweep or another message got there first); nothing is written.
 */
export class AttachmentUnavailableError extends Error {
  constructor(readonly attachmentId: Id) {
    super(`attachment ${attachmentId} is gone or already attached`);
  }
}

/** `created: false` means the (sender, client_id) or reply already existed: nothing was written. */
export interface InsertResult {
  message: Message;
  created: boolean;
}

/** A window of a conversation's messages; always returned oldest first. */
export interface MessageQuery {
  limit: number;
  afterSeq?: number;
  beforeSeq?: number;
  offset?: number;
}

export interface RefreshTokenRecord {
  jti: string;
  family: string;
  user_id: Id;
  expires_at: number;
  rotated_at: number | null;
  revoked: boolean;
}

/** The database of a running server. Callers await every call; none of them throws synchronously. */
export interface ChatStorage {
  countUsers(): Promise<number>;
  findUserById(id: Id): Promise<UserRecord | null>;
  findUserByUsername(username: string): Promise<UserRecord | null>;
  createUser(user: { username: string; passwordHash: string; displayName: string }): Promise<UserRecord>;

  createConversation(title: string, ownerId: Id): Promise<Conversation>;
  getConversation(id: Id): Promise<Conversation | null>;
  conversationExists(id: Id): Promise<boolean>;
  participantRole(conversationId: Id, userId: Id): Promise<ParticipantRole | null>;
  /** The user's conversations, newest `updated_at` first, archived ones left out. */
  listConversations(userId: Id, offset: number, limit: number): Promise<Conversation[]>;
  addParticipant(
    conversationId: Id,
    userId: Id,
    role: ParticipantRole,
  ): Promise<{ participant: Participant; created: boolean }>;

  /** Stores a message with the next seq, or returns the existing one for a repeated key. */
  insertMessage(input: NewMessage): Promise<InsertResult>;
  findByClientId(senderId: Id, clientId: string): Promise<Message | null>;
  getMessage(id: Id): Promise<Message | null>;
  listMessages(conversationId: Id, query: MessageQuery): Promise<Message[]>;
  lastSeq(conversationId: Id): Promise<number>;
  newestUserMessage(conversationId: Id): Promise<Message | null>;
  botReplyTo(messageId: Id): Promise<Message | null>;
  /**
   * User messages with an id above `afterId` ('0': from the start) that have no bot reply yet
   * (a crash or an outage between message and reply), oldest first, at most `limit`: page on
   * by passing the last id.
   */
  unansweredAfter(afterId: Id, limit: number): Promise<Message[]>;
  /**
   * Stores the text so far of a streaming reply `owner` writes (and the time, `stream_beat`);
   * `release` also gives it up (owner NULL) for whichever instance starts next. False when the
   * reply is no longer `owner`'s or no longer streaming (ended, or taken over): the writer stops.
   */
  growReply(id: Id, owner: string, text: string, release?: boolean): Promise<boolean>;
  /** Ends a streaming reply; the ended message, or null when it was not streaming (or not `owner`'s). */
  endReply(id: Id, end: ReplyEnd): Promise<Message | null>;
  /**
   * Takes over, for `owner`, every streaming reply released or not stored since `staleBefore`
   * (epoch ms: its writer is gone); returns them, oldest first.
   */
  claimReplies(owner: string, staleBefore: number): Promise<ClaimedReply[]>;
  /** The conversation's replies still streaming, oldest first (catch-up on `sync`). */
  streamingIn(conversationId: Id): Promise<Message[]>;
  /**
   * Which of `ids` are messages of the conversation, with their seq, in one query (ids of other
   * conversations and unknown ids are left out; order is not specified). Callers bound `ids`
   * (a `read` frame carries at most `MAX_READ_IDS`).
   */
  messagesIn(conversationId: Id, ids: Id[]): Promise<{ id: Id; seq: number }[]>;
  /** Raises the user's read mark to `seq`; returns the read time. */
  markRead(conversationId: Id, userId: Id, seq: number): Promise<string>;
  /** Raises each participant's delivered seq (never lowers it), all in one transaction. */
  markDelivered(marks: DeliveryMark[]): Promise<void>;

  createAttachment(
    a: Omit<AttachmentRecord, 'attachment_id' | 'file_url' | 'message_id' | 'created_at'>,
  ): Promise<AttachmentRecord>;
  getAttachment(id: Id): Promise<AttachmentRecord | null>;
  getAttachmentByStoredName(storedName: string): Promise<AttachmentRecord | null>;
  /**
   * Deletes the uploads never attached to a message and older than `beforeIso`, in one atomic
   * statement, and returns exactly the rows it deleted (their files are the caller's to remove).
   * An upload attached at the same moment either is attached (and kept) or deleted (and the
   * message insert refused), never both.
   */
  deleteUnattachedBefore(beforeIso: string): Promise<AttachmentRecord[]>;

  listPrompts(): Promise<BotPrompt[]>;

  createTicket(ticket: string, userId: Id, conversationId: Id, expiresAt: number): Promise<void>;
  /** Deletes and returns the ticket: a ticket is spent on first presentation. */
  spendTicket(ticket: string): Promise<{ user_id: Id; conversation_id: Id; expires_at: number } | null>;

  saveRefreshToken(rec: Omit<RefreshTokenRecord, 'rotated_at' | 'revoked'>): Promise<void>;
  getRefreshToken(jti: string): Promise<RefreshTokenRecord | null>;
  /** Marks the token rotated at `at` unless it already was; returns the stored rotation time. */
  markRotated(jti: string, at: number): Promise<number>;
  revokeRefreshToken(jti: string): Promise<void>;
  revokeFamily(family: string): Promise<void>;
  /** Whether any row of the login family is left (a pruned token of a live family is a reuse). */
  refreshFamilyExists(family: string): Promise<boolean>;
  /**
   * Deletes the refresh-token rows expired before `now` and those rotated before
   * `rotatedBefore` (past their grace); returns how many went.
   */
  pruneRefreshTokens(now: number, rotatedBefore: number): Promise<number>;

  /** Online backup into `file` (safe while the server runs). */
  backup(file: string): Promise<void>;
  close(): Promise<void>;
}
