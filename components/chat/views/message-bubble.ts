/**
 * One message bubble: sender and time at the start of a group, the body, attachment, ticks, Retry.
 * A streamed bot reply is `aria-busy` while it is written (its growth is never read out; the
 * element announces it once, when it ends) and carries a visible "Stopped" / "Reply failed" mark
 * when it did not finish.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Attachment, ChatMessage } from '../../../src/index.js';
import type { Strings } from '../../i18n/locales.js';
import { safeUrl } from '../../markdown/safe-url.js';
import { fileIcon } from './icons.js';

export interface BubbleProps {
  strings: Strings;
  /** Name shown on the bot's messages (the `bot-name` attribute). */
  botName: string;
  /** First bubble of a group (same sender, same minute): shows the name and time. */
  start: boolean;
  body: TemplateResult | string;
  base: string;
  timeFormat: Intl.DateTimeFormat;
  retrying: boolean;
  onRetry(message: ChatMessage): void;
}

const TICKS: Record<ChatMessage['status'], string> = {
  pending: '◷',
  sent: '✓',
  delivered: '✓✓',
  read: '✓✓',
  failed: '!',
};

export function renderBubble(m: ChatMessage, p: BubbleProps): TemplateResult {
  const s = p.strings;
  const who = m.own ? s.you : m.type === 'bot' ? p.botName : m.senderName || m.sender || '';
  const time = p.timeFormat.format(new Date(m.createdAt));
  const streaming = m.streamState === 'streaming';
  const ended = m.streamState === 'stopped' || m.streamState === 'failed' ? m.streamState : null;
  return html`<div part="message" class="message ${m.own ? 'own' : 'other'} ${p.start ? 'start' : ''}"
    data-type=${m.type} data-status=${m.status} data-key=${m.key} data-stream=${m.streamState ?? nothing}
    aria-busy=${streaming ? 'true' : nothing}>
    ${
      p.start && m.type !== 'system'
        ? html`<div class="meta"><span class="sender">${who}</span> <time datetime=${m.createdAt}>${time}</time></div>`
        : nothing
    }
    <div class="bubble">
      ${m.text ? html`<div class="body" dir="auto">${p.body}</div>` : nothing}
      ${streaming && !m.text ? html`<span class="caret" aria-hidden="true"></span>` : nothing}
      ${
        ended
          ? html`<div part="stream-end" class="stream-end ${ended}"><span aria-hidden="true">${ended === 'stopped' ? '■' : '⚠'}</span>
            ${s.replyEnded[ended]}</div>`
          : nothing
      }
      ${m.attachment ? renderAttachment(m.attachment, p.base, s) : nothing}
      ${
        m.own
          ? html`<span class="ticks ${m.status}" role="img" aria-label=${s.status[m.status]}
            title=${p.start ? s.status[m.status] : `${time} · ${s.status[m.status]}`}>${TICKS[m.status]}</span>`
          : nothing
      }
    </div>
    ${
      m.status === 'failed' && m.own
        ? html`<div class="failed" role="alert">
          <span>${m.failure?.reason ? `${s.failed}: ${m.failure.reason}` : s.failed}</span>
          <button type="button" part="retry" class="link" aria-label=${s.retryLabel} ?disabled=${p.retrying}
            @click=${() => p.onRetry(m)}>${s.retry}</button>
        </div>`
        : nothing
    }
  </div>`;
}

/** Images preview inline; everything else (PDFs) is a download link. Only http(s)/blob sources. */
export function renderAttachment(a: Attachment, base: string, s: Strings): TemplateResult | typeof nothing {
  const url = safeUrl(a.file_url, base, 'source');
  if (!url) return html`<span class="file">${a.file_name}</span>`;
  if (/^image\/(png|jpeg|gif|webp)$/.test(a.content_type)) {
    return html`<a class="image" href=${url} target="_blank" rel="noopener noreferrer"
      ><img src=${url} alt=${a.file_name} loading="lazy"
    /></a>`;
  }
  return html`<a class="file" href=${url} download=${a.file_name} target="_blank" rel="noopener noreferrer"
    aria-label=${s.download(a.file_name)}>${fileIcon} ${a.file_name} <span class="size">${formatSize(a.file_size)}</span></a>`;
}

const formatSize = (bytes: number): string =>
  bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
