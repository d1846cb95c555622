/** The DOM events of `<parley-chat>`, added to `HTMLElementEventMap` so `addEventListener` is typed. */
import type { ChatMessage, ConnectionStatus, Id, StorageUnavailable } from '../../src/index.js';
import type { ParleyChat } from './parley-chat.js';

/** Detail of `parley-conversation-change`. */
export interface ConversationChangeDetail {
  conversationId: Id | null;
}
/** Detail of `parley-message`. */
export interface MessageEventDetail {
  message: ChatMessage;
}
/** Detail of `parley-connection-change`. */
export interface ConnectionChangeDetail {
  state: ConnectionStatus;
}
/** Detail of `parley-error`. */
export interface ErrorEventDetail {
  error: unknown;
}

/** Detail of `parley-storage-unavailable`: which store failed (the widget goes on in memory for the page). */
export type StorageUnavailableDetail = StorageUnavailable;

/** Event name to event type, for every DOM event `<parley-chat>` fires (all bubble and are composed). */
export interface ParleyChatEventMap {
  'parley-conversation-change': CustomEvent<ConversationChangeDetail>;
  'parley-message': CustomEvent<MessageEventDetail>;
  'parley-connection-change': CustomEvent<ConnectionChangeDetail>;
  'parley-open': CustomEvent<void>;
  'parley-close': CustomEvent<void>;
  'parley-error': CustomEvent<ErrorEventDetail>;
  'parley-storage-unavailable': CustomEvent<StorageUnavailableDetail>;
}

declare global {
  interface HTMLElementEventMap extends ParleyChatEventMap {}
  /** The events bubble and are composed, so a listener on `document` sees them too. */
  interface DocumentEventMap extends ParleyChatEventMap {}
  interface HTMLElementTagNameMap {
    'parley-chat': ParleyChat;
  }
}

type DetailOf<K extends keyof ParleyChatEventMap> = ParleyChatEventMap[K] extends CustomEvent<infer D> ? D : never;

/** Fires one of the element's events from `target`, bubbling and composed (a page listener sees it). */
export function fire<K extends keyof ParleyChatEventMap>(target: EventTarget, type: K, detail: DetailOf<K>): void {
  target.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true, detail }));
}
