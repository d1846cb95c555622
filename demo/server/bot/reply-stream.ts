/**
 * One streamed bot reply this instance is writing (PROTOCOL §8): the text grows chunk by chunk;
 * the sockets get it as `message:delta` frames, coalesced to at most one every `DELTA_EVERY_MS`
 * (20 a second per reply, so per socket, whatever the token rate); the database gets it every
 * `STORE_EVERY_MS` (and a beat at least every `BEAT_EVERY_MS` while nothing new came, which tells
 * other instances the writer is alive); the end is stored and sent as `message:end`.
 *
 * The stream owns an `AbortController`: stop, a provider timeout, shutdown, or losing the reply
 * (ended or taken over elsewhere) abort it with a `ReplyAbort` naming why.
 */
import type { Message, StreamEndState } from '../../../src/types.js';
import type { Logger } from '../logger.js';
import type { Fanout } from '../realtime/fanout.js';
import type { ChatStorage } from '../storage/storage.js';

/** At most one `message:delta` per reply this often (20 a second). */
export const DELTA_EVERY_MS = 50;
/** The text so far is stored at least this often while it grows (§8 asks for 250 ms). */
export const STORE_EVERY_MS = 150;
/** A writer with nothing new still stores a beat this often, so it is not taken for dead. */
export const BEAT_EVERY_MS = 1000;

/** Why a reply's generation was aborted. */
export type AbortWhy =
  /** Someone pressed stop. */
  | 'stopped'
  /** The provider sent nothing for too long. */
  | 'timeout'
  /** The server is shutting down: the reply is left `streaming` for the next start to finish. */
  | 'shutdown'
  /** Ended or taken over by another instance: nothing more is written. */
  | 'lost'
  /** A continued reply that turned out different from the stored text (restart recovery). */
  | 'diverged';

/** The reason of an aborted reply's signal. */
export class ReplyAbort extends Error {
  constructor(readonly why: AbortWhy) {
    super(`reply aborted: ${why}`);
    this.name = 'AbortError';
  }
}

export interface ReplyStreamDeps {
  storage: ChatStorage;
  fanout: Fanout;
  log: Logger;
  /** This process's writer id (`stream_owner`). */
  owner: string;
  /** No chunk for this long aborts the reply with `timeout`. */
  idleTimeoutMs: number;
}

export class ReplyStream {
  private readonly controller = new AbortController();
  /** The whole text so far. */
  private text: string;
  /** How much of it the sockets were sent. */
  private sent: number;
  /** What the database holds, and when it was stored. */
  private stored: string;
  private storedAt = Date.now();
  private storing: Promise<void> | null = null;
  private lastDeltaAt = 0;
  private deltaTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly storeTimer: NodeJS.Timeout;
  /** Set once the end (or the suspension) is being written: the stream is no longer written to. */
  private over = false;

  constructor(
    private readonly deps: ReplyStreamDeps,
    /** The reply as stored when its stream started (its text: what was stored before). */
    readonly message: Message,
  ) {
    this.text = this.stored = message.text;
    this.sent = message.text.length;
    this.storeTimer = setInterval(() => void this.store(), STORE_EVERY_MS);
    this.touch();
  }

  get id(): string {
    return this.message.id;
  }

  /** Aborted with a `ReplyAbort` when the generation must stop. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Why the stream was aborted, if it was. */
  get abortedFor(): AbortWhy | null {
    const reason: unknown = this.controller.signal.reason;
    return reason instanceof ReplyAbort ? reason.why : null;
  }

  /** The text so far. */
  get current(): string {
    return this.text;
  }

  /** True once the end is written (or being written). */
  get ended(): boolean {
    return this.over;
  }

  abort(why: AbortWhy): void {
    if (!this.controller.signal.aborted) this.controller.abort(new ReplyAbort(why));
  }

  /** Adds a chunk of generated text. */
  append(chunk: string): void {
    if (this.over || chunk.length === 0) return;
    this.text += chunk;
    this.touch();
    if (this.deltaTimer) return;
    const wait = this.lastDeltaAt + DELTA_EVERY_MS - Date.now();
    if (wait <= 0) this.sendDelta();
    else this.deltaTimer = setTimeout(() => this.sendDelta(), wait);
  }

  /**
   * Ends the reply: stores `state` with the text so far (plus `note`, on a failure) and sends
   * `message:end` to every socket. Null when the reply had already ended elsewhere.
   */
  async finish(state: StreamEndState, note = ''): Promise<Message | null> {
    if (this.over) return null;
    this.over = true;
    this.quiet();
    await this.storing;
    const text = this.text + note;
    const ended = await this.deps.storage.endReply(this.id, { state, text, owner: this.deps.owner });
    if (ended) {
      this.deps.fanout.publish({
        conversationId: ended.conversation_id,
        frame: {
          type: 'message:end',
          conversation_id: ended.conversation_id,
          message_id: ended.id,
          stream_state: state,
          text: ended.text,
        },
      });
    }
    return ended;
  }

  /**
   * Gives the reply up without ending it (shutdown): the text so far is stored and the reply
   * released, still `streaming`, for whichever instance starts next to finish.
   */
  async suspend(): Promise<void> {
    if (this.over) return;
    this.over = true;
    this.quiet();
    await this.storing;
    await this.deps.storage.growReply(this.id, this.deps.owner, this.text, true);
  }

  /** Stops every timer and the generation, without writing anything (the reply is lost to us). */
  drop(): void {
    this.over = true;
    this.quiet();
  }

  private quiet(): void {
    clearInterval(this.storeTimer);
    if (this.deltaTimer) clearTimeout(this.deltaTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.deltaTimer = this.idleTimer = null;
  }

  /** The provider sent something not appended (a continued reply's known text): it is alive. */
  alive(): void {
    if (!this.over) this.touch();
  }

  /** A chunk came: the provider is alive; it has `idleTimeoutMs` for the next. */
  private touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.abort('timeout'), this.deps.idleTimeoutMs);
  }

  private sendDelta(): void {
    this.deltaTimer = null;
    if (this.over || this.sent >= this.text.length) return;
    const offset = this.sent;
    this.sent = this.text.length;
    this.lastDeltaAt = Date.now();
    const { conversation_id, id } = this.message;
    this.deps.fanout.publish({
      conversationId: conversation_id,
      frame: { type: 'message:delta', conversation_id, message_id: id, offset, text: this.text.slice(offset) },
    });
  }

  /** Stores the text if it grew (or a beat when due); a reply no longer ours aborts as `lost`. */
  private store(): Promise<void> {
    if (this.storing || this.over) return this.storing ?? Promise.resolve();
    const text = this.text;
    if (text === this.stored && Date.now() - this.storedAt < BEAT_EVERY_MS) return Promise.resolve();
    this.storing = this.deps.storage
      .growReply(this.id, this.deps.owner, text)
      .then(
        (ours) => {
          this.stored = text;
          this.storedAt = Date.now();
          if (!ours && !this.over) this.abort('lost');
        },
        (err: Error) => this.deps.log.warn({ err: err.message, message_id: this.id }, 'storing a reply failed'),
      )
      .finally(() => (this.storing = null));
    return this.storing;
  }
}
