import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ChatMessage, ConnectionState, ConnectionStatus, Id } from '../../src/index.js';
import { defaultLocale, onLocaleChange } from '../i18n/locale-state.js';
import { stringsFor, type Strings } from '../i18n/locales.js';
import { renderMarkdown } from '../markdown/render-markdown.js';
import { ChatController } from './chat-controller.js';
import type { ChatClientLike } from './chat-client-like.js';
import { ConversationsController } from './conversations-controller.js';
import { createDefaultClient } from './create-default-client.js';
import { startsGroup } from './group-messages.js';
import { ScrollController } from './scroll-controller.js';
import { UploadsController } from './uploads-controller.js';
import { styles } from './parley-chat.styles.js';
import { renderComposer } from './views/composer.js';
import { renderConversationList } from './views/conversation-list.js';
import { renderHeader } from './views/header.js';
import { renderLogin } from './views/login-form.js';
import { chatIcon, closeIcon } from './views/icons.js';
import { renderBubble } from './views/message-bubble.js';

/** Where the launcher sits; the panel opens from that corner and always stays on screen. */
export type ParleyPosition = 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left';

/** Detail of `parley-conversation-change`. */
export interface ConversationChangeDetail {
  conversationId: Id | null;
}
/** Detail of `parley-message`. */
export interface MessageEventDetail {
  message: ChatMessage;
}
/** Detail of `parley-connection-change`. */
export interface ConnectionChangeDetail {
  state: ConnectionStatus;
}
/** Detail of `parley-error`. */
export interface ErrorEventDetail {
  error: unknown;
}



/**
 * The Parley chat widget: a launcher button and a chat panel, fed by a headless `ChatClient`.
 *
 * @summary Embeddable real-time chat with sign-in, history, typing, attachments and offline sends.
 *
 * @event parley-conversation-change - `{conversationId}`: the current conversation became known or changed.
 * @event parley-message - `{message}`: a message entered the conversation (own optimistic sends included).
 * @event parley-connection-change - `{state}`: the connection state changed.
 * @event parley-open - The panel opened.
 * @event parley-close - The panel closed.
 * @event parley-error - `{error}`: something failed in the background (sign-in, send, upload, connection).
 *
 * @csspart launcher - The floating button that opens the panel (holds the unread `badge`).
 * @csspart badge - Unread count on the launcher.
 * @csspart panel - The chat panel.
 * @csspart header - Panel header with the bot name and the status strip.
 * @csspart status - Connection status strip (connected, reconnecting with countdown, offline, fallback).
 * @csspart retry-now - "Retry now" button while reconnecting.
 * @csspart login - The sign-in form.
 * @csspart messages - The message log.
 * @csspart message - One message bubble (`data-type`, `data-status`).
 * @csspart retry - Retry button of a failed message.
 * @csspart typing - Who is typing.
 * @csspart prompt - A quick-prompt chip.
 * @csspart composer - The composer form.
 * @csspart input - The composer textarea.
 * @csspart send - The send button.
 * @csspart attach - The attach button.
 * @csspart progress - Progress bar of an upload.
 * @csspart conversations - The conversation list.
 *
 * @cssproperty --parley-accent - Accent colour (launcher, own bubbles, buttons).
 * @cssproperty --parley-accent-text - Text on the accent colour.
 * @cssproperty --parley-bg - Panel background.
 * @cssproperty --parley-surface - Other people's bubbles, inputs.
 * @cssproperty --parley-text - Text colour.
 * @cssproperty --parley-muted - Secondary text.
 * @cssproperty --parley-border - Borders.
 * @cssproperty --parley-danger - Errors and failed messages.
 * @cssproperty --parley-radius - Corner radius.
 * @cssproperty --parley-font - Font family.
 * @cssproperty --parley-spacing - Base spacing unit.
 * @cssproperty --parley-z-index - z-index of launcher and panel.
 * @cssproperty --parley-width - Panel width.
 * @cssproperty --parley-height - Panel height.
 *
 * @example
 * ```html
 * <parley-chat api-url="https://chat.example.com" bot-name="CRM Assistant" position="bottom-right"></parley-chat>
 * ```
 */
export class ParleyChat extends LitElement {
  static override styles = styles;

