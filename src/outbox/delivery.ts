/**
 * How one outbox entry reaches the server: over the open socket of its conversation (waiting for
 * `message:ack` or the echo, whichever first), otherwise over REST. A seed backend always gets
 * REST, because its bot only answers `bot-response`; as it ignores `client_id`, a retry there first
 * checks the listing for the earlier attempt.
 */
import type { Http } from '../api/http.js';
import { TransportError, ValidationError } from '../errors.js';
import type { MessageStore } from '../store/message-store.js';
import type { Timing } from '../timing.js';
import { postBotResponse } from '../api/chat.js';
import type { BotResponseResponse, ClientFrame, ErrorFrame, Id } from '../types.js';
import { sendOverHttp } from '../transport/http-transport.js';
import { NEW_CONVERSATION, type QueuedOutboxEntry } from './outbox-entry.js';

export interface DeliveryDeps {
  http: Http;
  store: MessageStore;
  timing: Timing;
  isSeed(): boolean;
  /** The conversation whose socket is open, or null. */
  openConversation(): Id | null;
  sendFrame(frame: ClientFrame): boolean;
  botName(): string;
  /** After a REST send in fallback: look for new messages soon. */
  afterHttpSend(conversationId: Id): void;
  /** Fetches what the listing has beyond what is held (reconciling own sends by text on a seed). */
  fetchNew(conversationId: Id): Promise<void>;
  /** `entry`, queued before its conversation existed, created `conversationId`. */
  created(conversationId: Id, entry: QueuedOutboxEntry): void;
}

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export class Delivery {
  #deps: DeliveryDeps;
  #waiters = new Map<string, Waiter>();

  constructor(deps: DeliveryDeps) {
    this.#deps = deps;
  }

  /**
   * Delivers one entry; resolves with its conversation once stored. An entry for a
   * {@link NEW_CONVERSATION} goes over REST without `conversation_id`, which creates it.
   */
  async deliver(entry: QueuedOutboxEntry): Promise<Id> {
    const { http, store } = this.#deps;
    const creates = entry.conversationId === NEW_CONVERSATION;
    if (!creates && !this.#deps.isSeed() && this.#deps.openConversation() === entry.conversationId) {
      const frame: ClientFrame = { type: 'message', text: entry.text, client_id: entry.clientId };
      if (entry.attachmentId) frame.attachment_id = entry.attachmentId;
      const acked = this.#wait(entry.clientId);
      if (this.#deps.sendFrame(frame)) return acked.then(() => entry.conversationId);
      this.#settle(entry.clientId);
    }
    // A seed ignores `client_id`: a retry after a lost answer would store the message twice.
    // (A first send that creates its conversation has no listing to check: there, a lost answer
    // followed by a retry may leave a second conversation on a seed.)
    if (!creates && this.#deps.isSeed() && entry.attempts > 1 && (await this.#arrived(entry))) {
      void this.askBot(entry.conversationId, entry.clientId);
      return entry.conversationId;
    }
    const { stored, bot } = await sendOverHttp(http, entry, this.#deps.isSeed());
    if (creates) this.#deps.created(stored.conversation_id, entry);
    store.ack(stored.conversation_id, entry.clientId, stored.message_id);
    if (bot) this.#showBot(stored.conversation_id, entry.clientId, bot);
    this.#deps.afterHttpSend(stored.conversation_id);
    return stored.conversation_id;
  }

  /** Whether an earlier attempt was stored after all: the listing shows it (matched by text). */
  async #arrived(entry: QueuedOutboxEntry): Promise<boolean> {
    await this.#deps.fetchNew(entry.conversationId);
    return this.#deps.store.list(entry.conversationId).some((m) => m.key === entry.clientId && m.id !== null);
  }

  /**
   * Asks a seed backend's bot for its reply to the newest user message (`questionKey`: that
   * message's key) and shows it under the question.
   */
  async askBot(conversationId: Id, questionKey: string): Promise<void> {
    const bot = await postBotResponse(this.#deps.http, conversationId).catch(() => null);
    if (bot) this.#showBot(conversationId, questionKey, bot);
  }

  /** A reply from `bot-response` has no id and no time on a seed: the store places it under its question. */
  #showBot(conversationId: Id, questionKey: string, bot: BotResponseResponse): void {
    this.#deps.store.addReply(conversationId, questionKey, bot.message, this.#deps.botName());
  }

  /** `message:ack`, or an echo carrying our `client_id`. */
  confirmed(clientId: string): void {
    this.#settle(clientId)?.resolve();
  }

  /**
   * An `error` frame. v1.2 names the send it is about (`client_id`): only that one fails (or is
   * retried, when rate limited). A frame naming no send is about something else (a typing frame,
   * a cancel): every send in flight goes on waiting for its own answer. Returns whether it was
   * about a waiting send.
   */
  socketError(frame: ErrorFrame): boolean {
    const waiter = frame.client_id ? this.#settle(frame.client_id) : undefined;
    if (!waiter) return false;
    waiter.reject(
      frame.code === 'rate_limited'
        ? new TransportError(`Socket send was rate limited: ${frame.message}`, { code: frame.code, retryable: true })
        : new ValidationError(`Socket send was refused: ${frame.message}`, { code: frame.code }),
    );
    return true;
  }

  /** The socket went down: every waiting send will be retried. */
  socketDown(): void {
    const error = new TransportError('The socket closed before the send was acknowledged', {
      code: 'closed',
      retryable: true,
    });
    for (const id of [...this.#waiters.keys()]) this.#settle(id)?.reject(error);
  }

  /** Close 1009: the waiting send was too big. */
  tooBig(): void {
    const error = new TransportError('The message was too big for the socket (1009)', {
      code: 'too_big',
      status: 1009,
    });
    for (const id of [...this.#waiters.keys()]) this.#settle(id)?.reject(error);
  }

  #wait(clientId: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#settle(clientId);
        reject(new TransportError('No acknowledgement from the socket', { code: 'ack_timeout', retryable: true }));
      }, this.#deps.timing.ackTimeoutMs);
      this.#waiters.set(clientId, { resolve, reject, timer });
    });
  }

  #settle(clientId: string): Waiter | undefined {
    const waiter = this.#waiters.get(clientId);
    if (!waiter) return undefined;
    clearTimeout(waiter.timer);
    this.#waiters.delete(clientId);
    return waiter;
  }
}
