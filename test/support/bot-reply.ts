import type { Message } from '../../src/types.js';

/** A streamed bot reply as the server sends it (conversation 5, `seq` = its id, streaming unless said). */
export function botReply(partial: Partial<Message> & { id: string; text: string }): Message {
  return {
    conversation_id: '5',
    conversation: '5',
    seq: Number(partial.id),
    client_id: null,
    type: 'bot',
    sender: null,
    sender_name: 'Bot',
    attachment: null,
    status: 'sent',
    created_at: '2026-12-02T01:00:00.000Z',
    stream_state: 'streaming',
    ...partial,
  };
}
