/**
 * Wire objects as the client uses them: ids as decimal strings (a seed backend sends integers),
 * `conversation_id` filled from the seed's `conversation`, missing optional fields defaulted.
 */
import type { Attachment, BotPrompt, Conversation, Message, Participant, User } from '../types.js';
import { toId, toIdOrNull } from '../util/ids.js';

type Raw = Record<string, unknown>;

export function toAttachment(raw: unknown): Attachment | null {
  if (!raw || typeof raw !== 'object') return null;
  const a = raw as Raw;
  return {
    attachment_id: toId(a.attachment_id ?? a.id),
    file_url: String(a.file_url ?? ''),
    file_name: String(a.file_name ?? ''),
    file_size: Number(a.file_size ?? 0),
    content_type: String(a.content_type ?? ''),
  };
}

export function toMessage(raw: unknown): Message {
  const m = raw as Raw;
  const conversation = toId(m.conversation_id ?? m.conversation);
  const message: Message = {
    id: toId(m.id),
    conversation_id: conversation,
    conversation,
    client_id: typeof m.client_id === 'string' ? m.client_id : null,
    type: m.type === 'bot' || m.type === 'system' ? m.type : 'user',
    text: String(m.text ?? m.message ?? ''),
    sender: typeof m.sender === 'string' ? m.sender : null,
    sender_name: String(m.sender_name ?? m.sender ?? ''),
    attachment: toAttachment(m.attachment),
    status: m.status === 'delivered' || m.status === 'read' ? m.status : 'sent',
    created_at: String(m.created_at ?? new Date().toISOString()),
  };
  if (typeof m.seq === 'number') message.seq = m.seq;
  return message;
}

export function toParticipant(raw: unknown): Participant {
  const p = raw as Raw;
  return {
    id: toId(p.id),
    username: String(p.username ?? ''),
    display_name: String(p.display_name ?? p.username ?? ''),
    role: p.role === 'owner' || p.role === 'agent' ? p.role : 'member',
    joined_at: String(p.joined_at ?? ''),
    last_read_at: typeof p.last_read_at === 'string' ? p.last_read_at : null,
  };
}

export function toConversation(raw: unknown): Conversation {
  const c = raw as Raw;
  const last = c.last_message as Raw | null | undefined;
  const participants = Array.isArray(c.participants) ? c.participants.map(toParticipant) : [];
  return {
    id: toId(c.id),
    title: String(c.title ?? ''),
    created_at: String(c.created_at ?? ''),
    updated_at: String(c.updated_at ?? c.created_at ?? ''),
    participant_count: typeof c.participant_count === 'number' ? c.participant_count : participants.length,
    participants,
    last_message: last
      ? {
          id: toId(last.id),
          text: String(last.text ?? ''),
          type: last.type === 'bot' || last.type === 'system' ? last.type : 'user',
          sender: typeof last.sender === 'string' ? last.sender : null,
          created_at: String(last.created_at ?? ''),
        }
      : null,
  };
}

export function toPrompt(raw: unknown): BotPrompt {
  const p = raw as Raw;
  return { id: toId(p.id), title: String(p.title ?? ''), text: String(p.text ?? ''), order: Number(p.order ?? 0) };
}

export function toUser(raw: unknown): User {
  const u = raw as Raw;
  return {
    id: toId(u.id),
    username: String(u.username ?? ''),
    display_name: String(u.display_name ?? u.username ?? ''),
  };
}

export { toId, toIdOrNull };
