/**
 * SQL fragments and row mappers shared by the SQLite and PostgreSQL stores: they turn joined rows
 * into the wire objects of `src/types.ts` (ids as strings, status computed from the read marks).
 * The fragments are written in the SQL both engines accept (`IS DISTINCT FROM`, no placeholders).
 */
import type {
  BotPrompt,
  Conversation,
  LastMessage,
  Message,
  Participant,
  ParticipantRole,
} from '../../../src/types.js';
import type { AttachmentRecord, NewMessage, RefreshTokenRecord, UserRecord } from './storage.js';

/** The quick prompts seeded on an empty database. */
export const DEFAULT_PROMPTS: Omit<BotPrompt, 'id'>[] = [
  { title: 'Product Search', text: 'I am looking for a product', order: 1 },
  { title: 'Order Status', text: 'What is the status of my order?', order: 2 },
  { title: 'Delivery', text: 'When will my delivery arrive?', order: 3 },
  { title: 'Help', text: 'What can you help me with?', order: 4 },
];

/** Selects a message with its sender, attachment and status (furthest another participant got). */
export const MESSAGE_SELECT = `
  SELECT m.id, m.seq, m.conversation_id, m.client_id, m.type, m.text, m.created_at, m.stream_state,
         u.username AS sender, u.display_name AS sender_display,
         a.id AS a_id, a.stored_name AS a_stored, a.file_name AS a_name, a.file_size AS a_size,
         a.content_type AS a_type,
         CASE
           WHEN EXISTS (SELECT 1 FROM chat_participant p WHERE p.conversation_id = m.conversation_id
                          AND p.user_id IS DISTINCT FROM m.sender_id AND p.last_read_seq >= m.seq) THEN 'read'
           WHEN EXISTS (SELECT 1 FROM chat_participant p WHERE p.conversation_id = m.conversation_id
                          AND p.user_id IS DISTINCT FROM m.sender_id AND p.delivered_seq >= m.seq) THEN 'delivered'
           ELSE 'sent'
         END AS status
  FROM chat_message m
  LEFT JOIN accounts_user u ON u.id = m.sender_id
  LEFT JOIN chat_attachment a ON a.id = m.attachment_id`;

/** The newest message of a conversation, for its `last_message`. */
export const LAST_MESSAGE_SELECT = `
  SELECT m.id, m.text, m.type, u.username AS sender, m.created_at FROM chat_message m
  LEFT JOIN accounts_user u ON u.id = m.sender_id`;

/** The replies still being written, oldest first. */
export const STREAMING_WHERE = "m.stream_state = 'streaming'";

/** User messages with no bot reply yet, oldest first. */
export const UNANSWERED_WHERE = `m.type = 'user'
  AND NOT EXISTS (SELECT 1 FROM chat_message r WHERE r.reply_to_id = m.id)`;

/** The columns a message insert writes: those of `messageValues`, then `seq` (known only in the write). */
export const MESSAGE_COLUMNS =
  'conversation_id, client_id, type, text, sender_id, attachment_id, reply_to_id, created_at, stream_state, stream_owner, stream_beat, seq';

/** The values of a new `chat_message` row, in the order of `MESSAGE_COLUMNS`, `seq` left out. */
export function messageValues(input: NewMessage, createdAt: string): unknown[] {
  return [
    input.conversationId,
    input.clientId ?? null,
    input.type,
    input.text,
    input.senderId,
    input.attachmentId ?? null,
    input.replyToId ?? null,
    createdAt,
    input.streamOwner ? 'streaming' : null,
    input.streamOwner ?? null,
    input.streamOwner ? Date.now() : null,
  ];
}

export const PROMPTS_SELECT = 'SELECT id, title, text, "order" FROM chat_botprompt ORDER BY "order", id';

type Row = Record<string, unknown>;

export function toLastMessage(m: Row | undefined): LastMessage | null {
  return m
    ? {
        id: String(m.id),
        text: m.text as string,
        type: m.type as LastMessage['type'],
        sender: (m.sender as string | null) ?? null,
        created_at: m.created_at as string,
      }
    : null;
}

export function toUser(r: Row | undefined): UserRecord | null {
  if (!r) return null;
  return {
    id: String(r.id),
    username: r.username as string,
    display_name: r.display_name as string,
    password_hash: r.password_hash as string,
  };
}

export function toPrompt(r: Row): BotPrompt {
  return { id: String(r.id), title: r.title as string, text: r.text as string, order: r.order as number };
}

export function toRefreshToken(r: Row | undefined): RefreshTokenRecord | null {
  if (!r) return null;
  return {
    jti: r.jti as string,
    family: r.family as string,
    user_id: String(r.user_id),
    expires_at: Number(r.expires_at),
    rotated_at: r.rotated_at == null ? null : Number(r.rotated_at),
    revoked: Number(r.revoked) === 1,
  };
}

export function toMessage(r: Row, botName: string): Message {
  const type = r.type as Message['type'];
  const id = String(r.conversation_id);
  return {
    id: String(r.id),
    seq: r.seq as number,
    conversation_id: id,
    conversation: id,
    client_id: (r.client_id as string | null) ?? null,
    type,
    text: r.text as string,
    sender: (r.sender as string | null) ?? null,
    sender_name: type === 'bot' ? botName : type === 'system' ? 'System' : ((r.sender_display as string) ?? ''),
    attachment:
      r.a_id == null
        ? null
        : {
            attachment_id: String(r.a_id),
            file_url: `/uploads/${r.a_stored as string}`,
            file_name: r.a_name as string,
            file_size: r.a_size as number,
            content_type: r.a_type as string,
          },
    status: r.status as Message['status'],
    created_at: r.created_at as string,
    stream_state: (r.stream_state as Message['stream_state']) ?? null,
  };
}

export function toAttachment(r: Row): AttachmentRecord {
  return {
    attachment_id: String(r.id),
    file_url: `/uploads/${r.stored_name as string}`,
    file_name: r.file_name as string,
    file_size: r.file_size as number,
    content_type: r.content_type as string,
    uploader_id: String(r.uploader_id),
    conversation_id: r.conversation_id == null ? null : String(r.conversation_id),
    message_id: r.message_id == null ? null : String(r.message_id),
    stored_name: r.stored_name as string,
    created_at: r.created_at as string,
  };
}

export const PARTICIPANT_SELECT = `
  SELECT p.user_id, u.username, u.display_name, p.role, p.joined_at, p.last_read_at, p.conversation_id
  FROM chat_participant p JOIN accounts_user u ON u.id = p.user_id`;

export function toParticipant(r: Row): Participant {
  return {
    id: String(r.user_id),
    username: r.username as string,
    display_name: r.display_name as string,
    role: r.role as ParticipantRole,
    joined_at: r.joined_at as string,
    last_read_at: (r.last_read_at as string | null) ?? null,
  };
}

export function toConversation(r: Row, participants: Participant[], last: LastMessage | null): Conversation {
  return {
    id: String(r.id),
    title: r.title as string,
    created_at: r.created_at as string,
    updated_at: r.updated_at as string,
    participant_count: participants.length,
    participants,
    last_message: last,
  };
}
