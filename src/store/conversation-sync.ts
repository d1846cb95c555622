/**
 * Keeps the store in step with the server: applies socket frames, detects `seq` gaps, and
 * catches up after every (re)connect with `sync` over the socket or `after_seq` over REST
 * (seed backends: `limit`/`offset`).
 */
import type { Http } from '../api/http.js';
import { getMessages } from '../api/messages.js';
import { toId, toIdOrNull, toMessage } from '../api/normalize.js';
import { ValidationError } from '../errors.js';
import type { PresenceChange, ReadChange } from '../events.js';
import type { Delivery } from '../outbox/delivery.js';
import type { ClientFrame, Id, ServerFrame } from '../types.js';
import { compareIds } from '../util/ids.js';
import type { Logger } from '../util/log.js';
import type { MessageStore } from './message-store.js';
import type { ReplyStreams } from './reply-streams.js';
import type { TypingTracker } from './typing-tracker.js';

const PAGE = 200;
/** A seed's largest `limit`. */
const SEED_PAGE = 100;
/** The first page shown: the newest messages. */
const LATEST_PAGE = 50;
/** A `before_seq` above every seq: "the newest page" (a seed backend ignores it and pages by offset). */
const AFTER_EVERYTHING = 999_999_999_999_999;

export interface SyncDeps {
  http: Http;
  store: MessageStore;
  typing: TypingTracker;
  delivery: Delivery;
  /** Streamed bot replies: deltas, ends, and the fetch of replies a catch-up did not bring again. */
  streams: Pick<ReplyStreams, 'delta' | 'end' | 'caughtUp'>;
  log: Logger;
  isSeed(): boolean;
  /** Resolves once the backend's kind is known (never rejects). */
  knowBackend(conversationId: Id): Promise<void>;
  /** The conversation whose socket is open (past its handshake), or null. */
  openConversation(): Id | null;
  sendFrame(frame: ClientFrame): boolean;
  botName(): string;
  /** A `typing` frame that is this tab's own typing echoed back (a seed echoes to the sender). */
  ownTypingEcho(username: string, isTyping: boolean): boolean;
  onRead(change: ReadChange): void;
  onPresence(change: PresenceChange): void;
  onError(error: ValidationError): void;
  /** How long a `sync` may go unanswered before the catch-up goes over REST instead. */
  syncTimeoutMs: number;
}

export class ConversationSync {
  #deps: SyncDeps;
  /** Conversations with a catch-up running, and whether another one was asked for meanwhile. */
  #running = new Map<Id, boolean>();
  /** The unanswered `sync` of a conversation: a lost `synced` must not stop catch-ups for good. */
  #syncTimers = new Map<Id, ReturnType<typeof setTimeout>>();
  /** Messages the server sent again while a catch-up of the conversation ran. */
  #resent = new Map<Id, Set<Id>>();

  constructor(deps: SyncDeps) {
    this.#deps = deps;
  }

  /** Loads the newest page when nothing is held yet, then everything newer than what is held. */
  async load(conversationId: Id): Promise<void> {
    if (!this.#holdsHistory(conversationId) && !this.#deps.isSeed()) {
      this.#deps.store.ingest(
        await getMessages(this.#deps.http, conversationId, { limit: LATEST_PAGE, beforeSeq: AFTER_EVERYTHING }),
      );
    }
    await this.fetchNew(conversationId);
  }

  /** Fetches everything after what the store holds, over REST, page by page. */
  async fetchNew(conversationId: Id): Promise<void> {
    const { http, store } = this.#deps;
    // A seed pages by offset and ignores `after_seq`: which kind this is must be known first.
    await this.#deps.knowBackend(conversationId);
    for (let page = 0; page < 100; page++) {
      const seed = this.#deps.isSeed();
      // A seed pages by offset over everything its listings returned so far, at most 100 a page.
      const size = seed ? SEED_PAGE : PAGE;
      const offset = store.listedCount(conversationId);
      const query = seed ? { limit: size, offset } : { limit: size, afterSeq: store.lastSeq(conversationId) };
      const messages = await getMessages(http, conversationId, query);
      store.ingest(messages, seed ? { listedFrom: offset } : {});
      if (messages.length < size) return;
    }
  }

