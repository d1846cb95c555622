/**
 * The reactive controller between a ChatClient and the element: subscribes to the client's events,
 * keeps the snapshot the view renders (connection state, messages of the current conversation,
 * who is typing) and asks the host to update. The view never talks to the network itself.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type {
  ChatMessage,
  ClientEvents,
  ConnectionState,
  Id,
  MessageEnd,
  ReadChange,
  SessionChange,
  StorageUnavailable,
  TypingChange,
} from '../../src/index.js';
import type { ChatClientLike } from './chat-client-like.js';

/** What the controller tells its host about, besides asking it to re-render. */
export interface ChatControllerEvents {
  message(message: ChatMessage, live: boolean): void;
  /** A streamed reply of the current conversation ended (complete, stopped or failed). */
  replyEnded(end: MessageEnd): void;
  conversation(conversationId: Id | null): void;
  state(state: ConnectionState): void;
  /** Someone (the user too, in any tab or device) read messages. */
  read(change: ReadChange): void;
  error(error: ClientEvents['error']): void;
  authExpired(): void;
  /** The signed-in user changed (here or in another tab). */
  session(change: SessionChange): void;
  /** A store failed: the client keeps that data in memory for the page. */
  storageUnavailable(detail: StorageUnavailable): void;
}

const IDLE: ConnectionState = { status: 'idle' };

export class ChatController implements ReactiveController {
  client: ChatClientLike | null = null;
  state: ConnectionState = IDLE;
  messages: readonly ChatMessage[] = [];
  /** Bumped whenever `messages` is re-read: the client may hand out the same array, updated in place. */
  version = 0;
  typing: TypingChange[] = [];
  conversationId: Id | null = null;
  /** While > 0, arriving messages are history being loaded (no announcement, no unread count). */
  quiet = 0;
  #unsubscribe: Array<() => void> = [];

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly events: ChatControllerEvents,
  ) {
    host.addController(this);
  }

  /** Follows `client` (or nothing), dropping the subscriptions to the previous one. */
  setClient(client: ChatClientLike | null): void {
    if (client === this.client) return;
    this.#unsubscribeAll();
    this.client = client;
    this.#subscribe();
    this.refresh();
  }

  hostConnected(): void {
    this.#subscribe();
  }

  hostDisconnected(): void {
    this.#unsubscribeAll();
  }

  /** Runs client work whose arriving messages are history: no announcement, no unread count. */
  async quietly<T>(work: Promise<T>): Promise<T> {
    this.quiet++;
    try {
      return await work;
    } finally {
      this.quiet--;
    }
  }

  /** Re-reads everything from the client. */
  refresh(): void {
    const c = this.client;
    this.state = c?.state ?? IDLE;
    this.conversationId = c?.getConversationId() ?? null;
    // With no conversation yet, the client lists the sends queued to create one.
    this.messages = c ? c.messages(this.conversationId ?? undefined) : [];
    this.version++;
    this.typing = c && this.conversationId ? c.typingUsers(this.conversationId).filter((t) => t.isTyping) : [];
    this.host.requestUpdate();
  }

  #subscribe(): void {
    const c = this.client;
    if (!c || this.#unsubscribe.length) return;
    // '' is the client's NEW_CONVERSATION: sends queued before the conversation exists.
    const current = (id: Id) => id === (this.conversationId ?? '');
    this.#unsubscribe = [
      c.on('state', (s) => {
        this.state = s;
        this.events.state(s);
        this.host.requestUpdate();
      }),
      c.on('conversation', ({ conversationId }) => {
        this.refresh();
        this.events.conversation(conversationId);
      }),
      c.on('messages', ({ conversationId }) => {
        if (!current(conversationId)) return;
        this.messages = c.messages(conversationId);
        this.version++;
        this.host.requestUpdate();
      }),
      c.on('message-status', ({ conversationId }) => {
        if (!current(conversationId)) return;
        this.messages = c.messages(conversationId);
        this.version++;
        this.host.requestUpdate();
      }),
      c.on('message', (m) => {
        if (current(m.conversationId)) {
          this.messages = c.messages(m.conversationId);
          this.version++;
        }
        this.events.message(m, this.quiet === 0 && current(m.conversationId));
        this.host.requestUpdate();
      }),
      c.on('message-end', (end) => {
        if (current(end.conversationId)) this.events.replyEnded(end);
      }),
      c.on('typing', ({ conversationId }) => {
        if (!current(conversationId)) return;
        this.typing = c.typingUsers(conversationId).filter((t) => t.isTyping);
        this.host.requestUpdate();
      }),
      c.on('read', (r) => {
        this.events.read(r);
        if (this.conversationId) {
          this.messages = c.messages(this.conversationId);
          this.version++;
        }
        this.host.requestUpdate();
      }),
      c.on('error', (e) => this.events.error(e)),
      c.on('auth-expired', () => this.events.authExpired()),
      c.on('session', (change) => this.events.session(change)),
      c.on('storage-unavailable', (u) => this.events.storageUnavailable(u)),
    ];
  }

  #unsubscribeAll(): void {
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
  }
}
