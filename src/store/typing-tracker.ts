/** Who else is typing, per conversation; an entry expires by itself without an update. */
import type { TypingChange } from '../events.js';
import type { Id } from '../types.js';

export class TypingTracker {
  #entries = new Map<string, { change: TypingChange; timer: ReturnType<typeof setTimeout> }>();
  #expireMs: number;
  #emit: (change: TypingChange) => void;

  constructor(expireMs: number, emit: (change: TypingChange) => void) {
    this.#expireMs = expireMs;
    this.#emit = emit;
  }

  /** Applies a typing frame (or a presence `user_left`, as `isTyping: false`). */
  update(change: TypingChange): void {
    const key = `${change.conversationId}|${change.username}`;
    const existing = this.#entries.get(key);
    if (existing) clearTimeout(existing.timer);
    if (!change.isTyping) {
      this.#entries.delete(key);
      if (existing) this.#emit(change);
      return;
    }
    const timer = setTimeout(() => {
      this.#entries.delete(key);
      this.#emit({ ...change, isTyping: false });
    }, this.#expireMs);
    this.#entries.set(key, { change, timer });
    if (!existing) this.#emit(change);
  }

  /** Everyone typing now in a conversation. */
  list(conversationId: Id): TypingChange[] {
    return [...this.#entries.values()].map((e) => e.change).filter((c) => c.conversationId === conversationId);
  }

  clear(): void {
    for (const e of this.#entries.values()) clearTimeout(e.timer);
    this.#entries.clear();
  }
}
