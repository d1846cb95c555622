/**
 * A scriptable stand-in for ChatClient with the same shape (ChatClientLike): tests drive the
 * element's view through it deterministically (acks, bot replies, typing, failures, states).
 */
import {
  Emitter,
  TransportError,
  type BotPrompt,
  type ChatMessage,
  type ClientEvents,
  type ConnectionState,
  type Conversation,
  type Id,
  type TypingChange,
  type User,
} from '../../../src/index.js';
import type { ChatClientLike, UploadProgress } from '../../../components/chat/chat-client-like.js';

let counter = 0;

export function makeMessage(partial: Partial<ChatMessage> & { text: string }): ChatMessage {
  const n = ++counter;
  return {
    key: partial.clientId ?? partial.id ?? `m${n}`,
    id: `${n}`,
    seq: n,
    conversationId: '1',
    clientId: null,
    type: 'bot',
    sender: null,
    senderName: 'Bot',
    attachment: null,
    status: 'sent',
    createdAt: new Date(Date.UTC(2026, 10, 25, 10, 0, 0) + n * 1000).toISOString(),
    own: false,
    ...partial,
    streamState: partial.streamState ?? null,
  };
}

export class FakeClient implements ChatClientLike {
  readonly events = new Emitter<ClientEvents>();
  state: ConnectionState = { status: 'open', transport: 'websocket' };
  user: User | null = null;
  conversationId: Id | null = null;
  list: ChatMessage[] = [];
  older: ChatMessage[] = [];
  typingList: TypingChange[] = [];
  prompts: BotPrompt[] = [
    { id: '1', title: 'Track my order', text: 'Where is my order?', order: 1 },
    { id: '2', title: 'Talk to support', text: 'help', order: 2 },
  ];
  conversations: Conversation[] = [];
  validPassword = 'alice123';
  calls: Array<[string, ...unknown[]]> = [];
  /** When set, `send` makes the message fail right after queueing it. */
  failNextSend = false;

  constructor(options: { authenticated?: boolean; conversationId?: Id | null } = {}) {
    if (options.authenticated) this.user = { id: '7', username: 'alice', display_name: 'Alice' };
    this.conversationId = options.conversationId ?? null;
  }

