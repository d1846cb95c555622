/**
 * The socket half of the seed stand-in, as recorded (`../shared/seed-backend/websocket.json`):
 * `?token=` only; every refusal is an HTTP 403 at the handshake (the browser sees 1006) that still
 * tells the members already connected `user_left`; no `hello`, `message:ack`, `seq`, `sync` or
 * `pong`; `message:new`, `typing` and `read` go to every socket of the conversation, the sender's
 * included; presence only between different users; errors only to the sender, as
 * `{type, message}`; empty text dropped silently; the bot never answers socket messages.
 */
import type { MockState } from './mock-state.js';
import { seedSocketMessage } from './seed-wire.js';

/** What the seed half needs from the socket registry (`MockSockets`). */
export interface SeedSocketHost<C extends { username: string; conversationId: number }> {
  readonly open: Set<C>;
  send(connection: C, frame: Record<string, unknown>): void;
  /** Every socket of the conversation, except those `skip` is true for. */
  broadcast(conversationId: number, frame: Record<string, unknown>, skip?: (c: C) => boolean): void;
}

/** The user a handshake authenticated as and the conversation it asked for, or why it is refused. */
export function seedHandshake(
  state: MockState,
  idText: string,
  token: string | null,
): { username: string; conversationId: number } | { refused: { user_id: string; username: string } } {
  const username = state.authenticate(token);
  const user = username ? state.user(username) : undefined;
  const refused = { refused: { user_id: user ? String(user.id) : 'None', username: user?.username ?? '' } };
  if (!user || !/^\d+$/.test(idText)) return refused;
  const conversation = state.conversations.get(Number(idText));
  if (!conversation || !state.isMember(conversation, user.username)) return refused;
  return { username: user.username, conversationId: conversation.id };
}

/** Presence: sent to the sockets of *other* users only (a user's own second tab says nothing). */
export function seedPresence<C extends { username: string; conversationId: number }>(
  host: SeedSocketHost<C>,
  conversationId: number,
  type: 'user_joined' | 'user_left',
  who: { user_id: string; username: string },
): void {
  host.broadcast(conversationId, { type, ...who }, (c) => c.username === who.username);
}

/** One frame from a seed socket. */
export function seedFrame<C extends { username: string; conversationId: number }>(
  host: SeedSocketHost<C>,
  state: MockState,
  connection: C,
  frame: unknown,
): void {
  const fail = (message: string): void => host.send(connection, { type: 'error', message });
  if (!frame || typeof frame !== 'object' || Array.isArray(frame)) return fail('Internal server error');
  const f = frame as Record<string, unknown>;
  const user = state.user(connection.username)!;
  const who = { user_id: String(user.id), username: user.username };
  switch (f.type) {
    case 'message': {
      if (typeof f.text !== 'string') return fail('Internal server error');
      const text = f.text.trim();
      if (!text) return; // dropped: no frame, no error
      const message = state.storeMessage(connection.conversationId, {
        text,
        sender: user.username,
        senderName: user.username,
        type: 'user',
      });
      return host.broadcast(connection.conversationId, { type: 'message:new', message: seedSocketMessage(message) });
    }
    case 'typing':
      return host.broadcast(connection.conversationId, { type: 'typing', ...who, is_typing: f.is_typing === true });
    case 'read': {
      const ids = Array.isArray(f.message_ids) ? f.message_ids : [];
      if (!ids.length) return;
      const conversation = state.conversations.get(connection.conversationId)!;
      const me = conversation.participants.find((p) => p.userId === user.id);
      if (me) me.lastReadAt = new Date().toISOString();
      // The ids go back exactly as written: a string stays a string, a number a number.
      return host.broadcast(connection.conversationId, { type: 'read', message_ids: ids, ...who });
    }
    default:
      return fail('Unknown message type');
  }
}
