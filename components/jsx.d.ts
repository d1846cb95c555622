/**
 * JSX typings for `<parley-chat>` (React 19 and other TSX users): its attributes, properties and
 * `onparley-*` events. Imported by `parley-chat/elements` types.
 */
import type { ChatClientLike } from './chat/chat-client-like.js';
import type { ParleyChatEventMap } from './chat/dom-events.js';
import type { ParleyPosition } from './chat/parley-chat.js';

/** Props `<parley-chat>` accepts in TSX. */
export interface ParleyChatJsxProps {
  'api-url'?: string;
  'bot-name'?: string;
  position?: ParleyPosition;
  'conversation-id'?: string;
  theme?: 'light' | 'dark' | 'auto';
  lang?: string;
  open?: boolean;
  session?: 'local' | 'memory';
  token?: string;
  getToken?: () => string | null | Promise<string | null>;
  client?: ChatClientLike;
  id?: string;
  class?: string;
  className?: string;
  slot?: string;
  ref?: unknown;
  key?: string | number;
  children?: unknown;
  'onparley-conversation-change'?: (e: ParleyChatEventMap['parley-conversation-change']) => void;
  'onparley-message'?: (e: ParleyChatEventMap['parley-message']) => void;
  'onparley-connection-change'?: (e: ParleyChatEventMap['parley-connection-change']) => void;
  'onparley-open'?: (e: ParleyChatEventMap['parley-open']) => void;
  'onparley-close'?: (e: ParleyChatEventMap['parley-close']) => void;
  'onparley-error'?: (e: ParleyChatEventMap['parley-error']) => void;
}

declare global {
  namespace JSX {
    interface IntrinsicElements {
      'parley-chat': ParleyChatJsxProps;
    }
  }
}

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'parley-chat': ParleyChatJsxProps;
    }
  }
}
