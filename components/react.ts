/**
 * `parley-chat/react`: `<parley-chat>` as a React component (React 17, 18 and 19), built with
 * `@lit/react`. Its props are the element's properties (`apiUrl`, `botName`, `position`, `theme`,
 * `session`, `token`, `getToken`, `client`, ...) plus the seed's `EnhancedChatBot` callback
 * `onConversationChange(id)`, so a React app swaps one for the other by changing the import.
 * Every DOM event is also a prop (`onParleyMessage`, `onParleyConnectionChange`, ...). Importing
 * this module defines the element; React is an optional peer dependency of the package.
 *
 * @example
 * ```tsx
 * import { ParleyChat } from 'parley-chat/react';
 *
 * <ParleyChat botName="My Bot" position="bottom-right" onConversationChange={(id) => console.log(id)} />;
 * ```
 */
import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import './chat/define.js';
import { ParleyChat as ParleyChatElement } from './chat/parley-chat.js';
import type { ParleyChatEventMap } from './chat/dom-events.js';
import type { Id } from '../src/index.js';

const event = <K extends keyof ParleyChatEventMap>(name: K) => name as EventName<ParleyChatEventMap[K]>;

/** The element wrapped as is: element properties as props, each DOM event as an `onParley*` prop. */
const ParleyChatBase = createComponent({
  react: React,
  tagName: 'parley-chat',
  elementClass: ParleyChatElement,
  displayName: 'ParleyChatElement',
  events: {
    onParleyConversationChange: event('parley-conversation-change'),
    onParleyMessage: event('parley-message'),
    onParleyConnectionChange: event('parley-connection-change'),
    onParleyOpen: event('parley-open'),
    onParleyClose: event('parley-close'),
    onParleyError: event('parley-error'),
  },
});

/** Props of {@link ParleyChat}: the element's props plus the seed's `onConversationChange`. */
export type ParleyChatProps = React.ComponentProps<typeof ParleyChatBase> & {
  /** Called with the conversation id whenever the current conversation becomes known or changes (the seed's `EnhancedChatBot` prop). */
  onConversationChange?: (conversationId: Id | null) => void;
};

/** `<parley-chat>` for React; `ref` gives the element (`ref.current.open()`, `ref.current.client`). */
export const ParleyChat = React.forwardRef<ParleyChatElement, ParleyChatProps>(function ParleyChat(
  { onConversationChange, onParleyConversationChange, ...props },
  ref,
) {
  return React.createElement(ParleyChatBase, {
    ...props,
    ref,
    onParleyConversationChange: (e: ParleyChatEventMap['parley-conversation-change']) => {
      onParleyConversationChange?.(e);
      onConversationChange?.(e.detail.conversationId);
    },
  });
});

/** The seed's component name, for a drop-in swap: `import { EnhancedChatBot } from 'parley-chat/react'`. */
export const EnhancedChatBot = ParleyChat;

export type { ParleyChatElement };