  on<K extends keyof ClientEvents>(event: K, listener: (payload: ClientEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }
  isAuthenticated(): boolean {
    return this.user !== null;
  }
  isConnected(): boolean {
    return this.state.status === 'open';
  }
  async login(username: string, password: string): Promise<User> {
    this.calls.push(['login', username]);
    if (password !== this.validPassword) {
      throw Object.assign(new Error('Login failed for alice'), { status: 401, code: 'authentication_failed' });
    }
    this.user = { id: '7', username, display_name: username[0]!.toUpperCase() + username.slice(1) };
    return this.user;
  }
  async logout(): Promise<void> {
    this.calls.push(['logout']);
    this.user = null;
    this.conversationId = null;
    this.list = [];
  }
  async me(): Promise<User> {
    return this.user!;
  }
  async connect(id: Id): Promise<void> {
    this.calls.push(['connect', id]);
    this.conversationId = id;
    this.events.emit('conversation', { conversationId: id });
  }
  disconnect(): void {}
  retryNow(): void {
    this.calls.push(['retryNow']);
  }
  getConversationId(): Id | null {
    return this.conversationId;
  }
  async send(text: string, options: { attachmentId?: Id } = {}): Promise<ChatMessage> {
    this.calls.push(['send', text, options.attachmentId]);
    if (!this.conversationId) {
      this.conversationId = '1';
      this.events.emit('conversation', { conversationId: '1' });
    }
    const clientId = `c-${++counter}`;
    const message = makeMessage({
      text,
      clientId,
      key: clientId,
      id: null,
      seq: null,
      type: 'user',
      sender: this.user?.username ?? null,
      senderName: this.user?.display_name ?? '',
      status: 'pending',
      own: true,
      conversationId: this.conversationId,
      createdAt: new Date().toISOString(),
      attachment: options.attachmentId
        ? {
            attachment_id: options.attachmentId,
            file_url: '/uploads/abc',
            file_name: 'photo.png',
            file_size: 2048,
            content_type: 'image/png',
          }
        : null,
    });
    this.list = [...this.list, message];
    this.events.emit('message', message);
    this.events.emit('messages', { conversationId: this.conversationId });
    if (this.failNextSend) {
      this.failNextSend = false;
      this.setStatus(clientId, 'failed', { reason: 'Network error' });
    }
    return message;
  }
  async retry(clientId: string): Promise<void> {
    this.calls.push(['retry', clientId]);
    this.setStatus(clientId, 'pending');
  }
  /** Changes a held message's status the way the client would (ack, delivered, failed). */
  setStatus(clientId: string, status: ChatMessage['status'], failure?: { reason: string }): void {
    this.list = this.list.map((m) =>
      m.clientId === clientId ? { ...m, status, failure, id: m.id ?? `${++counter}` } : m,
    );
    const m = this.list.find((x) => x.clientId === clientId)!;
    this.events.emit('message-status', {
      conversationId: m.conversationId,
      key: m.key,
      clientId,
      messageId: m.id,
      status,
      failure,
    });
    this.events.emit('messages', { conversationId: m.conversationId });
  }
  /** A message from someone else (the bot, another user) arrives. */
  receive(partial: Partial<ChatMessage> & { text: string }): ChatMessage {
    const m = makeMessage({ conversationId: this.conversationId ?? '1', ...partial });
    this.list = [...this.list, m];
    this.events.emit('message', m);
    this.events.emit('messages', { conversationId: m.conversationId });
    return m;
  }
  async cancel(messageId: Id): Promise<void> {
    this.calls.push(['cancel', messageId]);
  }
  /** A streamed bot reply grows by `added` the way the client applies a `message:delta`. */
  grow(reply: ChatMessage, added: string): void {
    this.#update(reply, { text: reply.text + added });
    const m = this.list.find((x) => x.key === reply.key)!;
    this.events.emit('message-delta', {
      conversationId: m.conversationId,
      messageId: m.id!,
      key: m.key,
      text: m.text,
      added,
    });
    this.events.emit('messages', { conversationId: m.conversationId });
  }
  /** A streamed bot reply ends the way the client applies a `message:end`. */
  endReply(reply: ChatMessage, streamState: 'complete' | 'stopped' | 'failed', text: string): void {
    this.#update(reply, { text, streamState });
    this.events.emit('message-end', {
      conversationId: reply.conversationId,
      messageId: reply.id!,
      key: reply.key,
      streamState,
      text,
    });
    this.events.emit('messages', { conversationId: reply.conversationId });
  }
  #update(reply: ChatMessage, patch: Partial<ChatMessage>): void {
    this.list = this.list.map((m) => (m.key === reply.key ? { ...m, ...patch } : m));
  }
  setTypingOf(change: Omit<TypingChange, 'conversationId'>): void {
    const full = { conversationId: this.conversationId ?? '1', ...change };
    this.typingList = this.typingList.filter((t) => t.username !== full.username);
    if (full.isTyping) this.typingList.push(full);
    this.events.emit('typing', full);
  }
  setState(state: ConnectionState): void {
    this.state = state;
    this.events.emit('state', state);
  }
  async uploadAttachment(
    file: Blob & { name?: string },
    options: { onProgress?: (p: UploadProgress) => void; signal?: AbortSignal } = {},
  ) {
    this.calls.push(['upload', file.name]);
    options.onProgress?.({ loaded: file.size / 2, total: file.size, fraction: 0.5 });
    return new Promise<never>((_, reject) => {
      options.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    });
  }
  /** How many of the next `listConversations` calls fail as if the network were down. */
  failListConversations = 0;
  async listConversations() {
    if (this.failListConversations > 0) {
      this.failListConversations--;
      throw new TransportError('GET /api/chat/conversations/ failed: network down', { retryable: true });
    }
    return { next: null, previous: null, results: this.conversations };
  }
  async getConversation(id: Id) {
    return this.conversations.find((c) => c.id === id)!;
  }
  async createConversation(): Promise<Conversation> {
    const c = conversation(`${100 + this.conversations.length}`, 'New chat');
    this.conversations = [c, ...this.conversations];
    return c;
  }
  async markRead(): Promise<void> {}
  setTyping(isTyping: boolean): void {
    this.calls.push(['setTyping', isTyping]);
  }
  async getPrompts(): Promise<BotPrompt[]> {
    return this.prompts;
  }
  messages(id?: Id): readonly ChatMessage[] {
    return (id ?? this.conversationId) === this.conversationId ? this.list : [];
  }
  /** While set, `loadOlder` waits for it (a slow network), so a test can look at the fetch under way. */
  olderGate: Promise<void> | null = null;
  async loadOlder(): Promise<boolean> {
    this.calls.push(['loadOlder']);
    if (this.olderGate) await this.olderGate;
    const page = this.older.splice(Math.max(0, this.older.length - 50));
    this.list = [...page, ...this.list];
    if (page.length) this.events.emit('messages', { conversationId: this.conversationId! });
    return this.older.length > 0;
  }
  typingUsers(): TypingChange[] {
    return this.typingList;
  }
  destroy(): void {}
}

export function conversation(id: Id, title: string): Conversation {
  return {
    id,
    title,
    created_at: '2026-11-25T10:00:00.000Z',
    updated_at: '2026-11-25T10:00:00.000Z',
    participant_count: 1,
    participants: [],
    last_message: null,
  };
}
