/**
 * The WebSocket half of the fake server (PROTOCOL §4): handshake checks, frames, fan-out, and
 * the socket fault knobs (blocked, close codes at handshake, dropped frames). The `seed` profile's
 * handshakes and frames are `seed-sockets.ts`.
 */
import type { WebSocketHandlerConnection } from 'msw';
import type { MockServer } from './mock-server.js';
import type { StoredMessage } from './mock-state.js';
import { seedFrame, seedHandshake, seedPresence } from './seed-sockets.js';
import { pyJson, seedSocketMessage } from './seed-wire.js';

type WebSocketClientConnectionProtocol = WebSocketHandlerConnection['client'];

interface Connection {
  client: WebSocketClientConnectionProtocol;
  username: string;
  conversationId: number;
}

export class MockSockets {
  readonly open = new Set<Connection>();
  blocked = false;
  /** Close codes for the next handshakes, first in first out. */
  readonly handshakeCodes: number[] = [];
  readonly dropRules: { predicate: (frame: Record<string, unknown>) => boolean; remaining: number }[] = [];
  /** Handshakes seen: accepted or the code they were closed with. */
  readonly handshakes: { conversationId: string; via: 'ticket' | 'token' | 'none'; result: 'open' | number }[] = [];

  constructor(private readonly server: MockServer) {}

  /** Sockets currently open, optionally of one conversation. */
  count(conversationId?: string): number {
    return [...this.open].filter((c) => conversationId === undefined || String(c.conversationId) === conversationId)
      .length;
  }

  accept(client: WebSocketClientConnectionProtocol): void {
    const { state } = this.server;
    const seed = state.profile === 'seed';
    const url = client.url;
    const idText = /\/ws\/chat\/([^/]*)/.exec(url.pathname)?.[1] ?? '';
    const ticket = url.searchParams.get('ticket');
    const token = url.searchParams.get('token');
    const via = ticket ? 'ticket' : token ? 'token' : 'none';
    const refuse = (code: number, later: boolean): void => {
      this.handshakes.push({ conversationId: idText, via, result: code });
      // The reference server accepts, then closes (the browser sees the code); a seed refuses.
      if (later) setTimeout(() => client.close(code), 0);
      else client.close(code);
    };
    if (this.blocked) return refuse(1006, false);
    if (seed) return this.#acceptSeed(client, idText, token, refuse);
    let username: string | null = null;
    if (ticket) {
      const entry = state.tickets.get(ticket);
      if (entry && !entry.spent && String(entry.conversationId) === idText) username = entry.username;
      if (entry) entry.spent = true;
    } else if (token) {
      username = state.authenticate(token);
    }
    const code = this.handshakeCodes.shift();
    if (code !== undefined) return refuse(code, true);
    if (!username) return refuse(4001, true);
    const conversation = /^\d+$/.test(idText) ? state.conversations.get(Number(idText)) : undefined;
    if (!conversation) return refuse(4004, true);
    if (!state.isMember(conversation, username)) return refuse(4003, true);
    const connection = this.#attach(client, username, conversation.id, via, idText);
    const user = state.user(username)!;
    this.send(connection, {
      type: 'hello',
      connection_id: `c-${state.nextId()}`,
      user: { id: String(user.id), username, display_name: user.display_name },
      last_seq: state.messages.get(conversation.id)!.length,
    });
  }