  /**
   * Fills the gap since the last `seq` held: `sync` on an open reference socket, else REST.
   * `serverLastSeq` is the conversation's last `seq` when known (a socket's `hello`).
   */
  catchUp(conversationId: Id, serverLastSeq?: number): Promise<void> {
    if (this.#running.has(conversationId)) {
      this.#running.set(conversationId, true);
      return Promise.resolve();
    }
    this.#running.set(conversationId, false);
    this.#resent.set(conversationId, new Set());
    // With nothing held, a `sync` from seq 0 would bring the oldest messages of a long conversation
    // first (and then all the others): REST loads from the newest page instead, unless it is empty.
    const fromScratch = !this.#holdsHistory(conversationId) && serverLastSeq !== 0;
    const viaSocket = !this.#deps.isSeed() && this.#deps.openConversation() === conversationId && !fromScratch;
    if (viaSocket && this.#deps.sendFrame({ type: 'sync', after_seq: this.#deps.store.lastSeq(conversationId) })) {
      const timer = setTimeout(() => {
        this.#syncTimers.delete(conversationId);
        this.#deps.log('sync unanswered: catching up over REST');
        void this.#overRest(conversationId);
      }, this.#deps.syncTimeoutMs);
      this.#syncTimers.set(conversationId, timer);
      return Promise.resolve(); // finished by `synced`
    }
    return this.#overRest(conversationId);
  }

  /** Whether the store holds a stored message of the conversation (a `seq` to go on from). */
  #holdsHistory(conversationId: Id): boolean {
    return this.#deps.store.list(conversationId).some((m) => m.id !== null);
  }

  #overRest(conversationId: Id): Promise<void> {
    return this.load(conversationId)
      .catch((error: unknown) => this.#deps.log('catch-up failed', String(error)))
      .finally(() => this.#done(conversationId));
  }

  #done(conversationId: Id): void {
    clearTimeout(this.#syncTimers.get(conversationId));
    this.#syncTimers.delete(conversationId);
    const again = this.#running.get(conversationId);
    this.#running.delete(conversationId);
    this.#deps.streams.caughtUp(conversationId, this.#resent.get(conversationId) ?? new Set());
    this.#resent.delete(conversationId);
    if (again) void this.catchUp(conversationId);
  }

  /** The socket went down: a `sync` in flight will never finish. */
  reset(): void {
    for (const timer of this.#syncTimers.values()) clearTimeout(timer);
    this.#syncTimers.clear();
    this.#running.clear();
    this.#resent.clear();
  }

  /** Applies one frame from the socket of `conversationId`. */
  handleFrame(conversationId: Id, frame: ServerFrame): void {
    const { store, typing, delivery } = this.#deps;
    switch (frame.type) {
      case 'message:new': {
        const message = toMessage(frame.message);
        const gap = message.seq !== undefined && message.seq > store.lastSeq(message.conversation_id) + 1;
        store.ingest([message]);
        this.#resent.get(message.conversation_id)?.add(message.id);
        if (message.client_id) delivery.confirmed(message.client_id);
        // A catch-up already running may have read before this gap opened: it goes again when done.
        if (gap) {
          this.#deps.log('gap', { seq: message.seq });
          void this.catchUp(message.conversation_id);
        }
        return;
      }
      case 'message:delta':
        this.#deps.streams.delta(frame);
        return;
      case 'message:end':
        this.#deps.streams.end(frame);
        return;
      case 'message:ack':
        if (frame.client_id) {
          store.ack(conversationId, frame.client_id, toId(frame.message_id), frame.seq);
          delivery.confirmed(frame.client_id);
        }
        return;
      case 'synced':
        if (frame.more) {
          this.#running.set(conversationId, true);
        }
        this.#done(conversationId);
        return;
      case 'typing': {
        if (this.#deps.ownTypingEcho(frame.username, Boolean(frame.is_typing))) return;
        const userId = toIdOrNull(frame.user_id);
        const bot = userId === null || frame.username === 'bot';
        typing.update({
          conversationId,
          userId,
          username: frame.username,
          displayName: bot ? this.#deps.botName() : frame.username,
          isTyping: Boolean(frame.is_typing),
        });
        return;
      }
      case 'read': {
        const ids = (frame.message_ids ?? []).map(toId);
        const max = ids.reduce<Id | null>((a, b) => (a === null || compareIds(b, a) > 0 ? b : a), null);
        if (max) store.markReadUpTo(conversationId, max, frame.username);
        this.#deps.onRead({
          conversationId,
          messageIds: ids,
          userId: toId(frame.user_id),
          username: frame.username,
          readAt: frame.read_at ?? new Date().toISOString(), // a seed sends no `read_at`
        });
        return;
      }
      case 'user_joined':
      case 'user_left': {
        const userId = toId(frame.user_id);
        const online = frame.type === 'user_joined';
        if (!online)
          typing.update({
            conversationId,
            userId,
            username: frame.username,
            displayName: frame.username,
            isTyping: false,
          });
        this.#deps.onPresence({ conversationId, userId, username: frame.username, online });
        return;
      }
      case 'error':
        // A Stop that crossed the reply's end: the `message:end` is on its way, nothing failed.
        if (frame.code === 'not_streaming') return;
        delivery.socketError(frame);
        this.#deps.onError(new ValidationError(`The server refused a frame: ${frame.message}`, { code: frame.code }));
        return;
    }
  }
}
