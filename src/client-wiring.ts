/**
 * Builds the layers of a {@link ChatClient} and connects their narrow callbacks: auth -> REST ->
 * backend probe -> store/sync -> connection -> outbox. `client.ts` keeps only the public API.
 */
import * as authApi from './api/auth.js';
import { postTyping } from './api/chat.js';
import { Http } from './api/http.js';
import { getMessage, postCancel } from './api/messages.js';
import { memoryCredentials } from './auth/credentials.js';
import { prepareSocketReauth } from './auth/socket-reauth.js';
import { TokenManager } from './auth/token-manager.js';
import { adoptNewConversation, onUserChange } from './client-session.js';
import type { ChatClientOptions } from './client-options.js';
import { Emitter, type ClientEvents } from './events.js';
import { Delivery } from './outbox/delivery.js';
import { fallbackOutboxStorage } from './outbox/fallback-storage.js';
import { idbOutboxStorage } from './outbox/idb-storage.js';
import { NEW_CONVERSATION } from './outbox/outbox-entry.js';
import { Outbox } from './outbox/outbox.js';
import { SessionScope } from './session-scope.js';
import { TabLink } from './tabs/tab-link.js';
import type { TabCommand } from './tabs/tab-wire.js';
import { ConversationSync } from './store/conversation-sync.js';
import { MessageStore } from './store/message-store.js';
import { ReplyStreams } from './store/reply-streams.js';
import { OwnTyping } from './store/own-typing.js';
import { TypingTracker } from './store/typing-tracker.js';
import { DEFAULT_TIMING, type Timing } from './timing.js';
import { BackendProbe } from './transport/backend-probe.js';
import { Connection } from './transport/connection.js';
import { Poller } from './transport/http-transport.js';
import type { Id, User } from './types.js';
import { createLogger } from './util/log.js';

/** The client's mutable state, shared by the layers' callbacks. */
export interface ClientContext {
  conversationId: Id | null;
  user: User | null;
  destroyed: boolean;
}

/** What the client class lends the layers. */
export interface ClientHooks {
  /** Follows a conversation (socket, first page): the one the first queued send just created. */
  follow(conversationId: Id): Promise<void>;
  /** Runs a client method in this tab (what a follower tab hands to the leader, see `TabLink`). */
  run(name: TabCommand, args: unknown[]): Promise<unknown>;
}

/** Every layer of one client. */
export interface ClientParts {
  ctx: ClientContext;
  apiUrl: string;
  timing: Timing;
  scope: SessionScope;
  events: Emitter<ClientEvents>;
  tokens: TokenManager;
  http: Http;
  backend: BackendProbe;
  store: MessageStore;
  streams: ReplyStreams;
  typing: TypingTracker;
  ownTyping: OwnTyping;
  connection: Connection;
  outbox: Outbox;
  delivery: Delivery;
  sync: ConversationSync;
  poller: Poller;
  tabs: TabLink;
  /** Sends a typing frame (socket, else REST); true when the backend will echo it to this socket. */
  sendTyping(conversationId: Id, isTyping: boolean): boolean;
  /** The current user's best display name. */
  displayName(): string;
  /** Changes the current conversation and emits `conversation`. */
  setConversation(id: Id | null): void;
  /** Removes the window listeners. */
  unlisten(): void;
}

