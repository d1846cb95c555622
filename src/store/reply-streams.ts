/**
 * Streamed bot replies (PROTOCOL §8) as the client holds them. A reply arrives with
 * `stream_state: "streaming"`, grows by `message:delta` applied at its offset, and ends with
 * `message:end`, whose text replaces the client's copy. The rules, in one place:
 *
 * - a delta whose `offset` is the held length is appended; one that starts before it has its
 *   overlap dropped (only what is new is added); one past it is a gap: it waits here and the
 *   message is fetched with `GET` (the waiting deltas are applied as soon as they fit);
 * - a newer copy of a streaming reply (`message:new` again, a listing, a `GET`) is taken when its
 *   text is longer (a streaming reply only ever grows), or when it has ended;
 * - an ended reply (`complete`, `stopped`, `failed`) never changes again, whatever arrives later;
 * - after a catch-up, every reply still held as streaming that the server did not send again is
 *   fetched; in HTTP fallback every streaming reply of the followed conversation is fetched on each
 *   poll (the poll runs at least once a second while one streams, see `Timing.streamPollMs`).
 *
 * Every growth emits `message-delta`, every end `message-end` (once per reply), both followed by
 * `messages` so a list view re-renders.
 */
import { ValidationError } from '../errors.js';
import type { ChatMessage, MessageDelta, MessageEnd } from '../events.js';
import type { ClientFrame, Id, Message, MessageDeltaFrame, MessageEndFrame, StreamEndState } from '../types.js';
import type { Logger } from '../util/log.js';

export interface ReplyStreamsDeps {
  /** The held message with this id (searched in that conversation when one is given). */
  find(messageId: Id, conversationId?: Id): ChatMessage | undefined;
  /** The held messages of a conversation. */
  list(conversationId: Id): readonly ChatMessage[];
  /** `GET`s one message and gives it to the store (which hands a held one back to `snapshot`). */
  fetch(messageId: Id): Promise<void>;
  /** `POST .../cancel/` and gives the answer to the store. */
  cancelOverRest(messageId: Id): Promise<void>;
  /** The conversation whose socket is open (past its handshake), or null. */
  openConversation(): Id | null;
  sendFrame(frame: ClientFrame): boolean;
  onDelta(delta: MessageDelta): void;
  onEnd(end: MessageEnd): void;
  onChange(conversationId: Id): void;
  log: Logger;
}

interface Piece {
  offset: number;
  text: string;
}

/** A user message younger than this (by the clocks of both sides) is taken as still awaiting its bot reply. */
const REPLY_EXPECTED_MS = 30_000;

/** Deltas kept per reply while a gap is being filled (older ones are dropped: the `GET` covers them). */
const MAX_WAITING = 200;

export class ReplyStreams {
  #deps: ReplyStreamsDeps;
  /** The `GET` in flight per message id: at most one each. */
  #fetching = new Map<Id, Promise<void>>();
  /** Deltas that arrived past the end of the held text (or before the reply itself), by message id. */
  #waiting = new Map<Id, Piece[]>();

  constructor(deps: ReplyStreamsDeps) {
    this.#deps = deps;
  }

  /** Applies a `message:delta` frame. */
  delta(frame: MessageDeltaFrame): void {
    const message = this.#deps.find(frame.message_id, frame.conversation_id);
    if (!message) {
      // Its `message:new` was missed (or the first listing has not come back yet): fetch it.
      this.#wait(frame.message_id, { offset: frame.offset, text: frame.text });
      void this.refresh(frame.message_id);
      return;
    }
    if (message.streamState !== 'streaming') return;
    if (!this.#apply(message, frame.offset, frame.text)) {
      this.#wait(frame.message_id, { offset: frame.offset, text: frame.text });
      void this.refresh(frame.message_id);
      return;
    }
    this.#drain(message);
  }

  /** Applies a `message:end` frame: the final text replaces the held one. */
  end(frame: MessageEndFrame): void {
    const message = this.#deps.find(frame.message_id, frame.conversation_id);
    if (!message) {
      void this.refresh(frame.message_id);
      return;
    }
    this.#finish(message, frame.stream_state, frame.text);
  }

  /** A copy of a held message came from the server (`message:new`, a listing, a `GET`). */
  snapshot(message: ChatMessage, wire: Message): void {
    if (message.streamState !== 'streaming') return;
    const state = wire.stream_state ?? null;
    if (state !== null && state !== 'streaming') {
      this.#finish(message, state, wire.text);
      return;
    }
    if (state === 'streaming' && wire.text.length > message.text.length) {
      const added = wire.text.slice(message.text.length);
      message.text = wire.text;
      this.#grew(message, added);
    }
    this.#drain(message);
  }

  /** The replies of a conversation still held as streaming. */
  streaming(conversationId: Id): ChatMessage[] {
    return this.#deps.list(conversationId).filter((m) => m.streamState === 'streaming' && m.id !== null);
  }

