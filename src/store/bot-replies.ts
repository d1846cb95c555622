/**
 * Bot replies known only from a seed's `bot-response`, which answers `{message}` with no id and no
 * time (PROTOCOL §6). Such a reply is shown right under the question it answers until a listing
 * brings its stored row; then it takes that row's id and time. A stored row completes one reply
 * only, so two replies (even with the same text) are never merged into one.
 */
import type { ChatMessage } from '../events.js';
import type { Id, Message } from '../types.js';
import { compareIds } from '../util/ids.js';

export class ProvisionalReplies {
  /** Reply -> the key of the question it answers, while the reply has no id. */
  #anchors = new Map<ChatMessage, string>();

  add(reply: ChatMessage, questionKey: string): void {
    this.#anchors.set(reply, questionKey);
  }

  has(message: ChatMessage): boolean {
    return this.#anchors.has(message);
  }

  /** Forgets a reply that got its stored row. */
  settle(reply: ChatMessage): void {
    this.#anchors.delete(reply);
  }

  /** The reply a stored bot row completes: the oldest waiting one with its text, asked before the row. */
  replyFor(list: readonly ChatMessage[], row: Message): ChatMessage | undefined {
    if (row.type !== 'bot') return undefined;
    return list.find((m) => {
      const anchor = this.#anchors.has(m) ? this.#question(list, m) : undefined;
      return m.text === row.text && !!anchor?.id && compareIds(row.id, anchor.id) > 0;
    });
  }

  /**
   * The stored row a new reply already is (a poll listed it before `bot-response` answered): a bot
   * row with the same text, stored after the question, that no other reply took and that is not
   * older history. `taken` tells rows that already stand for a reply.
   */
  rowFor(
    list: readonly ChatMessage[],
    question: ChatMessage,
    text: string,
    taken: (m: ChatMessage) => boolean,
  ): ChatMessage | undefined {
    const after: Id | null = question.id;
    if (!after) return undefined;
    return list.find(
      (m) => m.type === 'bot' && m.id !== null && m.text === text && compareIds(m.id, after) > 0 && !taken(m),
    );
  }

  /** Moves each waiting reply right under its question (after earlier replies to it). */
  place(list: ChatMessage[]): void {
    if (!this.#anchors.size) return;
    const waiting = list.filter((m) => this.#anchors.has(m));
    for (const reply of waiting) list.splice(list.indexOf(reply), 1);
    for (const reply of waiting) {
      const question = this.#question(list, reply);
      if (!question) {
        list.push(reply);
        continue;
      }
      let at = list.indexOf(question) + 1;
      while (at < list.length && this.#anchors.get(list[at]!) === this.#anchors.get(reply)) at += 1;
      list.splice(at, 0, reply);
    }
  }

  #question(list: readonly ChatMessage[], reply: ChatMessage): ChatMessage | undefined {
    const key = this.#anchors.get(reply);
    return list.find((m) => m.key === key);
  }
}
