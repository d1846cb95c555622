/**
 * The message log (`role="log"`): the window of bubbles that is in the DOM, a loading row while an
 * older page is being fetched, and the empty state; below it, the line saying who is typing.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { ChatMessage, TypingChange } from '../../../src/index.js';
import type { Strings } from '../../i18n/locales.js';

export interface MessageLogProps {
  strings: Strings;
  messages: readonly ChatMessage[];
  /** The slice `[start, end)` of `messages` that is rendered (see MessageWindow). */
  start: number;
  end: number;
  /** An older page is being fetched: the only time the loading row shows. */
  loadingOlder: boolean;
  /** Nothing to show yet and nothing on its way. */
  empty: boolean;
  onScroll(e: Event): void;
  renderMessage(message: ChatMessage, previous: ChatMessage | undefined): TemplateResult;
}

export function renderMessageLog(p: MessageLogProps): TemplateResult {
  const s = p.strings;
  const { messages, start } = p;
  return html`<div part="messages" class="log" role="log" aria-live="off" aria-label=${s.messages} tabindex="0"
    @scroll=${p.onScroll}>
    ${p.loadingOlder ? html`<div class="older muted" aria-hidden="true">${s.loadingOlder}</div>` : nothing}
    ${p.empty ? html`<div class="empty muted">${s.empty}</div>` : nothing}
    ${repeat(
      messages.slice(start, p.end),
      (m) => m.key,
      (m, i) => p.renderMessage(m, messages[start + i - 1]),
    )}
  </div>`;
}

export function renderTyping(strings: Strings, typing: readonly TypingChange[]): TemplateResult {
  return html`<div part="typing" class="typing" aria-live="off">
    ${typing.length ? strings.typing(typing.map((t) => t.displayName || t.username)) : nothing}
  </div>`;
}
