/** The composer: prompt chips, uploads in progress, the textarea with send and attach buttons. */
import { html, nothing, type TemplateResult } from 'lit';
import { MAX_MESSAGE_LENGTH, type BotPrompt } from '../../../src/index.js';
import type { Strings } from '../../i18n/locales.js';
import { attachIcon, closeIcon, sendIcon, stopIcon } from './icons.js';

/** One upload in progress (or failed), shown with a progress bar and a cancel button. */
export interface UploadItem {
  id: number;
  name: string;
  fraction: number;
  error: string | null;
  controller: AbortController;
}

export interface ComposerProps {
  strings: Strings;
  prompts: readonly BotPrompt[];
  showPrompts: boolean;
  uploads: readonly UploadItem[];
  onPrompt(prompt: BotPrompt): void;
  onCancelUpload(item: UploadItem): void;
  /** Whether the user has something typed (for the typing indicator of others). */
  onTyping(isTyping: boolean): void;
  onPaste(e: ClipboardEvent): void;
  /** Enter (without Shift, outside an IME composition) or the send button. */
  onSend(input: HTMLTextAreaElement): void;
  onPick(files: FileList | null): void;
  /** A bot reply of this conversation is being written: the send button becomes Stop. */
  streaming: boolean;
  /** The Stop button. */
  onStop(): void;
}

export function renderComposer(p: ComposerProps): TemplateResult {
  const s = p.strings;
  const keydown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      p.onSend(e.currentTarget as HTMLTextAreaElement);
    }
  };
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    p.onSend((e.currentTarget as HTMLFormElement).querySelector('textarea')!);
  };
  // One button that turns into Stop and back (not two): keyboard focus stays on it when the reply ends.
  const stop = (e: Event) => {
    if (!p.streaming) return;
    e.preventDefault();
    p.onStop();
  };
  return html`
    ${
      p.showPrompts && p.prompts.length
        ? html`<div class="prompts" role="group" aria-label=${s.prompts}>
          ${p.prompts.map(
            (prompt) => html`<button type="button" part="prompt" class="chip" @click=${() => p.onPrompt(prompt)}>
              ${prompt.title || prompt.text}
            </button>`,
          )}
        </div>`
        : nothing
    }
    ${
      p.uploads.length
        ? html`<ul class="uploads">
          ${p.uploads.map(
            (u) => html`<li class="upload ${u.error ? 'error' : ''}">
              <span class="upload-name">${u.error ?? u.name}</span>
              ${
                u.error
                  ? nothing
                  : html`<progress part="progress" max="1" .value=${u.fraction} aria-label=${s.uploading(u.name)}></progress>`
              }
              <button type="button" class="icon" part="cancel-upload" aria-label=${s.cancelUpload(u.name)}
                @click=${() => p.onCancelUpload(u)}>${closeIcon}</button>
            </li>`,
          )}
        </ul>`
        : nothing
    }
    <form part="composer" class="composer" @submit=${submit}>
      <input type="file" class="file-input" tabindex="-1" multiple
        accept="image/png,image/jpeg,image/gif,image/webp,application/pdf"
        @change=${(e: Event) => {
          const input = e.target as HTMLInputElement;
          p.onPick(input.files);
          input.value = '';
        }} />
      <button type="button" part="attach" class="icon" aria-label=${s.attach} title=${s.attach}
        @click=${(e: Event) => ((e.currentTarget as HTMLElement).previousElementSibling as HTMLInputElement).click()}>${attachIcon}</button>
      <textarea part="input" name="message" rows="1" maxlength=${MAX_MESSAGE_LENGTH} aria-label=${s.messageInput}
        placeholder=${s.messageInput} enterkeyhint="send"
        @keydown=${keydown} @paste=${p.onPaste}
        @input=${(e: InputEvent) => p.onTyping((e.target as HTMLTextAreaElement).value.trim().length > 0)}></textarea>
      <button type=${p.streaming ? 'button' : 'submit'} part=${p.streaming ? 'stop' : 'send'}
        class="send ${p.streaming ? 'stop' : ''}" aria-label=${p.streaming ? s.stopReply : s.send}
        title=${p.streaming ? s.stop : s.send} @click=${stop}>${p.streaming ? stopIcon : sendIcon}</button>
    </form>`;
}
