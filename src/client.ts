/**
 * ChatClient: wires auth, REST, the connection, the outbox and the store together. The work is
 * done in those layers; this file only connects their callbacks and exposes the public API.
 */
import * as authApi from './api/auth.js';
import { getBotPrompts, postRead, postTyping, postUserResponse } from './api/chat.js';
import * as conversations from './api/conversations.js';
import { Http } from './api/http.js';
import { getMessages, type MessagePageQuery } from './api/messages.js';
import { getWsTicket } from './api/realtime.js';
import { uploadAttachment, type UploadOptions } from './api/uploads.js';
import { memoryCredentials } from './auth/credentials.js';
import { TokenManager } from './auth/token-manager.js';
import type { ChatClientOptions, SendOptions } from './client-options.js';
import { HttpError, ValidationError } from './errors.js';
import { Emitter, type ChatMessage, type ClientEvents, type ConnectionState, type TypingChange } from './events.js';
import { Delivery } from './outbox/delivery.js';
import { idbOutboxStorage } from './outbox/idb-storage.js';
import type { QueuedOutboxEntry } from './outbox/outbox-entry.js';
import { Outbox } from './outbox/outbox.js';
import { ConversationSync } from './store/conversation-sync.js';
import { MessageStore } from './store/message-store.js';
import { OwnTyping } from './store/own-typing.js';
import { TypingTracker } from './store/typing-tracker.js';
import { DEFAULT_TIMING, type Timing } from './timing.js';
import { Connection } from './transport/connection.js';
import { Poller } from './transport/http-transport.js';
import type { Attachment, BotPrompt, Conversation, ConversationPage, Id, Message, User } from './types.js';
import { newClientId } from './util/ids.js';
import { createLogger } from './util/log.js';

/**
 * The headless Parley chat client: sign in, follow a conversation over a WebSocket (or HTTP when
 * the socket is blocked), send through a durable outbox, and read an ordered, deduplicated store.
 *
 * @example
 * const client = new ChatClient({ apiUrl: 'https://chat.example.com' });
 * client.on('message', (m) => console.log(m.senderName, m.text));
 * await client.login('alice', 'alice123');
 * await client.send('Hello!'); // creates a conversation and connects to it
 */
export class ChatClient {
  readonly #events = new Emitter<ClientEvents>();
  readonly #botName: string;
  readonly #tokens: TokenManager;
  readonly #http: Http;
  readonly #store: MessageStore;
  readonly #typing: TypingTracker;
  readonly #ownTyping: OwnTyping;
  readonly #connection: Connection;
  readonly #outbox: Outbox;
  readonly #delivery: Delivery;
  readonly #sync: ConversationSync;
  readonly #poller: Poller;
  #conversationId: Id | null = null;
  #user: User | null = null;
  /** Learned from `ws-ticket`: a 404 means a seed backend. Null until known. */
  #seed: boolean | null = null;
  #probe: Promise<void> | null = null;
  #destroyed = false;
  #unlisten: () => void = () => {};