  /** A seed refuses with 403 (1006 in a browser) and still tells the members `user_left`. */
  #acceptSeed(
    client: WebSocketClientConnectionProtocol,
    idText: string,
    token: string | null,
    refuse: (code: number, later: boolean) => void,
  ): void {
    const { state } = this.server;
    const result = seedHandshake(state, idText, token);
    const forced = this.handshakeCodes.shift();
    if ('refused' in result || forced !== undefined) {
      refuse(1006, false);
      const who = 'refused' in result ? result.refused : { user_id: 'None', username: '' };
      if (/^\d+$/.test(idText)) seedPresence(this, Number(idText), 'user_left', who);
      return;
    }
    const connection = this.#attach(client, result.username, result.conversationId, 'token', idText);
    const who = { user_id: String(state.user(result.username)!.id), username: result.username };
    seedPresence(this, result.conversationId, 'user_joined', who);
    client.addEventListener('close', () => seedPresence(this, connection.conversationId, 'user_left', who));
  }

  #attach(
    client: WebSocketClientConnectionProtocol,
    username: string,
    conversationId: number,
    via: 'ticket' | 'token' | 'none',
    idText: string,
  ): Connection {
    const connection: Connection = { client, username, conversationId };
    this.open.add(connection);
    this.handshakes.push({ conversationId: idText, via, result: 'open' });
    client.addEventListener('close', () => this.open.delete(connection));
    client.addEventListener('message', (event: MessageEvent) => this.#onFrame(connection, event.data));
    return connection;
  }

  send(connection: Connection, frame: Record<string, unknown>): void {
    const rule = this.dropRules.find((r) => r.remaining > 0 && r.predicate(frame));
    if (rule) {
      rule.remaining -= 1;
      return;
    }
    try {
      // A seed writes frames with Python's `json.dumps` spacing.
      connection.client.send(this.server.profile === 'seed' ? pyJson(frame) : JSON.stringify(frame));
    } catch {
      // closed meanwhile
    }
  }

  /** Sends to every socket of the conversation except those `skip` is true for. */
  broadcast(conversationId: number, frame: Record<string, unknown>, skip?: (c: Connection) => boolean): void {
    for (const c of this.open) if (c.conversationId === conversationId && !skip?.(c)) this.send(c, frame);
  }

  broadcastMessage(message: StoredMessage): void {
    const { state } = this.server;
    this.broadcast(message.conversationId, {
      type: 'message:new',
      message: state.profile === 'seed' ? seedSocketMessage(message) : state.wireMessage(message, true),
    });
  }

  closeAll(code: number, reason = ''): void {
    for (const c of [...this.open]) {
      this.open.delete(c);
      c.client.close(code, reason);
    }
  }

  #onFrame(connection: Connection, data: unknown): void {
    const { state, profile } = this.server;
    let frame: Record<string, unknown>;
    try {
      frame = JSON.parse(String(data));
    } catch {
      if (profile === 'seed') return this.send(connection, { type: 'error', message: 'Invalid JSON' });
      return this.send(connection, { type: 'error', code: 'bad_json', message: 'Bad JSON' });
    }
    this.server.record('frame', {
      conversationId: String(connection.conversationId),
      username: connection.username,
      frame,
    });
    if (profile === 'seed') return seedFrame(this, state, connection, frame);
    const user = state.user(connection.username)!;
    switch (frame.type) {
      case 'message': {
        const text = typeof frame.text === 'string' ? frame.text.trim() : '';
        if (!text && frame.attachment_id == null)
          return this.send(connection, { type: 'error', code: 'invalid_message', message: 'Empty' });
        if ([...text].length > 1000)
          return this.send(connection, { type: 'error', code: 'message_too_long', message: 'Too long' });
        const clientId = typeof frame.client_id === 'string' ? frame.client_id : null;
        const key = `${connection.username}:${clientId}`;
        const repeat = clientId ? state.idempotency.get(key) : undefined;
        if (repeat)
          return this.send(connection, {
            type: 'message:ack',
            client_id: clientId,
            message_id: String(repeat.id),
            seq: repeat.seq,
          });
        const message = state.storeMessage(connection.conversationId, {
          text,
          sender: connection.username,
          senderName: user.display_name,
          type: 'user',
          clientId,
          attachmentId: frame.attachment_id == null ? null : Number(frame.attachment_id),
        });
        if (clientId) state.idempotency.set(key, message);
        this.broadcastMessage(message);
        this.send(connection, {
          type: 'message:ack',
          client_id: clientId,
          message_id: String(message.id),
          seq: message.seq,
        });
        this.server.runBot(message);
        return;
      }
      case 'typing':
        return this.broadcast(
          connection.conversationId,
          { type: 'typing', user_id: state.id(user.id), username: user.username, is_typing: Boolean(frame.is_typing) },
          (c) => c === connection,
        );
      case 'read': {
        const ids = Array.isArray(frame.message_ids) ? frame.message_ids.map(Number) : [];
        const max = Math.max(...ids);
        for (const m of state.messages.get(connection.conversationId) ?? []) {
          if (m.id <= max && m.sender !== connection.username) m.status = 'read';
        }
        return this.broadcast(connection.conversationId, {
          type: 'read',
          message_ids: ids.map((id) => state.id(id)),
          user_id: state.id(user.id),
          username: user.username,
          read_at: new Date().toISOString(),
        });
      }
      case 'sync': {
        const after = Number(frame.after_seq ?? 0);
        const list = state.messages.get(connection.conversationId) ?? [];
        const later = list.filter((m) => m.seq > after);
        for (const m of later.slice(0, 500))
          this.send(connection, { type: 'message:new', message: state.wireMessage(m, true) });
        return this.send(connection, { type: 'synced', last_seq: list.length, more: later.length > 500 });
      }
      case 'ping':
        return this.send(connection, { type: 'pong' });
    }
    this.send(connection, { type: 'error', code: 'unknown_type', message: `Unknown type ${String(frame.type)}` });
  }
}
