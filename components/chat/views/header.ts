/** The panel header: bot name, the connection status strip and the header buttons. */
import { html, nothing, type TemplateResult } from 'lit';
import type { ConnectionState } from '../../../src/index.js';
import type { Strings } from '../../i18n/locales.js';
import { closeIcon, menuIcon, signOutIcon } from './icons.js';

export interface HeaderProps {
  strings: Strings;
  botName: string;
  state: ConnectionState;
  now: number;
  signedIn: boolean;
  listOpen: boolean;
  onRetryNow(): void;
  onToggleList(): void;
  onSignOut(): void;
  onClose(): void;
}

/** The status strip's text for a connection state. */
export function statusText(state: ConnectionState, s: Strings, now: number): string {
  switch (state.status) {
    case 'open':
      return s.connected;
    case 'idle':
      // Signed in, no conversation yet (it starts with the first message): nothing to report.
      return '';
    case 'connecting':
      return s.connecting;
    case 'reconnecting':
      return s.reconnecting(Math.max(0, Math.ceil((state.nextRetryAt - now) / 1000)));
    case 'fallback':
      return s.fallback;
    case 'offline':
      return s.offline;
    case 'closed':
      return s.disconnected;
  }
}

export function renderHeader(p: HeaderProps): TemplateResult {
  const s = p.strings;
  const status = p.state.status;
  return html`<div part="header" class="header">
    <div class="title">
      <h2 id="title">${p.botName}</h2>
      ${
        p.signedIn
          ? html`<p part="status" class="status" data-state=${status} ?hidden=${status === 'idle'}>
            <span class="dot" aria-hidden="true"></span><span class="status-text">${statusText(p.state, s, p.now)}</span>
            ${
              status === 'reconnecting'
                ? html`<button type="button" part="retry-now" class="link" @click=${p.onRetryNow}>${s.retryNow}</button>`
                : nothing
            }
          </p>`
          : nothing
      }
    </div>
    ${
      p.signedIn
        ? html`<button type="button" class="icon" part="conversations-button" aria-label=${s.conversations}
            aria-pressed=${p.listOpen ? 'true' : 'false'} @click=${p.onToggleList}>${menuIcon}</button>
          <button type="button" class="icon" part="sign-out" aria-label=${s.signOut} title=${s.signOut} @click=${p.onSignOut}>${signOutIcon}</button>`
        : nothing
    }
    <button type="button" class="icon" part="close" aria-label=${s.closeChat} @click=${p.onClose}>${closeIcon}</button>
  </div>`;
}
