/**
 * `parley-chat/elements`: registers Parley's custom elements (`<parley-chat>`) and exports their
 * classes and types. Importing this module defines the elements.
 *
 * @example
 * ```ts
 * import 'parley-chat/elements';
 * document.body.append(Object.assign(document.createElement('parley-chat'), { botName: 'Help' }));
 * ```
 */
import './chat/define.js';

export { ParleyChat } from './chat/parley-chat.js';
export type {
  ParleyPosition,
  ConversationChangeDetail,
  MessageEventDetail,
  ConnectionChangeDetail,
  ErrorEventDetail,
} from './chat/parley-chat.js';
export type { ParleyChatEventMap } from './chat/dom-events.js';
export type { ChatClientLike } from './chat/chat-client-like.js';
export type { ParleyChatJsxProps } from './jsx.js';
export { setLocale } from './i18n/locale-state.js';
export { registerLocale, stringsFor, type Strings } from './i18n/locales.js';
export { renderMarkdown, type MarkdownOptions } from './markdown/render-markdown.js';
