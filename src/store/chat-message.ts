/** The three ways a {@link ChatMessage} comes to be: a server row, an own pending send, a seed bot reply. */
import type { ChatMessage } from '../events.js';
import type { OutboxEntry } from '../outbox/outbox-entry.js';
import type { Id, Message } from '../types.js';

/** A message the server stored. */
export function fromWire(wire: Message, own: boolean): ChatMessage {
  return {
    key: wire.client_id ?? wire.id,
    id: wire.id,
    seq: wire.seq ?? null,
    conversationId: wire.conversation_id,
    clientId: wire.client_id,
    type: wire.type,
    text: wire.text,
    sender: wire.sender,
    senderName: wire.sender_name,
    attachment: wire.attachment,
    status: wire.status,
    createdAt: wire.created_at,
    own,
    streamState: wire.stream_state ?? null,
  };
}

/** The optimistic bubble of an outbox entry. */
export function pendingBubble(entry: OutboxEntry, sender: string | null, senderName: string): ChatMessage {
  return {
    key: entry.clientId,
    id: null,
    seq: null,
    conversationId: entry.conversationId,
    clientId: entry.clientId,
    type: 'user',
    text: entry.text,
    sender,
    senderName,
    attachment: null,
    status: entry.status === 'failed' ? 'failed' : 'pending',
    createdAt: entry.createdAt,
    own: true,
    streamState: null,
    ...(entry.status === 'failed' ? { failure: entry.failure } : {}),
  };
}

/** A bot reply known only by its text (a seed's `bot-response`): no id, a local time. */
export function replyBubble(conversationId: Id, key: string, text: string, senderName: string): ChatMessage {
  return {
    key,
    id: null,
    seq: null,
    conversationId,
    clientId: null,
    type: 'bot',
    text,
    sender: null,
    senderName,
    attachment: null,
    status: 'sent',
    createdAt: new Date().toISOString(),
    own: false,
    streamState: null,
  };
}
