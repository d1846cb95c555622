/** The DOM events of `<parley-chat>`, added to `HTMLElementEventMap` so `addEventListener` is typed. */
import type { ConnectionChangeDetail, ConversationChangeDetail, ErrorEventDetail, MessageEventDetail, ParleyChat } from './parley-chat.js';

/** Event name to event type, for every DOM event `<parley-chat>` fires (all bubble and are composed). */
export interface ParleyChatEventMap {
  'parley-conversation-change': CustomEvent<ConversationChangeDetail>;
  'parley-message': CustomEvent<MessageEventDetail>;
  'parley-connection-change': CustomEvent<ConnectionChangeDetail>;
  'parley-open': CustomEvent<void>;
  'parley-close': CustomEvent<void>;
  'parley-error': CustomEvent<ErrorEventDetail>;
}

declare global {
  interface HTMLElementEventMap extends ParleyChatEventMap {}
  /** The events bubble and are composed, so a listener on `document` sees them too. */
  interface DocumentEventMap extends ParleyChatEventMap {}
  interface HTMLElementTagNameMap {
    'parley-chat': ParleyChat;
  }
}
