/** The floating launcher button: opens and closes the panel, shows the unread count while closed. */
import { html, nothing, type TemplateResult } from 'lit';
import type { Strings } from '../../i18n/locales.js';
import { chatIcon, closeIcon } from './icons.js';

export interface LauncherProps {
  strings: Strings;
  open: boolean;
  unread: number;
  onToggle(): void;
}

export function renderLauncher(p: LauncherProps): TemplateResult {
  const s = p.strings;
  const badge = p.unread > 0 && !p.open;
  const label = badge ? `${s.openChat} (${s.unread(p.unread)})` : p.open ? s.closeChat : s.openChat;
  return html`<button type="button" part="launcher" class="launcher" aria-expanded=${p.open ? 'true' : 'false'}
    aria-controls="panel" aria-label=${label} @click=${p.onToggle}>
    ${p.open ? closeIcon : chatIcon}
    ${badge ? html`<span part="badge" class="badge" aria-hidden="true">${p.unread > 99 ? '99+' : p.unread}</span>` : nothing}
  </button>`;
}
