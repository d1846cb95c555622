/**
 * What a follower tab shows: the leader's client as its own. The leader's events are emitted
 * here as they came; those that change what the client holds are applied first (the connection
 * state, the current conversation, the message lists, who is typing), so `state`, `messages()`
 * and `typingUsers()` read the same as in the leader when the event fires.
 */
import type { ClientParts } from '../client-wiring.js';
import type { ChatMessage, ClientEvents, MessageDelta, MessageEnd } from '../events.js';
import type { Id } from '../types.js';
import { errorFromWire, type LeaderHello, type TabMessage, type WireError } from './tab-wire.js';

type Forwarded = Extract<TabMessage, { t: 'event' }>;

export class FollowerView {
  readonly #p: ClientParts;
  /** `message`/`message-status` events wait for the list they belong to (the next `messages`). */
  #waiting = new Map<Id, Forwarded[]>();
  /** This tab's own sends not yet in a list from the leader: kept in view meanwhile. */
  #unseen = new Map<string, ChatMessage>();
  /** Keys of this tab's own sends: their `message` event fired here already. */
  #announced = new Set<string>();
  /** True while a forwarded event is emitted (the tab link forwards nothing of a follower). */
  replaying = false;

  constructor(p: ClientParts) {
    this.#p = p;
  }

  /** This tab queued a send and showed its bubble. */
  ownSend(message: ChatMessage): void {
    this.#unseen.set(message.key, message);
    this.#announced.add(message.key);
  }

  /** A leader said who it is: take its state, conversation and lists. */
  leader(hello: LeaderHello): void {
    const { ctx, tokens } = this.#p;
    if (!ctx.user && hello.user && hello.user.username === (tokens.username ?? hello.user.username))
      ctx.user = hello.user;
    this.#p.connection.mirror(hello.state);
    this.#p.setConversation(hello.conversationId);
    for (const [id, list] of hello.lists) {
      this.#replace(id, list);
      this.#emit('messages', { conversationId: id });
    }
  }

  /** One event of the leader's client. */
  apply(event: Forwarded): void {
    const p = this.#p;
    const payload = event.payload as ClientEvents[typeof event.name];
    switch (event.name) {
      case 'state':
        return p.connection.mirror(payload as ClientEvents['state']);
      case 'conversation':
        return p.setConversation((payload as ClientEvents['conversation']).conversationId);
      case 'typing':
        return p.typing.update(payload as ClientEvents['typing']);
      case 'error':
        return this.#emit('error', errorFromWire(payload as WireError));
      case 'message':
      case 'message-status': {
        const id = (payload as ClientEvents['message']).conversationId;
        const waiting = this.#waiting.get(id) ?? [];
        this.#waiting.set(id, [...waiting, event]);
        return;
      }
      case 'message-delta':
      case 'message-end':
        if (this.#stream(payload as MessageDelta | MessageEnd)) this.#emit(event.name, payload as never);
        return;
      case 'messages': {
        const id = (payload as ClientEvents['messages']).conversationId;
        this.#replace(id, event.list ?? []);
        const waiting = this.#waiting.get(id) ?? [];
        this.#waiting.delete(id);
        for (const w of waiting) {
          const key = (w.payload as ChatMessage).key;
          if (w.name === 'message' && this.#announced.has(key)) continue;
          this.#emit(w.name, w.payload as never);
        }
        return this.#emit('messages', payload as ClientEvents['messages']);
      }
      default:
        return this.#emit(event.name, payload as never);
    }
  }

  /** Forgets what was held for the user who left. */
  clear(): void {
    this.#waiting.clear();
    this.#unseen.clear();
    this.#announced.clear();
  }

  /**
   * A streamed reply grew or ended in the leader: the held copy takes the leader's text (and its end)
   * before the event fires, so `messages()` shows what the event says. False when the held copy has
   * ended already (an end that came twice, e.g. from the old and the new leader of a handoff): an
   * ended reply never changes again and its `message-end` fires once.
   */
  #stream(change: MessageDelta | MessageEnd): boolean {
    const held = this.#p.store.find(change.messageId, change.conversationId);
    if (!held) return true;
    if (held.streamState !== 'streaming') return false;
    if ('streamState' in change) {
      held.text = change.text;
      held.streamState = change.streamState;
    } else if (change.text.length > held.text.length) held.text = change.text;
    return true;
  }

  /** The leader's list, plus this tab's own sends the leader has not shown yet. */
  #replace(conversationId: Id, list: ChatMessage[]): void {
    const keys = new Set(list.map((m) => m.key));
    for (const [key, own] of this.#unseen) {
      if (!keys.has(key)) continue;
      this.#unseen.delete(key);
      // Moved by the leader (its first send created the conversation): not held twice here.
      if (own.conversationId !== conversationId && own.clientId)
        this.#p.store.replace(
          own.conversationId,
          this.#p.store.list(own.conversationId).filter((m) => m.key !== key),
        );
    }
    const kept = [...this.#unseen.values()].filter((m) => m.conversationId === conversationId);
    this.#p.store.replace(conversationId, [...list, ...kept]);
  }

  #emit<K extends keyof ClientEvents>(name: K, payload: ClientEvents[K]): void {
    this.replaying = true;
    try {
      this.#p.events.emit(name, payload);
    } finally {
      this.replaying = false;
    }
  }
}
