/** The list of the user's conversations, to switch to an earlier one or start a new one. */
import { html, nothing, type TemplateResult } from 'lit';
import type { Conversation, Id } from '../../../src/index.js';
import type { Strings } from '../../i18n/locales.js';

export interface ConversationListProps {
  strings: Strings;
  conversations: readonly Conversation[];
  currentId: Id | null;
  dateFormat: Intl.DateTimeFormat;
  /** False on a seed backend, where a conversation starts only with a first message. */
  canCreate: boolean;
  onPick(id: Id): void;
  onNew(): void;
}

export function renderConversationList(p: ConversationListProps): TemplateResult {
  const s = p.strings;
  return html`<nav part="conversations" class="pane conversations" aria-label=${s.conversations}>
    ${
      p.canCreate
        ? html`<button type="button" class="primary" part="new-conversation" @click=${p.onNew}>${s.newConversation}</button>`
        : nothing
    }
    ${
      p.conversations.length
        ? html`<ul>
          ${p.conversations.map(
            (c) => html`<li>
              <button type="button" class="conversation" aria-current=${c.id === p.currentId ? 'true' : 'false'}
                @click=${() => p.onPick(c.id)}>
                <span class="conversation-title">${c.title || s.untitled}</span>
                <span class="conversation-last">${c.last_message?.text ?? ''}</span>
                <time datetime=${c.updated_at}>${p.dateFormat.format(new Date(c.updated_at))}</time>
              </button>
            </li>`,
          )}
        </ul>`
        : html`<p class="muted">${s.noConversations}</p>`
    }
  </nav>`;
}
