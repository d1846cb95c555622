/**
 * The storage interface of the reference server: everything the routes, the socket and the bot
 * need from a database, so another database can follow the SQLite one (`sqlite-storage.ts`).
 *
 * Methods are synchronous because better-sqlite3 is; an asynchronous store would wrap them.
 * Objects come back in their wire shape (`src/types.ts`), ids as decimal strings.
 */
import type {
  Attachment,
  BotPrompt,
  Conversation,
  Id,
  Message,
  MessageType,
  Participant,
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

export interface ChatStorage {
  countUsers(): number;
  findUserById(id: Id): UserRecord | null;
  findUserByUsername(username: string): UserRecord | null;
  createUser(user: { username: string; passwordHash: string; displayName: string }): UserRecord;

  createConversation(title: string, ownerId: Id): Conversation;
  getConversation(id: Id): Conversation | null;
  conversationExists(id: Id): boolean;
  participantRole(conversationId: Id, userId: Id): ParticipantRole | null;
  /** The user's conversations, newest `updated_at` first, archived ones left out. */
  listConversations(userId: Id, offset: number, limit: number): Conversation[];
  addParticipant(conversationId: Id, userId: Id, role: ParticipantRole): { participant: Participant; created: boolean };

  /** Stores a message with the next seq, or returns the existing one for a repeated key. */
  insertMessage(input: NewMessage): InsertResult;
  findByClientId(senderId: Id, clientId: string): Message | null;
  getMessage(id: Id): Message | null;
  listMessages(conversationId: Id, query: MessageQuery): Message[];
  lastSeq(conversationId: Id): number;
  newestUserMessage(conversationId: Id): Message | null;
  botReplyTo(messageId: Id): Message | null;
  /** User messages since `sinceIso` that have no bot reply yet (a crash between message and reply). */
  unansweredSince(sinceIso: string, limit: number): Message[];
  /** Raises the user's read mark to `seq`; returns the read time. */
  markRead(conversationId: Id, userId: Id, seq: number): string;
  /** Raises each participant's delivered seq (never lowers it), all in one transaction. */
  markDelivered(marks: DeliveryMark[]): void;

  createAttachment(
    a: Omit<AttachmentRecord, 'attachment_id' | 'file_url' | 'message_id' | 'created_at'>,
  ): AttachmentRecord;
  getAttachment(id: Id): AttachmentRecord | null;
  getAttachmentByStoredName(storedName: string): AttachmentRecord | null;
  /** Uploads never attached to a message and older than `beforeIso`. */
  unattachedBefore(beforeIso: string): AttachmentRecord[];
  deleteAttachment(id: Id): void;

  listPrompts(): BotPrompt[];

  createTicket(ticket: string, userId: Id, conversationId: Id, expiresAt: number): void;
  /** Deletes and returns the ticket: a ticket is spent on first presentation. */
  spendTicket(ticket: string): { user_id: Id; conversation_id: Id; expires_at: number } | null;

  saveRefreshToken(rec: Omit<RefreshTokenRecord, 'rotated_at' | 'revoked'>): void;
  getRefreshToken(jti: string): RefreshTokenRecord | null;
  /** Marks the token rotated at `at` unless it already was; returns the stored rotation time. */
  markRotated(jti: string, at: number): number;
  revokeRefreshToken(jti: string): void;
  revokeFamily(family: string): void;

  /** Online backup into `file` (safe while the server runs). */
  backup(file: string): Promise<void>;
  close(): void;
}