  /**
   * Whether a bot reply of the conversation is being written or about to be: one is held as
   * streaming, or the newest message is a user message of the last 30 s (the reference bot answers
   * every user message). HTTP fallback polls faster meanwhile, so the reply shows and grows.
   */
  busy(conversationId: Id): boolean {
    if (this.streaming(conversationId).length > 0) return true;
    const newest = this.#deps.list(conversationId).at(-1);
    return newest?.type === 'user' && Math.abs(Date.now() - Date.parse(newest.createdAt)) < REPLY_EXPECTED_MS;
  }

  /** Fetches one message with `GET` (one request per message at a time; failures are logged). */
  refresh(messageId: Id): Promise<void> {
    let pending = this.#fetching.get(messageId);
    if (!pending) {
      pending = this.#deps
        .fetch(messageId)
        .catch((error: unknown) => this.#deps.log('stream fetch failed', { messageId, error: String(error) }))
        .finally(() => {
          this.#fetching.delete(messageId);
          // A reply first learnt from this GET (not handed to `snapshot`) takes its waiting deltas now.
          const message = this.#deps.find(messageId);
          if (message) this.#drain(message);
        });
      this.#fetching.set(messageId, pending);
    }
    return pending;
  }

  /** Fetches every streaming reply of a conversation (HTTP fallback's poll). */
  async poll(conversationId: Id): Promise<void> {
    await Promise.all(this.streaming(conversationId).map((m) => this.refresh(m.id!)));
  }

  /**
   * A catch-up of `conversationId` finished; `resent` are the messages the server sent again
   * during it. A reply held as streaming that is not among them is fetched (§8 catch-up).
   */
  caughtUp(conversationId: Id, resent: ReadonlySet<Id>): void {
    for (const m of this.streaming(conversationId)) if (!resent.has(m.id!)) void this.refresh(m.id!);
  }

  /**
   * Stops a streaming reply for everyone: `cancel` over the open socket of its conversation, else
   * `POST .../cancel/`. Resolves once the request is sent (socket) or answered (REST); the end
   * itself arrives as `message-end`. A reply that has already ended resolves at once (nothing to stop).
   */
  async cancel(messageId: Id): Promise<void> {
    if (!/^\d+$/.test(messageId))
      throw new ValidationError(`Cannot stop message "${messageId}": not a message id`, { code: 'invalid_id' });
    const message = this.#deps.find(messageId);
    if (!message)
      throw new ValidationError(`Cannot stop message ${messageId}: this client holds no such message`, {
        code: 'unknown_message',
      });
    if (message.streamState === null)
      throw new ValidationError(`Cannot stop message ${messageId}: it is not a streamed reply`, {
        code: 'not_streaming',
      });
    if (message.streamState !== 'streaming') return;
    const viaSocket = this.#deps.openConversation() === message.conversationId;
    if (viaSocket && this.#deps.sendFrame({ type: 'cancel', message_id: messageId })) return;
    await this.#deps.cancelOverRest(messageId);
  }

  /** Puts `text` at `offset`; false when that leaves a gap. */
  #apply(message: ChatMessage, offset: number, text: string): boolean {
    const length = message.text.length;
    if (offset > length) return false;
    const added = text.slice(length - offset);
    if (!added) return true;
    message.text += added;
    this.#grew(message, added);
    return true;
  }

  #grew(message: ChatMessage, added: string): void {
    this.#deps.onDelta({
      conversationId: message.conversationId,
      messageId: message.id!,
      key: message.key,
      text: message.text,
      added,
    });
    this.#deps.onChange(message.conversationId);
  }

  #finish(message: ChatMessage, state: StreamEndState, text: string): void {
    if (message.streamState !== 'streaming') return;
    message.text = text;
    message.streamState = state;
    this.#waiting.delete(message.id!);
    this.#deps.onEnd({
      conversationId: message.conversationId,
      messageId: message.id!,
      key: message.key,
      streamState: state,
      text,
    });
    this.#deps.onChange(message.conversationId);
  }

  #wait(messageId: Id, piece: Piece): void {
    let pieces = this.#waiting.get(messageId);
    if (!pieces) this.#waiting.set(messageId, (pieces = []));
    pieces.push(piece);
    if (pieces.length > MAX_WAITING) pieces.shift();
  }

  /** Applies the waiting deltas that fit now, in offset order; drops those that are all overlap. */
  #drain(message: ChatMessage): void {
    const pieces = this.#waiting.get(message.id!);
    if (!pieces) return;
    pieces.sort((a, b) => a.offset - b.offset);
    while (
      pieces.length &&
      message.streamState === 'streaming' &&
      this.#apply(message, pieces[0]!.offset, pieces[0]!.text)
    )
      pieces.shift();
    if (!pieces.length || message.streamState !== 'streaming') this.#waiting.delete(message.id!);
  }
}
