/**
 * Wire objects as the client uses them: ids as decimal strings (a seed backend sends integers),
 * `conversation_id` filled from the seed's `conversation`, missing optional fields defaulted.
 */
import {
  STREAM_STATES,
  type Attachment,
  type BotPrompt,
  type Conversation,
  type Id,
  type Message,
  type Participant,
  type StreamState,
  type User,
} from '../types.js';
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

/**
 * A seed writes `+00:00` on its socket and `Z` in REST for the same instant: one form (`Z`), so
 * both copies of a message carry the same `created_at`.
 */
export function toTimestamp(value: unknown): string {
  return typeof value === 'string' ? value.replace(/\+00:?00$/, 'Z') : new Date().toISOString();
}

/**
 * The sender of a wire message. `sender` is the username (reference, seed socket) or, in a seed's
 * REST listing, the user's integer id with the username in `sender_username` (absent for the bot).
 */
function toSender(m: Raw): { sender: string | null; sender_id?: Id } {
  const username =
    typeof m.sender_username === 'string' ? m.sender_username : typeof m.sender === 'string' ? m.sender : null;
  const id = typeof m.sender === 'number' ? toId(m.sender) : undefined;
  return id === undefined ? { sender: username } : { sender: username, sender_id: id };
}

export function toMessage(raw: unknown): Message {
  const m = raw as Raw;
  const conversation = toId(m.conversation_id ?? m.conversation);
  const { sender, sender_id } = toSender(m);
  const message: Message = {
    id: toId(m.id),
    conversation_id: conversation,
    conversation,
    client_id: typeof m.client_id === 'string' ? m.client_id : null,
    type: m.type === 'bot' || m.type === 'system' ? m.type : 'user',
    text: String(m.text ?? m.message ?? ''),
    sender,
    // A seed's socket sends `sender_name: ""` for users without a first or last name.
    sender_name: String(m.sender_name || sender || ''),
    attachment: toAttachment(m.attachment),
    status: m.status === 'delivered' || m.status === 'read' ? m.status : 'sent',
    created_at: toTimestamp(m.created_at),
  };
  if (sender_id !== undefined) message.sender_id = sender_id;
  if (typeof m.seq === 'number') message.seq = m.seq;
  if (isStreamState(m.stream_state)) message.stream_state = m.stream_state;
  return message;
}

/** A `stream_state` the client knows (anything else: treated as a message that was never streamed). */
function isStreamState(value: unknown): value is StreamState {
  return (STREAM_STATES as readonly unknown[]).includes(value);
}

/** A display name: `display_name`, else a seed's first and last name, else the username. */
function displayName(r: Raw): string {
  if (typeof r.display_name === 'string' && r.display_name) return r.display_name;
  const full = [r.first_name, r.last_name].filter((x) => typeof x === 'string' && x).join(' ');
  return full || String(r.username ?? '');
}

export function toParticipant(raw: unknown): Participant {
  const p = raw as Raw;
  return {
    ...toUser(p),
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
    display_name: displayName(u),
  };
}

export { toId, toIdOrNull };