  constructor(options: ChatClientOptions = {}) {
    const timing: Timing = { ...DEFAULT_TIMING, ...options.timing };
    const random = options.random ?? Math.random;
    const logger = createLogger(options.debug);
    this.#botName = options.botName ?? 'Bot';
    const emit = this.#events.emit.bind(this.#events);
    const onError = (error: ClientEvents['error']): void => emit('error', error);
    const credentials = options.credentials ?? memoryCredentials();
    this.#tokens = new TokenManager({
      token: options.token,
      getToken: options.getToken,
      credentials,
      refreshSkewMs: timing.refreshSkewMs,
      callRefresh: (refresh) => authApi.refresh(this.#http, refresh),
      onExpired: (reason) => {
        if (this.#connection.state.status !== 'closed') this.#connection.stop('auth-expired');
        emit('auth-expired', { reason });
      },
      log: logger('auth'),
    });
    const apiUrl = options.apiUrl ?? globalThis.location?.origin ?? '';
    this.#http = new Http({ apiUrl, tokens: this.#tokens, timeoutMs: timing.requestTimeoutMs, log: logger('http') });
    this.#store = new MessageStore({
      username: () => this.#user?.username ?? this.#tokens.username,
      onMessage: (m) => emit('message', m),
      onStatus: (s) => emit('message-status', s),
      onChange: (conversationId) => emit('messages', { conversationId }),
    });
    this.#typing = new TypingTracker(timing.typingExpireMs, (t) => emit('typing', t));
    const openConversation = (): Id | null => (this.#connection.isOpen ? this.#conversationId : null);
    const sendFrame = this.#sendFrame.bind(this);
    this.#delivery = new Delivery({
      http: this.#http,
      store: this.#store,
      timing,
      isSeed: () => this.#seed === true,
      openConversation,
      sendFrame,
      botName: () => this.#botName,
      afterHttpSend: () => void this.#poller.now(),
    });
    this.#sync = new ConversationSync({
      http: this.#http,
      store: this.#store,
      typing: this.#typing,
      delivery: this.#delivery,
      log: logger('sync'),
      isSeed: () => this.#seed === true,
      openConversation,
      sendFrame,
      botName: () => this.#botName,
      onRead: (r) => emit('read', r),
      onPresence: (p) => emit('presence', p),
      onError,
    });
    this.#poller = new Poller(
      async () => (this.#conversationId ? this.#sync.fetchNew(this.#conversationId) : undefined),
      timing.pollMs,
      logger('poll'),
    );
    this.#ownTyping = new OwnTyping((typing) => this.#sendTyping(typing), timing.typingThrottleMs, timing.typingIdleMs);
    this.#connection = new Connection({
      timing,
      random,
      log: logger('socket'),
      socketUrl: (id) => this.#socketUrl(id, apiUrl),
      isSeed: () => this.#seed === true,
      refreshAuth: async () => void (await this.#tokens.refresh(credentials.get()?.token ?? options.token ?? null)),
      authRejected: () => void this.#tokens.expire('socket-rejected'),
      onState: (state) => emit('state', state),
      onFrame: (frame) => this.#conversationId && this.#sync.handleFrame(this.#conversationId, frame),
      onOpen: (hello) => {
        if (hello) this.#user ??= hello.user;
        if (this.#conversationId) void this.#sync.catchUp(this.#conversationId);
        this.#outbox.kick();
      },
      onDown: () => {
        this.#delivery.socketDown();
        this.#sync.reset();
      },
      onFallback: (active) => (active ? this.#poller.start() : this.#poller.stop()),
      onTooBig: () => this.#delivery.tooBig(),
    });
    this.#outbox = new Outbox({
      storage: options.storage ?? idbOutboxStorage(),
      timing,
      random,
      log: logger('outbox'),
      canDeliver: () => !this.#destroyed && this.#tokens.usable,
      deliver: (entry) => this.#deliver(entry),
      onFailed: (entry) => this.#store.setLocalStatus(entry.conversationId, entry.clientId, 'failed', entry.failure),
      onError,
    });
    void this.#outbox.loaded.then((entries) => {
      for (const entry of entries) this.#store.addPending(entry, this.#displayName());
      if (entries.length) this.#outbox.kick();
    });
    const win = globalThis.window;
    if (win?.addEventListener) {
      const online = (): void => this.#outbox.kick();
      win.addEventListener('online', online);
      this.#unlisten = () => win.removeEventListener('online', online);
    }
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof ClientEvents>(event: K, listener: (payload: ClientEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  off<K extends keyof ClientEvents>(event: K, listener: (payload: ClientEvents[K]) => void): void {
    this.#events.off(event, listener);
  }

  /** The connection state (see `ConnectionState`). */
  get state(): ConnectionState {
    return this.#connection.state;
  }

  /** The signed-in user, after `login()`/`me()` or the socket's `hello`. */
  get user(): User | null {
    return this.#user;
  }

  /** How messages currently travel: `websocket`, `http` (fallback) or null. */
  get transport(): 'websocket' | 'http' | null {
    return this.#connection.transport;
  }

  isAuthenticated(): boolean {
    return this.#tokens.usable;
  }

  isConnected(): boolean {
    return this.#connection.isOpen;
  }

  getConversationId(): Id | null {
    return this.#conversationId;
  }

  /** Signs in and keeps the session in `credentials`. */
  async login(username: string, password: string): Promise<User> {
    const answer = await authApi.login(this.#http, username, password);
    this.#tokens.setSession({ token: answer.token, refresh: answer.refresh, username: answer.username });
    const user = await this.me().catch(() => ({ id: '', username: answer.username, display_name: answer.username }));
    this.#outbox.kick();
    return user;
  }

  /** Revokes the refresh token, clears credentials, outbox and store, and disconnects. */
  async logout(): Promise<void> {
    const session = this.#tokens.session;
    await authApi.logout(this.#http, session?.refresh).catch(() => undefined);
    this.#tokens.clear();
    this.disconnect();
    await this.#outbox.clear();
    this.#store.clear();
    this.#typing.clear();
    this.#user = null;
    this.#setConversation(null);
  }

  /** `GET /api/auth/me`. */
  async me(): Promise<User> {
    return (this.#user = await authApi.me(this.#http));
  }

  /** Follows a conversation: loads its messages, opens its socket, emits `conversation`. */
  async connect(conversationId: Id): Promise<void> {
    this.#setConversation(conversationId);
    this.#poller.stop();
    this.#connection.start(conversationId);
    await this.#sync.fetchNew(conversationId);
  }

  /** Closes the socket and stops polling (state `closed`, reason `disconnected`). */
  disconnect(): void {
    this.#poller.stop();
    this.#connection.stop('disconnected');
  }

  /** Reconnects at once (the "retry now" button). */
  retryNow(): void {
    this.#connection.retryNow();
    this.#outbox.kick();
  }

  /**
   * Queues a message durably and resolves with its pending bubble; delivery follows (socket or
   * REST, retried with the same `client_id`). With no conversation yet, one is created first.
   */
  async send(text: string, options: SendOptions = {}): Promise<ChatMessage> {
    const trimmed = text.trim();
    if (!trimmed && !options.attachmentId) {
      throw new ValidationError('Cannot send an empty message', { code: 'invalid', fields: { message: ['This field may not be blank.'] } });
    }
    let conversationId = options.conversationId ?? this.#conversationId;
    if (!conversationId) {
      try {
        conversationId = (await this.createConversation()).id;
      } catch (error) {
        if (!(error instanceof HttpError) || (error.status !== 404 && error.status !== 405)) throw error;
        // A seed backend creates the conversation with the first user-response.
        const stored = await postUserResponse(this.#http, { message: trimmed, client_id: newClientId() });
        await this.connect(stored.conversation_id);
        return this.#store.list(stored.conversation_id).find((m) => m.id === stored.message_id)!;
      }
      void this.connect(conversationId).catch((error) => this.#events.emit('error', error));
    }
    const entry: QueuedOutboxEntry = {
      kind: 'message',
      status: 'queued',
      clientId: newClientId(),
      conversationId,
      text: trimmed,
      attachmentId: options.attachmentId ?? null,
      createdAt: new Date().toISOString(),
      order: this.#outbox.nextOrder(),
      attempts: 0,
    };
    const bubble = this.#store.addPending(entry, this.#displayName());
    this.#ownTyping.stop();
    await this.#outbox.enqueue(entry);
    return bubble;
  }

  /** Re-queues a failed message with the same `client_id`. */
  async retry(clientId: string): Promise<void> {
    const entry = this.#outbox.get(clientId);
    if (entry?.status !== 'failed') return;
    this.#store.setLocalStatus(entry.conversationId, clientId, 'pending');
    await this.#outbox.retry(clientId);
  }

  /** Drops a queued or failed message. */
  async discard(clientId: string): Promise<void> {
    const entry = await this.#outbox.discard(clientId);
    if (entry) this.#store.remove(entry.conversationId, clientId);
  }

  /** How many sends wait in the outbox (failed ones included). */
  outboxSize(): Promise<number> {
    return this.#outbox.size();
  }

  uploadAttachment(file: Blob & { name?: string }, options: UploadOptions = {}): Promise<Attachment> {
    return uploadAttachment(this.#http, file, { ...options, conversationId: options.conversationId ?? this.#conversationId });
  }

  listConversations(options: { cursor?: string } = {}): Promise<ConversationPage> {
    return conversations.listConversations(this.#http, options.cursor);
  }

  getConversation(id: Id): Promise<Conversation> {
    return conversations.getConversation(this.#http, id);
  }

  createConversation(options: { title?: string } = {}): Promise<Conversation> {
    return conversations.createConversation(this.#http, options.title);
  }

  /** One page of messages over REST, normalised (does not touch the store). */
  getMessages(conversationId: Id, query: MessagePageQuery = {}): Promise<Message[]> {
    return getMessages(this.#http, conversationId, query);
  }

  /** Marks read up to `messageId` (default: the newest message of the current conversation). */
  async markRead(messageId?: Id): Promise<void> {
    const id = messageId ?? [...this.messages()].reverse().find((m) => m.id !== null)?.id;
    if (id) await postRead(this.#http, id);
  }

  /** Reports own typing; throttled, with `false` after an idle pause and after a send. */
  setTyping(isTyping: boolean): void {
    this.#ownTyping.set(isTyping);
  }

  getPrompts(): Promise<BotPrompt[]> {
    return getBotPrompts(this.#http);
  }

  /** The ordered, deduplicated messages of a conversation (default: the current one). */
  messages(conversationId: Id | null = this.#conversationId): readonly ChatMessage[] {
    return conversationId ? this.#store.list(conversationId) : [];
  }

  /** Fetches the page before the oldest message held; true when more remain. */
  async loadOlder(conversationId: Id | null = this.#conversationId): Promise<boolean> {
    const oldest = conversationId ? this.#store.list(conversationId).find((m) => m.seq !== null) : undefined;
    if (!conversationId || !oldest?.seq || oldest.seq <= 1 || this.#seed) return false;
    const page = await getMessages(this.#http, conversationId, { beforeSeq: oldest.seq, limit: 50 });
    this.#store.ingest(page);
    return (page[0]?.seq ?? 1) > 1;
  }

  /** Who else is typing now (never this tab itself). */
  typingUsers(conversationId: Id | null = this.#conversationId): TypingChange[] {
    return conversationId ? this.#typing.list(conversationId) : [];
  }

  /** Stops everything: socket, polling, timers, listeners. The client cannot be used again. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#poller.stop();
    this.#connection.stop('destroyed');
    this.#outbox.dispose();
    this.#http.abortAll();
    this.#tokens.dispose();
    this.#typing.clear();
    this.#ownTyping.dispose();
    this.#unlisten();
    this.#events.removeAll();
  }

  #displayName(): string {
    return this.#user?.display_name ?? this.#tokens.username ?? '';
  }

  #setConversation(id: Id | null): void {
    if (id === this.#conversationId) return;
    this.#conversationId = id;
    this.#events.emit('conversation', { conversationId: id });
  }

  #sendFrame(frame: Parameters<Connection['send']>[0]): boolean {
    return this.#connection.send(frame);
  }

  #sendTyping(isTyping: boolean): void {
    const id = this.#conversationId;
    if (!id || this.#sendFrame({ type: 'typing', is_typing: isTyping })) return;
    postTyping(this.#http, id, isTyping).catch(() => undefined);
  }

  async #socketUrl(conversationId: Id, apiUrl: string): Promise<string> {
    const base = apiUrl.replace(/^http/, 'ws').replace(/\/$/, '');
    const path = `${base}/ws/chat/${encodeURIComponent(conversationId)}/`;
    if (this.#seed !== true) {
      try {
        const { ticket } = await getWsTicket(this.#http, conversationId);
        this.#seed = false;
        return `${path}?ticket=${encodeURIComponent(ticket)}`;
      } catch (error) {
        if (!(error instanceof HttpError) || (error.status !== 404 && error.status !== 405)) throw error;
        this.#seed = true;
      }
    }
    const token = await this.#tokens.token();
    return `${path}?token=${encodeURIComponent(token ?? '')}`;
  }

  /** Knows the backend's kind before the first delivery (a seed needs `bot-response`). */
  async #deliver(entry: QueuedOutboxEntry): Promise<void> {
    if (this.#seed === null) {
      this.#probe ??= getWsTicket(this.#http, entry.conversationId).then(
        () => void (this.#seed = false),
        (error: unknown) => {
          if (error instanceof HttpError && (error.status === 404 || error.status === 405)) this.#seed = true;
          this.#probe = null;
        },
      );
      await this.#probe;
    }
    return this.#delivery.deliver(entry);
  }
}

/** Same as `new ChatClient(options)`. */
export function createClient(options: ChatClientOptions = {}): ChatClient {
  return new ChatClient(options);
}
