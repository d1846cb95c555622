/**
 * ChatClient: the public API. The layers (auth, REST, connection, outbox, store) are built and
 * connected in `client-wiring.ts`; each method here delegates to one of them.
 */
import * as authApi from './api/auth.js';
import { getBotPrompts, postRead } from './api/chat.js';
import * as conversations from './api/conversations.js';
import { getMessages, type MessagePageQuery } from './api/messages.js';
import { uploadAttachment, type UploadOptions } from './api/uploads.js';
import type { ChatClientOptions, SendOptions } from './client-options.js';
import { wireClient, type ClientParts } from './client-wiring.js';
import { AuthError, ValidationError } from './errors.js';
import type { ChatMessage, ClientEvents, ConnectionState, TypingChange } from './events.js';
import { NEW_CONVERSATION, type QueuedOutboxEntry } from './outbox/outbox-entry.js';
import type { TabRole } from './tabs/tab-link.js';
import type { Attachment, BotPrompt, Conversation, ConversationPage, Id, Message, User } from './types.js';
import { newClientId } from './util/ids.js';

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
  readonly #parts: ClientParts;

  constructor(options: ChatClientOptions = {}) {
    this.#parts = wireClient(options, {
      follow: (id) => this.connect(id),
      run: async (name, args) => (this[name] as (...a: unknown[]) => unknown)(...args),
    });
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof ClientEvents>(event: K, listener: (payload: ClientEvents[K]) => void): () => void {
    return this.#parts.events.on(event, listener);
  }

  /** Removes a listener added with `on`. */
  off<K extends keyof ClientEvents>(event: K, listener: (payload: ClientEvents[K]) => void): void {
    this.#parts.events.off(event, listener);
  }

  /** The connection state (see `ConnectionState`). */
  get state(): ConnectionState {
    return this.#parts.connection.state;
  }

  /** The signed-in user, after `login()`/`me()` or the socket's `hello`. */
  get user(): User | null {
    return this.#parts.ctx.user;
  }

  /** How messages currently travel: `websocket`, `http` (fallback) or null. */
  get transport(): 'websocket' | 'http' | null {
    return this.#parts.connection.transport;
  }

  /**
   * The kind of server, once the first connect found out: `reference` (all of PROTOCOL.md) or
   * `seed` (only the [seed] rows, §6: no "new conversation", no uploads, no read receipts).
   */
  get backend(): 'reference' | 'seed' | null {
    const seed = this.#parts.backend.seed;
    return seed === null ? null : seed ? 'seed' : 'reference';
  }

  /**
   * This tab's part in one connection per browser: `leader` (holds the socket and sends the
   * outbox for every tab of this user), `follower` (the leader does), or `solo` (works alone:
   * option `tabs` off, nobody signed in, or no Web Locks/BroadcastChannel). A page that plays a
   * sound for new messages plays it where this is not `follower`: once per browser.
   */
  get tabRole(): TabRole {
    return this.#parts.tabs.role;
  }

  /** Whether a token source is available and has not expired for good. */
  isAuthenticated(): boolean {
    return this.#parts.tokens.usable;
  }

  /** Whether the socket is open (past its handshake). */
  isConnected(): boolean {
    return this.#parts.connection.isOpen;
  }

  /** The conversation the client follows, or null. */
  getConversationId(): Id | null {
    return this.#parts.ctx.conversationId;
  }

  /**
   * Signs in and keeps the session in `credentials`. Signing in as someone else than the user
   * before first empties everything the client held for that user (see the `session` event).
   */
  async login(username: string, password: string): Promise<User> {
    const answer = await authApi.login(this.#parts.http, username, password);
    this.#parts.tokens.setSession({ token: answer.token, refresh: answer.refresh, username: answer.username });
    this.#parts.scope.update('login');
    const user = await this.me().catch(() => ({ id: '', username: answer.username, display_name: answer.username }));
    this.#parts.outbox.kick();
    return user;
  }

  /**
   * Revokes the refresh token, deletes this user's queued sends, clears credentials and store, and
   * disconnects. Other users' unsent messages on this device are left alone.
   */
  async logout(): Promise<void> {
    const session = this.#parts.tokens.session;
    this.disconnect();
    await this.#parts.outbox.clear();
    await authApi.logout(this.#parts.http, session?.refresh).catch(() => undefined);
    this.#parts.tokens.clear();
    this.#parts.scope.update('logout');
    this.#parts.store.clear();
    this.#parts.typing.clear();
    this.#parts.ctx.user = null;
    this.#parts.setConversation(null);
  }

  /** `GET /api/auth/me`. */
  async me(): Promise<User> {
    this.#parts.ctx.user = await authApi.me(this.#parts.http);
    this.#parts.scope.update('identified');
    return this.#parts.ctx.user;
  }

  /**
   * Follows a conversation: opens its socket, loads its newest page (a seed backend: all of it,
   * by offset), and emits `conversation`.
   */
  async connect(conversationId: Id): Promise<void> {
    if (this.#parts.tabs.follows) return void (await this.#parts.tabs.command('connect', conversationId));
    const status = this.#parts.connection.state.status;
    const following = conversationId === this.#parts.ctx.conversationId && status !== 'idle' && status !== 'closed';
    this.#parts.setConversation(conversationId);
    if (!following) {
      this.#parts.poller.stop();
      this.#parts.connection.start(conversationId);
    }
    // With a host token the username is unknown: own messages need it before they arrive.
    if (!this.#parts.ctx.user && !this.#parts.tokens.username) await this.me().catch(() => undefined);
    await this.#parts.sync.load(conversationId);
  }

  /** Closes the socket and stops polling (state `closed`, reason `disconnected`). */
  disconnect(): void {
    this.#parts.poller.stop();
    this.#parts.connection.stop('disconnected');
  }

  /** Reconnects at once (the "retry now" button). */
  retryNow(): void {
    if (this.#parts.tabs.follows) return void this.#parts.tabs.command('retryNow').catch(() => undefined);
    this.#parts.connection.retryNow();
    this.#parts.outbox.kick();
  }

  /**
   * Queues a message durably and resolves with its pending bubble; delivery follows (socket or
   * REST, retried with the same `client_id`). With no conversation yet, the first queued send
   * creates one when it is delivered (also offline, also after a reload), and every send queued
   * before that joins the same conversation.
   */
  async send(text: string, options: SendOptions = {}): Promise<ChatMessage> {
    const trimmed = text.trim();
    if (!trimmed && !options.attachmentId) {
      throw new ValidationError('Cannot send an empty message', {
        code: 'invalid',
        fields: { message: ['This field may not be blank.'] },
      });
    }
    // A host token's user is learnt from the server: queued sends must know whose they are.
    if (!this.#parts.scope.owner && this.#parts.tokens.usable) await this.me();
    if (!this.#parts.scope.owner)
      throw new AuthError('Cannot send: nobody is signed in', { code: 'not_authenticated' });
    const entry: QueuedOutboxEntry = {
      kind: 'message',
      status: 'queued',
      clientId: newClientId(),
      conversationId: options.conversationId ?? this.#parts.ctx.conversationId ?? NEW_CONVERSATION,
      text: trimmed,
      attachmentId: options.attachmentId ?? null,
      createdAt: new Date().toISOString(),
      order: this.#parts.outbox.nextOrder(),
      attempts: 0,
    };
    const bubble = this.#parts.store.addPending(entry, this.#parts.displayName());
    this.#parts.ownTyping.stop();
    try {
      await this.#parts.outbox.enqueue(entry);
    } catch (error) {
      // Not queued: the bubble goes, the caller gets the text back (never both kept and refused).
      this.#parts.store.remove(entry.conversationId, entry.clientId);
      throw error;
    }
    return bubble;
  }

  /** Re-queues a failed message with the same `client_id`. */
  async retry(clientId: string): Promise<void> {
    if (this.#parts.tabs.follows) return void (await this.#parts.tabs.command('retry', clientId));
    const entry = this.#parts.outbox.get(clientId);
    if (entry?.status !== 'failed') return;
    this.#parts.store.setLocalStatus(entry.conversationId, clientId, 'pending');
    await this.#parts.outbox.retry(clientId);
  }

  /** Drops a queued or failed message. */
  async discard(clientId: string): Promise<void> {
    if (this.#parts.tabs.follows) return void (await this.#parts.tabs.command('discard', clientId));
    const entry = await this.#parts.outbox.discard(clientId);
    if (entry) this.#parts.store.remove(entry.conversationId, clientId);
  }

  /**
   * Stops a streaming bot reply for everyone in its conversation (PROTOCOL §8): a `cancel` frame over
   * the open socket, else `POST /api/chat/messages/<id>/cancel/`. The server stores the text so far
   * as `stopped`; the end arrives as `message-end` on every tab. Resolves at once for a reply that
   * has already ended. Rejects with a `ValidationError` (code `invalid_id`, `unknown_message` or
   * `not_streaming`) for an id that is malformed, not held by this client, or not a streamed reply,
   * and with the REST error when the fallback request fails. In a follower tab it runs in the leader.
   */
  async cancel(messageId: Id): Promise<void> {
    if (this.#parts.tabs.follows) return void (await this.#parts.tabs.command('cancel', messageId));
    return this.#parts.streams.cancel(messageId);
  }

  /** How many sends wait in the outbox (failed ones included). */
  async outboxSize(): Promise<number> {
    // A follower's copy is not kept in step (the leader sends): the shared storage says.
    if (this.#parts.tabs.follows) await this.#parts.outbox.reload();
    return this.#parts.outbox.size();
  }

  /** Uploads a file (JPEG, PNG, GIF, WebP or PDF, at most 10 MiB) for use as `attachmentId` in `send`. */
  uploadAttachment(file: Blob & { name?: string }, options: UploadOptions = {}): Promise<Attachment> {
    return uploadAttachment(this.#parts.http, file, {
      stallMs: this.#parts.timing.uploadStallMs,
      ...options,
      conversationId: options.conversationId ?? this.#parts.ctx.conversationId,
    });
  }

  /** A page of the user's conversations, newest first; pass `next` back as `cursor`. */
  listConversations(options: { cursor?: string } = {}): Promise<ConversationPage> {
    return conversations.listConversations(this.#parts.http, options.cursor);
  }

  /** One conversation with its participants. */
  getConversation(id: Id): Promise<Conversation> {
    return conversations.getConversation(this.#parts.http, id);
  }

  /** Creates a conversation owned by the user (reference server only; a seed backend answers 404/405). */
  createConversation(options: { title?: string } = {}): Promise<Conversation> {
    return conversations.createConversation(this.#parts.http, options.title);
  }

  /** One page of messages over REST, normalised (does not touch the store). */
  getMessages(conversationId: Id, query: MessagePageQuery = {}): Promise<Message[]> {
    return getMessages(this.#parts.http, conversationId, query);
  }

  /** Marks read up to `messageId` (default: the newest message of the current conversation). */
  async markRead(messageId?: Id): Promise<void> {
    const id = messageId ?? [...this.messages()].reverse().find((m) => m.id !== null)?.id;
    if (id) await postRead(this.#parts.http, id);
  }

  /** Reports own typing; throttled, with `false` after an idle pause and after a send. */
  setTyping(isTyping: boolean): void {
    this.#parts.ownTyping.set(isTyping);
  }

  /** The bot's quick prompts, in display order. */
  getPrompts(): Promise<BotPrompt[]> {
    return getBotPrompts(this.#parts.http);
  }

  /**
   * The ordered, deduplicated messages of a conversation (default: the current one; with none yet,
   * the sends queued to create it).
   */
  messages(conversationId: Id | null = this.#parts.ctx.conversationId): readonly ChatMessage[] {
    return this.#parts.store.list(conversationId ?? NEW_CONVERSATION);
  }

  /** Fetches the page before the oldest message held; true when more remain. */
  async loadOlder(conversationId: Id | null = this.#parts.ctx.conversationId): Promise<boolean> {
    if (this.#parts.tabs.follows) return (await this.#parts.tabs.command('loadOlder', conversationId)) as boolean;
    const oldest = conversationId ? this.#parts.store.list(conversationId).find((m) => m.seq !== null) : undefined;
    if (!conversationId || !oldest?.seq || oldest.seq <= 1 || this.#parts.backend.seed) return false;
    const page = await getMessages(this.#parts.http, conversationId, { beforeSeq: oldest.seq, limit: 50 });
    this.#parts.store.ingest(page);
    return (page[0]?.seq ?? 1) > 1;
  }

  /** Who else is typing now (never this tab itself). */
  typingUsers(conversationId: Id | null = this.#parts.ctx.conversationId): TypingChange[] {
    return conversationId ? this.#parts.typing.list(conversationId) : [];
  }

  /** Stops everything: socket, polling, timers, listeners. The client cannot be used again. */
  destroy(): void {
    if (this.#parts.ctx.destroyed) return;
    this.#parts.ctx.destroyed = true;
    this.#parts.tabs.close();
    this.#parts.poller.stop();
    this.#parts.connection.stop('destroyed');
    this.#parts.outbox.dispose();
    this.#parts.http.abortAll();
    this.#parts.tokens.dispose();
    this.#parts.typing.clear();
    this.#parts.ownTyping.dispose();
    this.#parts.unlisten();
    this.#parts.events.removeAll();
  }
}

/** Same as `new ChatClient(options)`. */
export function createClient(options: ChatClientOptions = {}): ChatClient {
  return new ChatClient(options);
}
