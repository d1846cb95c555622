/**
 * SQL fragments and row mappers shared by the SQLite storage: they turn joined rows into the
 * wire objects of `src/types.ts` (ids as strings, status computed from the read marks).
 */
import type { Conversation, LastMessage, Message, Participant, ParticipantRole } from '../../../src/types.js';
import type { AttachmentRecord } from './storage.js';

/** Selects a message with its sender, attachment and status (furthest another participant got). */
export const MESSAGE_SELECT = `
  SELECT m.id, m.seq, m.conversation_id, m.client_id, m.type, m.text, m.created_at,
         u.username AS sender, u.display_name AS sender_display,
         a.id AS a_id, a.stored_name AS a_stored, a.file_name AS a_name, a.file_size AS a_size,
         a.content_type AS a_type,
         CASE
           WHEN EXISTS (SELECT 1 FROM chat_participant p WHERE p.conversation_id = m.conversation_id
                          AND p.user_id IS NOT m.sender_id AND p.last_read_seq >= m.seq) THEN 'read'
           WHEN EXISTS (SELECT 1 FROM chat_participant p WHERE p.conversation_id = m.conversation_id
                          AND p.user_id IS NOT m.sender_id AND p.delivered_seq >= m.seq) THEN 'delivered'
           ELSE 'sent'
         END AS status
  FROM chat_message m
  LEFT JOIN accounts_user u ON u.id = m.sender_id
  LEFT JOIN chat_attachment a ON a.id = m.attachment_id`;

/** One message by id. */
export const MESSAGE_BY_ID = `${MESSAGE_SELECT} WHERE m.id = ?`;

type Row = Record<string, unknown>;

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
