/**
 * What the sockets were told of every reply still streaming (PROTOCOL §8), on this instance: the
 * text built from the `message:new` and `message:delta` events the fan-out carried, whichever
 * instance writes the reply. The database holds the text as of its last store (at most 250 ms
 * old); this holds it as of the last delta, so a `sync` catch-up or a `GET` of the reply answers
 * text the next delta continues without a gap.
 */
import type { Conversation, Id, Message, ServerFrame } from '../../../src/types.js';

/** Replies followed at most (a writer that died never sends its end; the oldest are dropped). */
const MAX_REPLIES = 10_000;
/** Ended replies remembered (their late deltas dropped); the oldest are forgotten. */
const MAX_ENDED = 10_000;

export class LiveReplies {
  private readonly texts = new Map<Id, string>();
  /** Replies that ended lately: a delta of theirs still on its way from another instance is dropped. */
  private readonly ended = new Set<Id>();
  private readonly endListeners = new Set<(messageId: Id) => void>();

  /**
   * Follows a frame on its way to the sockets (every fan-out event passes here). False for a
   * frame the sockets must not get: a delta of a reply that already ended (a stop made on one
   * instance crossing the writer's last delta from another), as ended replies never change.
   */
  observe(frame: ServerFrame): boolean {
    switch (frame.type) {
      case 'message:new':
        if (frame.message.stream_state === 'streaming') this.set(frame.message.id, frame.message.text);
        return true;
      case 'message:delta': {
        if (this.ended.has(frame.message_id)) return false;
        const text = this.texts.get(frame.message_id);
        // Unknown (followed since after its start) or a gap: leave it to the database.
        if (text === undefined || frame.offset > text.length) return true;
        if (frame.offset + frame.text.length > text.length)
          this.texts.set(frame.message_id, text.slice(0, frame.offset) + frame.text);
        return true;
      }
      case 'message:end':
        this.texts.delete(frame.message_id);
        if (this.ended.size >= MAX_ENDED) this.ended.delete(this.ended.values().next().value!);
        this.ended.add(frame.message_id);
        for (const listener of this.endListeners) listener(frame.message_id);
        return true;
      default:
        return true;
    }
  }

  /** Called with the id of every reply that ends (here or on another instance). */
  onEnd(listener: (messageId: Id) => void): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  /**
   * The message with the newest text known of it: a streaming reply's stored text and the
   * followed text are both beginnings of one final text, so the longer is the newer.
   */
  current(message: Message): Message {
    if (message.stream_state !== 'streaming') return message;
    const live = this.texts.get(message.id);
    return live !== undefined && live.length > message.text.length ? { ...message, text: live } : message;
  }

  /** A conversation's `last_message` with the newest text known of it (a reply being written grows). */
  currentLast(conversation: Conversation): Conversation {
    const last = conversation.last_message;
    const live = last ? this.texts.get(last.id) : undefined;
    return last && live !== undefined && live.length > last.text.length
      ? { ...conversation, last_message: { ...last, text: live } }
      : conversation;
  }

  private set(id: Id, text: string): void {
    const known = this.texts.get(id);
    if (known !== undefined && known.length >= text.length) return;
    if (known === undefined && this.texts.size >= MAX_REPLIES) this.texts.delete(this.texts.keys().next().value!);
    this.texts.set(id, text);
  }
}