export function wireClient(options: ChatClientOptions, hooks: ClientHooks): ClientParts {
  const ctx: ClientContext = { conversationId: null, user: null, destroyed: false };
  const timing: Timing = { ...DEFAULT_TIMING, ...options.timing };
  const random = options.random ?? Math.random;
  const logger = createLogger(options.debug);
  const botName = (): string => options.botName ?? 'Bot';
  const events = new Emitter<ClientEvents>();
  const emit = events.emit.bind(events);
  const onError = (error: ClientEvents['error']): void => emit('error', error);
  const credentials = options.credentials ?? memoryCredentials();
  const apiUrl = options.apiUrl ?? globalThis.location?.origin ?? '';
  const p = { ctx, events, apiUrl, timing } as ClientParts;
  const unavailable = (store: 'credentials' | 'outbox') => (error: unknown) => {
    // Sends are no longer shared with the other tabs: this tab works alone from now on.
    if (store === 'outbox') p.tabs.solo();
    queueMicrotask(() => emit('storage-unavailable', { store, error }));
  };
  credentials.onUnavailable?.(unavailable('credentials'));
  p.setConversation = (id) => {
    if (id === ctx.conversationId) return;
    ctx.conversationId = id;
    emit('conversation', { conversationId: id });
  };
  const isSeed = (): boolean => p.backend.seed === true;
  const openConversation = (): Id | null => (p.connection.isOpen ? ctx.conversationId : null);
  const sendFrame: Connection['send'] = (frame) => p.connection.send(frame);

  p.tokens = new TokenManager({
    token: options.token,
    getToken: options.getToken,
    credentials,
    refreshSkewMs: timing.refreshSkewMs,
    callRefresh: (refresh) => authApi.refresh(p.http, refresh),
    onExpired: (reason) => {
      if (p.connection.state.status !== 'closed') p.connection.stop('auth-expired');
      p.scope.update('expired');
      emit('auth-expired', { reason });
    },
    log: logger('auth'),
  });
  p.http = new Http({ apiUrl, tokens: p.tokens, timeoutMs: timing.requestTimeoutMs, log: logger('http') });
  p.backend = new BackendProbe(p.http, apiUrl, () => p.tokens.token());
  p.displayName = () => ctx.user?.display_name ?? p.tokens.username ?? '';
  p.store = new MessageStore({
    username: () => ctx.user?.username ?? p.tokens.username,
    userId: () => ctx.user?.id || null,
    onMessage: (m) => emit('message', m),
    onStatus: (s) => emit('message-status', s),
    onChange: (conversationId) => emit('messages', { conversationId }),
    onStoredAgain: (message, wire) => p.streams.snapshot(message, wire),
  });
  p.streams = new ReplyStreams({
    find: (messageId, conversationId) => p.store.find(messageId, conversationId),
    list: (conversationId) => p.store.list(conversationId),
    fetch: async (messageId) => void p.store.ingest([await getMessage(p.http, messageId)]),
    cancelOverRest: async (messageId) => void p.store.ingest([await postCancel(p.http, messageId)]),
    openConversation,
    sendFrame,
    onDelta: (delta) => emit('message-delta', delta),
    onEnd: (end) => emit('message-end', end),
    onChange: (conversationId) => emit('messages', { conversationId }),
    log: logger('stream'),
  });
  p.typing = new TypingTracker(timing.typingExpireMs, (t) => emit('typing', t));
  p.delivery = new Delivery({
    http: p.http,
    store: p.store,
    timing,
    isSeed,
    openConversation,
    sendFrame,
    botName,
    afterHttpSend: () => void p.poller.now(),
    fetchNew: (id) => p.sync.fetchNew(id),
    created: (conversationId, entry) => {
      // Delivered for a user who has left since: their new conversation is not this user's.
      if (entry.owner === p.scope.owner) adoptNewConversation(p, hooks, conversationId);
    },
  });
  p.sync = new ConversationSync({
    http: p.http,
    store: p.store,
    typing: p.typing,
    delivery: p.delivery,
    streams: p.streams,
    log: logger('sync'),
    isSeed,
    knowBackend: (id) => p.backend.ensureKnown(id),
    openConversation,
    sendFrame,
    botName,
    ownTypingEcho: (username, isTyping) =>
      username === (ctx.user?.username ?? p.tokens.username) && p.ownTyping.isEcho(isTyping),
    onRead: (r) => emit('read', r),
    onPresence: (presence) => emit('presence', presence),
    onError,
    syncTimeoutMs: timing.ackTimeoutMs,
  });
  // In fallback a streaming reply still grows: each poll also fetches it, and polls come faster while one
  // streams or is awaited.
  const replyBusy = (): boolean => !!ctx.conversationId && p.streams.busy(ctx.conversationId);
  p.poller = new Poller(
    async () => {
      const id = ctx.conversationId;
      // A follower never polls (the leader's poll reaches it as events), streaming replies included.
      if (id && !p.tabs.follows) await Promise.all([p.sync.fetchNew(id), p.streams.poll(id)]);
    },
    () => (isSeed() ? timing.seedPollMs : replyBusy() ? Math.min(timing.streamPollMs, timing.pollMs) : timing.pollMs),
    logger('poll'),
    random,
  );
  // One rule for the poller: it runs while the socket is down to HTTP, or whenever the backend is a
  // seed, whose socket never pushes what was written over REST (so it polls with the socket open too).
  let inFallback = false;
  const pollWhileNeeded = (): void => (inFallback || isSeed() ? p.poller.start() : p.poller.stop());
  p.sendTyping = (id, isTyping) => {
    // Over a seed's socket the frame comes back to this tab too (an echo to drop).
    if (sendFrame({ type: 'typing', is_typing: isTyping })) return isSeed();
    postTyping(p.http, id, isTyping).catch(() => undefined);
    return false;
  };
  p.ownTyping = new OwnTyping(
    (isTyping) => {
      const id = ctx.conversationId;
      if (!id) return false;
      p.tabs.typed(id, isTyping);
      return !p.tabs.follows && p.sendTyping(id, isTyping);
    },
    timing.typingThrottleMs,
    timing.typingIdleMs,
  );
  p.connection = new Connection({
    timing,
    random,
    log: logger('socket'),
    socketUrl: (id) => p.backend.socketUrl(id),
    isSeed,
    refreshAuth: () =>
      prepareSocketReauth({
        tokenInUrl: isSeed,
        renewable: () => !!credentials.get() || !!options.getToken,
        refresh: async () => void (await p.tokens.refresh(credentials.get()?.token ?? null)),
      }),
    authRejected: () => void p.tokens.expire('socket-rejected'),
    onState: (state) => emit('state', state),
    onFrame: (frame) => ctx.conversationId && p.sync.handleFrame(ctx.conversationId, frame),
    onOpen: (hello) => {
      if (hello) ctx.user ??= hello.user;
      pollWhileNeeded();
      p.scope.update('identified');
      if (ctx.conversationId) void p.sync.catchUp(ctx.conversationId, hello?.last_seq);
      p.outbox.kick();
    },
    onDown: () => {
      p.delivery.socketDown();
      p.sync.reset();
    },
    onFallback: (active) => {
      inFallback = active;
      pollWhileNeeded();
    },
    onTooBig: () => p.delivery.tooBig(),
    WebSocket: options.WebSocket,
    onNoWebSocket: onError,
  });
  p.outbox = new Outbox({
    storage: fallbackOutboxStorage(options.storage ?? idbOutboxStorage(), unavailable('outbox')),
    timing,
    random,
    log: logger('outbox'),
    // Only one tab of the browser sends the shared outbox: the leader (see `TabLink`).
    canDeliver: () => !ctx.destroyed && p.tokens.usable && !p.tabs.follows,
    queued: (entry) => p.tabs.queued(entry),
    // The backend's kind must be known first: a seed backend needs `bot-response` after a send.
    deliver: async (entry) => {
      const creates = entry.conversationId === NEW_CONVERSATION;
      if (!creates) await p.backend.ensureKnown(entry.conversationId);
      const conversationId = await p.delivery.deliver(entry);
      if (creates) {
        await p.backend.ensureKnown(conversationId);
        if (isSeed()) void p.delivery.askBot(conversationId, entry.clientId);
      }
      return conversationId;
    },
    onFailed: (entry) => p.store.setLocalStatus(entry.conversationId, entry.clientId, 'failed', entry.failure),
    // Discarded or delivered by another tab: the bubble goes; if it was delivered, the stored copy
    // comes with the catch-up (or when the conversation is next opened).
    onGone: (entry) => {
      p.store.remove(entry.conversationId, entry.clientId);
      if (entry.conversationId === ctx.conversationId) void p.sync.catchUp(entry.conversationId);
    },
    onError,
  });
  p.tabs = new TabLink(p, {
    // Tabs share sends through the default outbox storage (IndexedDB); another storage may not be shared.
    enabled: options.tabs ?? options.storage === undefined,
    run: hooks.run,
    sendTyping: (id, isTyping) => p.sendTyping(id, isTyping),
    log: logger('tabs'),
  });
  p.scope = new SessionScope({
    apiUrl,
    // A built-in login names its user; a host token's user is known once `me()` or `hello` says.
    username: () =>
      credentials.get()?.username ?? (options.token || options.getToken ? (ctx.user?.username ?? null) : null),
    changed: (next, previous, reason) => onUserChange(p, { username: next, previous, reason }),
  });
  const unsubscribeSession = credentials.subscribe?.(() => p.scope.update('elsewhere')) ?? (() => {});
  p.scope.update('restored');
  p.unlisten = unsubscribeSession;
  const win = globalThis.window;
  if (win?.addEventListener) {
    const online = (): void => p.outbox.kick();
    win.addEventListener('online', online);
    p.unlisten = () => {
      unsubscribeSession();
      win.removeEventListener('online', online);
    };
  }
  return p;
}