  /** Base URL of the Parley server (default: the page's origin). */
  @property({ attribute: 'api-url' }) apiUrl = '';
  /** Name shown in the header. */
  @property({ attribute: 'bot-name' }) botName = 'Assistant';
  /** Corner of the launcher and panel. */
  @property({ reflect: true }) position: ParleyPosition = 'bottom-right';
  /** Conversation to open instead of the user's newest one. */
  @property({ attribute: 'conversation-id' }) conversationId: Id | null = null;
  /** `light`, `dark` or `auto` (follows `prefers-color-scheme`, live). */
  @property({ reflect: true }) theme: 'light' | 'dark' | 'auto' = 'auto';
  /** The `lang` attribute: locale of the widget's strings (else `Parley.setLocale`, else the page's). */
  @property({ attribute: 'lang' }) locale: string | null = null;
  /** The `open` attribute: whether the panel is open. Use `open()`, `close()`, `toggle()` to change it. */
  @property({ type: Boolean, reflect: true, attribute: 'open' }) isOpen = false;
  /** `local` (default): the built-in sign-in survives reloads and is shared by tabs. `memory`: nothing stored. */
  @property() session: 'local' | 'memory' = 'local';
  /** A fixed access token from the host (never stored). */
  @property({ attribute: false }) token: string | undefined = undefined;
  /** A token provider from the host (never stored); called when a token is needed. */
  @property({ attribute: false }) getToken: (() => string | null | Promise<string | null>) | undefined = undefined;

  @state() private signedIn = false;
  @state() private loginError: string | null = null;
  @state() private loginBusy = false;
  @state() private unread = 0;
  @state() private announcement = '';
  @state() private dragging = false;
  @state() private now = Date.now();

  @query('[part="launcher"]') private launcher!: HTMLButtonElement;
  @query('.log') private log?: HTMLElement;

  #controller = new ChatController(this, {
    message: (m, live) => this.#onMessage(m, live),
    conversation: (id) => this.#onConversation(id),
    state: (s) => this.#onState(s),
    error: (e) => this.#emitError(e),
    authExpired: () => {
      this.#signedOut();
      this.loginError = this.#strings.sessionExpired;
    },
  });
  #scroll = new ScrollController(this, {
    log: () => this.log,
    messages: () => this.#controller.messages,
    loadOlder: () => this.#quietly(this.client?.loadOlder(this.getConversationId() ?? undefined) ?? Promise.resolve(false)),
    error: (e) => this.#emitError(e),
  });
  #uploads = new UploadsController(this, {
    client: () => this.client,
    conversationId: () => this.getConversationId(),
    strings: () => this.#strings,
    uploaded: (attachment) => {
      this.#scroll.follow();
      this.client?.send('', { attachmentId: attachment.attachment_id }).catch((e) => this.#emitError(e));
    },
    error: (e) => this.#emitError(e),
  });
  #conversations = new ConversationsController(this, {
    client: () => this.client,
    requestedId: () => this.conversationId,
    signedIn: () => this.signedIn,
    quietly: (work) => this.#quietly(work),
    switching: () => this.#scroll.reset(),
    settled: () => this.#controller.refresh(),
    error: (e) => this.#emitError(e),
  });
  #ownsClient = false;
  #retrying = new Set<string>();
  #markdown = new Map<string, TemplateResult>();
  #lastConversation: Id | null | undefined = undefined;
  #countdown: ReturnType<typeof setInterval> | undefined;
  #readTimer: ReturnType<typeof setTimeout> | undefined;
  #offLocale: (() => void) | null = null;
  #strings: Strings = stringsFor('en');
  #lang = 'en';
  #timeFormat = new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit' });
  #dateFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium' });

  /** The ChatClient behind the widget. Set it to share a client; by default the element creates one. */
  get client(): ChatClientLike | null {
    return this.#controller.client;
  }
  set client(client: ChatClientLike | null) {
    if (this.#ownsClient) this.#controller.client?.destroy();
    this.#ownsClient = false;
    this.#useClient(client);
  }

  /** The client's connection state: `idle`, `connecting`, `open`, `reconnecting`, `fallback`, `offline` or `closed`. */
  get connectionState(): ConnectionStatus {
    return this.#controller.state.status;
  }

  /** Opens the panel and moves focus into it. */
  open(): void {
    this.isOpen = true;
  }

  /** Closes the panel. */
  close(): void {
    this.isOpen = false;
  }

  /** Opens the panel when closed, closes it when open. */
  toggle(): void {
    this.isOpen = !this.isOpen;
  }

  /** Sends `text` in the current conversation (creating one if there is none). Resolves once queued. */
  async send(text: string): Promise<ChatMessage | null> {
    const trimmed = text.trim();
    const client = this.client;
    if (!trimmed || !client) return null;
    this.#scroll.follow();
    try {
      return await client.send(trimmed);
    } catch (error) {
      this.#emitError(error);
      throw error;
    }
  }

  /** Signs in with the built-in login, then resumes the user's newest conversation. */
  async login(username: string, password: string): Promise<void> {
    const client = this.#ensureClient();
    if (!client) return;
    this.loginBusy = true;
    this.loginError = null;
    try {
      await client.login(username, password);
      this.signedIn = true;
      await this.#conversations.resume();
    } catch (error) {
      const status = (error as { status?: number }).status;
      this.loginError = status === 401 || status === 400 ? this.#strings.signInFailed : messageOf(error);
      this.#emitError(error);
      throw error;
    } finally {
      this.loginBusy = false;
    }
  }

  /** Signs out and clears everything the widget stored (credentials, outbox, messages). */
  async logout(): Promise<void> {
    const client = this.client;
    this.#signedOut();
    await client?.logout();
  }

  /** Switches this widget's language (same as setting its `lang` attribute); null follows the page again. */
  setLocale(lang: string | null): void {
    this.locale = lang;
  }

  /** The current conversation's id, or null before there is one. */
  getConversationId(): Id | null {
    return this.client?.getConversationId() ?? null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#offLocale = onLocaleChange(() => this.requestUpdate());
    // Re-attached after a removal that dropped our own client: make a new one and resume.
    if (this.hasUpdated && !this.client) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#offLocale?.();
    clearInterval(this.#countdown);
    clearTimeout(this.#readTimer);
    // A client the element made is closed with it (no socket left open by a removed widget);
    // a client the host shared stays the host's to close.
    if (this.#ownsClient) {
      this.#controller.client?.destroy();
      this.#ownsClient = false;
      this.#useClient(null);
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.#updateLocale();
    if (changed.has('apiUrl')) this.#markdown.clear();
    if (this.#ownsClient && (changed.has('apiUrl') || changed.has('session') || changed.has('token') || changed.has('getToken'))) {
      if (this.hasUpdated) {
        this.#controller.client?.destroy();
        this.#useClient(null);
      }
    }
    if (!this.client) this.#ensureClient();
    if (changed.has('conversationId') && this.hasUpdated && this.conversationId && this.signedIn) {
      void this.#conversations.switchTo(this.conversationId);
    }
    const list = this.#controller.messages;
    this.#scroll.sync(this.#controller.version, this.#controller.conversationId);
    if (changed.has('isOpen') && this.isOpen) this.unread = 0;
    for (const key of this.#retrying) {
      if (list.find((m) => m.key === key)?.status !== 'failed') this.#retrying.delete(key);
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('isOpen') && changed.get('isOpen') !== undefined) {
      this.dispatchEvent(new CustomEvent(this.isOpen ? 'parley-open' : 'parley-close', { bubbles: true, composed: true }));
      if (this.isOpen) {
        this.#focusFirst();
        this.#scheduleRead();
        this.#conversations.retryNowIfWaiting();
      }
    } else if (changed.has('isOpen') && this.isOpen) {
      this.#focusFirst();
    }
  }

  protected override render(): TemplateResult {
    const s = this.#strings;
    const badge = this.unread > 0 && !this.isOpen;
    return html`<div class="root" dir=${s.dir} lang=${this.#lang}>
      <button type="button" part="launcher" class="launcher" aria-expanded=${this.isOpen ? 'true' : 'false'}
        aria-controls="panel" aria-label=${badge ? `${s.openChat} (${s.unread(this.unread)})` : this.isOpen ? s.closeChat : s.openChat}
        @click=${() => this.toggle()}>
        ${this.isOpen ? closeIcon : chatIcon}
        ${badge ? html`<span part="badge" class="badge" aria-hidden="true">${this.unread > 99 ? '99+' : this.unread}</span>` : nothing}
      </button>
      <section part="panel" id="panel" class="panel ${this.dragging ? 'dragging' : ''}" role="dialog" aria-labelledby="title"
        ?hidden=${!this.isOpen} @keydown=${this.#onPanelKeydown}
        @dragover=${this.#onDragOver} @dragleave=${this.#onDragLeave} @drop=${this.#onDrop}>
        ${renderHeader({
          strings: s,
          botName: this.botName,
          state: this.#controller.state,
          now: this.now,
          signedIn: this.signedIn,
          listOpen: this.#conversations.listOpen,
          onRetryNow: () => this.client?.retryNow(),
          onToggleList: () => void this.#conversations.toggleList(),
          onSignOut: () => void this.logout().catch((e) => this.#emitError(e)),
          onClose: () => this.#closeAndReturnFocus(),
        })}
        ${this.signedIn ? this.#renderSignedIn(s) : renderLogin({
          strings: s,
          error: this.loginError,
          busy: this.loginBusy,
          onSubmit: (u, p) => void this.login(u, p).catch(() => {}),
        })}
        ${this.dragging ? html`<div class="drop-hint" aria-hidden="true">${s.dropFiles}</div>` : nothing}
      </section>
      <div class="sr-only" role="status" aria-live="polite">${this.announcement}</div>
    </div>`;
  }

  #renderSignedIn(s: Strings): TemplateResult {
    const conversations = this.#conversations;
    if (conversations.listOpen) {
      return renderConversationList({
        strings: s,
        conversations: conversations.conversations,
        currentId: this.getConversationId(),
        dateFormat: this.#dateFormat,
        onPick: (id) => void conversations.switchTo(id),
        onNew: () => void conversations.create(),
      });
    }
    const list = this.#controller.messages;
    const { start, end } = this.#scroll.window;
    const typing = this.#controller.typing;
    const hasUserMessage = list.some((m) => m.type === 'user');
    return html`<div part="messages" class="log" role="log" aria-live="off" aria-label=${s.messages} tabindex="0"
        @scroll=${this.#scroll.onScroll}>
        ${start > 0 || this.#scroll.loadingOlder ? html`<div class="older muted" aria-hidden="true">${s.loadingOlder}</div>` : nothing}
        ${list.length === 0 && !conversations.resuming ? html`<div class="empty muted">${s.empty}</div>` : nothing}
        ${repeat(
          list.slice(start, end),
          (m) => m.key,
          (m, i) => this.#renderMessage(m, list[start + i - 1]),
        )}
      </div>
      <div part="typing" class="typing" aria-live="off">
        ${typing.length ? s.typing(typing.map((t) => t.displayName || t.username)) : nothing}
      </div>
      ${conversations.resuming
        ? nothing
        : renderComposer({
            strings: s,
            prompts: conversations.prompts,
            showPrompts: !hasUserMessage,
            uploads: this.#uploads.items,
            onPrompt: (p) => void this.send(p.text).catch(() => {}),
            onCancelUpload: (u) => this.#uploads.cancel(u),
            onKeydown: this.#onComposerKeydown,
            onInput: this.#onComposerInput,
            onPaste: this.#onPaste,
            onSend: () => this.#sendFromComposer(),
            onPick: (files) => this.#uploads.add(files ? [...files] : []),
          })}`;
  }

  #renderMessage(m: ChatMessage, previous: ChatMessage | undefined): TemplateResult {
    return renderBubble(m, {
      strings: this.#strings,
      botName: this.botName,
      start: startsGroup(previous, m),
      body: m.type === 'system' ? m.text : this.#renderText(m.text),
      base: this.#base(),
      timeFormat: this.#timeFormat,
      retrying: this.#retrying.has(m.key),
      onRetry: (msg) => this.#retry(msg),
    });
  }

  #renderText(text: string): TemplateResult {
    let tpl = this.#markdown.get(text);
    if (!tpl) {
      if (this.#markdown.size > 1000) this.#markdown.clear();
      tpl = renderMarkdown(text, {
        base: this.#base(),
        copyLabel: this.#strings.copy,
        onCopy: (code) => {
          void navigator.clipboard?.writeText(code).catch(() => {});
          this.announcement = this.#strings.copied;
        },
      });
      this.#markdown.set(text, tpl);
    }
    return tpl;
  }

  // ---------------------------------------------------------------- client lifecycle

  #ensureClient(): ChatClientLike | null {
    if (this.client) return this.client;
    try {
      const client = createDefaultClient({
        apiUrl: this.apiUrl,
        token: this.token,
        getToken: this.getToken,
        session: this.session,
        botName: this.botName,
      });
      this.#ownsClient = true;
      this.#useClient(client);
      return client;
    } catch (error) {
      this.#emitError(error);
      return null;
    }
  }

  #useClient(client: ChatClientLike | null): void {
    this.#controller.setClient(client);
    this.#scroll.reset();
    this.signedIn = !!client && (client.isAuthenticated() || !!this.token || !!this.getToken);
    if (this.signedIn) void this.#conversations.resume();
  }

  async #quietly<T>(work: Promise<T>): Promise<T> {
    this.#controller.quiet++;
    try {
      return await work;
    } finally {
      this.#controller.quiet--;
    }
  }

  #signedOut(): void {
    this.signedIn = false;
    this.#conversations.reset();
    this.#uploads.clear();
    this.#scroll.reset();
    this.#controller.refresh();
  }

  // ---------------------------------------------------------------- client events

  #onMessage(m: ChatMessage, live: boolean): void {
    this.dispatchEvent(new CustomEvent('parley-message', { bubbles: true, composed: true, detail: { message: m } }));
    if (!live || m.own) return;
    if (!this.isOpen) this.unread++;
    else this.#scheduleRead();
    const text = m.text || (m.attachment ? `${this.#strings.attachment}: ${m.attachment.file_name}` : '');
    this.announcement = this.#strings.newMessageFrom(m.type === 'bot' ? this.botName : m.senderName || m.sender || '', text);
  }

  #onConversation(id: Id | null): void {
    this.#conversations.found();
    if (id === this.#lastConversation) return;
    this.#lastConversation = id;
    this.dispatchEvent(
      new CustomEvent('parley-conversation-change', { bubbles: true, composed: true, detail: { conversationId: id } }),
    );
  }

  #onState(s: ConnectionState): void {
    clearInterval(this.#countdown);
    this.now = Date.now();
    if (s.status === 'reconnecting') this.#countdown = setInterval(() => (this.now = Date.now()), 1000);
    this.dispatchEvent(new CustomEvent('parley-connection-change', { bubbles: true, composed: true, detail: { state: s.status } }));
  }

  #emitError(error: unknown): void {
    this.dispatchEvent(new CustomEvent('parley-error', { bubbles: true, composed: true, detail: { error } }));
  }

  #scheduleRead(): void {
    if (this.#readTimer || !this.client || !this.getConversationId()) return;
    this.#readTimer = setTimeout(() => {
      this.#readTimer = undefined;
      if (this.isOpen && this.signedIn) this.client?.markRead().catch(() => {});
    }, 300);
  }

  // ---------------------------------------------------------------- user input

  #retry(m: ChatMessage): void {
    if (!m.clientId || this.#retrying.has(m.key)) return;
    this.#retrying.add(m.key);
    this.requestUpdate();
    this.client?.retry(m.clientId).catch((e) => {
      this.#retrying.delete(m.key);
      this.#emitError(e);
      this.requestUpdate();
    });
  }

  #sendFromComposer(): void {
    const input = this.renderRoot.querySelector<HTMLTextAreaElement>('textarea[name="message"]');
    if (!input || !input.value.trim()) return;
    const text = input.value;
    input.value = '';
    this.client?.setTyping(false);
    this.send(text).catch(() => {
      if (!input.value) input.value = text;
    });
  }

  #onComposerKeydown = (e: KeyboardEvent): void => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.#sendFromComposer();
    }
  };

  #onComposerInput = (e: InputEvent): void => {
    this.client?.setTyping((e.target as HTMLTextAreaElement).value.trim().length > 0);
  };

  #onPaste = (e: ClipboardEvent): void => {
    const files = [...(e.clipboardData?.files ?? [])];
    if (files.length) {
      e.preventDefault();
      this.#uploads.add(files);
    }
  };

  #onPanelKeydown = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      this.#closeAndReturnFocus();
    }
  };

  #closeAndReturnFocus(): void {
    this.close();
    void this.updateComplete.then(() => this.launcher?.focus());
  }

  #focusFirst(): void {
    const target = this.renderRoot.querySelector<HTMLElement>('input[name="username"], textarea[name="message"]');
    (target ?? this.renderRoot.querySelector<HTMLElement>('[part="close"]'))?.focus();
  }

  // ---------------------------------------------------------------- attachments

  #onDragOver = (e: DragEvent): void => {
    if (!this.signedIn || !e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    this.dragging = true;
  };

  #onDragLeave = (e: DragEvent): void => {
    if (!e.relatedTarget || !(e.currentTarget as Node).contains(e.relatedTarget as Node)) this.dragging = false;
  };

  #onDrop = (e: DragEvent): void => {
    this.dragging = false;
    const files = [...(e.dataTransfer?.files ?? [])];
    if (!files.length || !this.signedIn) return;
    e.preventDefault();
    this.#uploads.add(files);
  };

  // ---------------------------------------------------------------- locale

  #updateLocale(): void {
    const lang = this.locale || defaultLocale() || document.documentElement.lang || navigator.language || 'en';
    if (lang === this.#lang) return;
    this.#lang = lang;
    this.#strings = stringsFor(lang);
    this.#markdown.clear();
    try {
      this.#timeFormat = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' });
      this.#dateFormat = new Intl.DateTimeFormat(lang, { dateStyle: 'medium' });
    } catch {
      // An invalid language tag keeps the previous formats.
    }
  }

  #base(): string {
    return this.apiUrl || location.href;
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
