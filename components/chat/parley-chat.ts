import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { ChatMessage, ConnectionStatus, Id, MessageEnd } from '../../src/index.js';
import { ChatController } from './chat-controller.js';
import type { ChatClientLike } from './chat-client-like.js';
import { ConversationPane } from './conversation-pane.js';
import { ConversationsController } from './conversations-controller.js';
import { CountdownController } from './countdown-controller.js';
import { fire } from './dom-events.js';
import { LocaleController } from './locale-controller.js';
import { styles } from './parley-chat.styles.js';
import { SessionController } from './session-controller.js';
import { UnreadController } from './unread-controller.js';
import { renderHeader } from './views/header.js';
import { renderLauncher } from './views/launcher.js';
import { renderLogin } from './views/login-form.js';

export type {
  ConnectionChangeDetail,
  ConversationChangeDetail,
  ErrorEventDetail,
  MessageEventDetail,
} from './dom-events.js';

/** Where the launcher sits; the panel opens from that corner and always stays on screen. */
export type ParleyPosition = 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left';

/**
 * The Parley chat widget: a launcher button and a chat panel, fed by a headless `ChatClient`.
 * The class is the wiring: state lives in reactive controllers, markup in `views/`.
 *
 * @summary Embeddable real-time chat with sign-in, history, typing, attachments and offline sends.
 *
 * @event parley-conversation-change - `{conversationId}`: the current conversation became known or changed.
 * @event parley-message - `{message}`: a message entered the conversation (own optimistic sends included).
 * @event parley-connection-change - `{state}`: the connection state changed.
 * @event parley-open - The panel opened.
 * @event parley-close - The panel closed.
 * @event parley-error - `{error}`: something failed in the background (sign-in, send, upload, connection).
 * @event parley-storage-unavailable - `{store, error}`: `localStorage` or IndexedDB failed; the widget keeps that data in memory for the page (once per store).
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
 * @csspart stop - The Stop button that replaces Send while a bot reply in the open conversation is written.
 * @csspart stream-end - The "Stopped" / "Reply failed" mark of a streamed reply that did not finish.
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

  /** The text of the polite live region (new messages from others, streamed replies once ended, "copied"). */
  @state() private announcement = '';

  @query('[part="launcher"]') private launcher!: HTMLButtonElement;

  #locale = new LocaleController(this, () => this.locale);
  #countdown = new CountdownController(this);
  #controller = new ChatController(this, {
    message: (m, live) => this.#onMessage(m, live),
    replyEnded: (end) => this.#onReplyEnded(end),
    conversation: (id) => this.#onConversation(id),
    state: (s) => {
      this.#countdown.follow(s);
      fire(this, 'parley-connection-change', { state: s.status });
    },
    read: (r) => this.#unread.read(r.username === this.client?.user?.username),
    error: (e) => this.#emitError(e),
    authExpired: () => this.#session.expired(),
    session: (change) => this.#session.changed(change),
    storageUnavailable: (detail) => fire(this, 'parley-storage-unavailable', detail),
  });
  #session: SessionController = new SessionController(this, {
    chat: this.#controller,
    clientOptions: () => ({
      apiUrl: this.apiUrl,
      token: this.token,
      getToken: this.getToken,
      session: this.session,
      botName: this.botName,
    }),
    strings: () => this.#locale.strings,
    clientChanged: () => this.#pane.scroll.reset(),
    resume: () => this.#conversations.resume(),
    signedOut: () => {
      this.#conversations.reset();
      this.#pane.reset();
      this.#unread.clear();
      this.#controller.refresh();
    },
    ready: () => void this.updateComplete.then(() => this.isOpen && this.#focusFirst()),
    error: (e) => this.#emitError(e),
  });
  #conversations: ConversationsController = new ConversationsController(this, {
    client: () => this.client,
    requestedId: () => this.conversationId,
    signedIn: () => this.#session.signedIn,
    quietly: (work) => this.#controller.quietly(work),
    switching: () => this.#pane.scroll.reset(),
    settled: () => this.#controller.refresh(),
    error: (e) => this.#emitError(e),
  });
  #pane: ConversationPane = new ConversationPane(this, {
    chat: this.#controller,
    conversations: this.#conversations,
    locale: this.#locale,
    log: () => this.renderRoot?.querySelector<HTMLElement>('.log') ?? null,
    signedIn: () => this.#session.signedIn,
    botName: () => this.botName,
    base: () => this.apiUrl || location.href,
    send: (text) => this.send(text),
    announce: (text) => (this.announcement = text),
    error: (e) => this.#emitError(e),
  });
  #unread = new UnreadController(this, {
    client: () => this.client,
    isOpen: () => this.isOpen,
    signedIn: () => this.#session.signedIn,
  });
  #lastConversation: Id | null | undefined = undefined;

  /** The ChatClient behind the widget. Set it to share a client; by default the element creates one. */
  get client(): ChatClientLike | null {
    return this.#controller.client;
  }
  set client(client: ChatClientLike | null) {
    this.#session.share(client);
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
    this.#pane.scroll.follow();
    try {
      return await client.send(trimmed);
    } catch (error) {
      this.#emitError(error);
      throw error;
    }
  }

  /** Signs in with the built-in login, then resumes the user's newest conversation. */
  login(username: string, password: string): Promise<void> {
    return this.#session.login(username, password);
  }

  /** Signs out and clears everything the widget stored (credentials, outbox, messages). */
  logout(): Promise<void> {
    return this.#session.logout();
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
    // Re-attached after a removal that closed our own client: make a new one and resume.
    if (this.hasUpdated && !this.client) this.requestUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (this.#locale.update() || changed.has('apiUrl')) this.#pane.clearRendered();
    const clientOptions =
      changed.has('apiUrl') || changed.has('session') || changed.has('token') || changed.has('getToken');
    if (clientOptions && this.hasUpdated) this.#session.dropOwnClient();
    // Not while detached: a removed widget's last update must not leave a client of its own behind
    // (with tabs linked it would lead the other tabs from a page element nobody sees).
    if (!this.client && this.isConnected) this.#session.ensureClient();
    if (changed.has('conversationId') && this.hasUpdated && this.conversationId && this.#session.signedIn) {
      void this.#conversations.switchTo(this.conversationId);
    }
    this.#pane.sync();
    if (changed.has('isOpen') && this.isOpen) this.#unread.clear();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('isOpen')) return;
    const toggled = changed.get('isOpen') !== undefined;
    if (toggled) fire(this, this.isOpen ? 'parley-open' : 'parley-close', undefined);
    if (!this.isOpen) return;
    this.#focusFirst();
    if (toggled) {
      this.#unread.markReadSoon();
      this.#conversations.retryNowIfWaiting();
    }
  }

  protected override render(): TemplateResult {
    const s = this.#locale.strings;
    const { signedIn, loginError, loginBusy } = this.#session;
    const uploads = this.#pane.uploads;
    return html`<div class="root" dir=${s.dir} lang=${this.#locale.lang}>
      ${renderLauncher({ strings: s, open: this.isOpen, unread: this.#unread.count, onToggle: () => this.toggle() })}
      <section part="panel" id="panel" class="panel ${uploads.dragging ? 'dragging' : ''}" role="dialog"
        aria-labelledby="title" ?hidden=${!this.isOpen} @keydown=${this.#onPanelKeydown}
        @dragover=${uploads.onDragOver} @dragleave=${uploads.onDragLeave} @drop=${uploads.onDrop}>
        ${renderHeader({
          strings: s,
          botName: this.botName,
          state: this.#controller.state,
          now: this.#countdown.now,
          signedIn,
          listOpen: this.#conversations.listOpen,
          onRetryNow: () => this.client?.retryNow(),
          onToggleList: () => void this.#conversations.toggleList(),
          onSignOut: () => void this.logout().catch((e) => this.#emitError(e)),
          onClose: () => this.#closeAndReturnFocus(),
        })}
        ${
          signedIn
            ? this.#pane.render()
            : renderLogin({
                strings: s,
                error: loginError,
                busy: loginBusy,
                onSubmit: (u, p) => void this.login(u, p).catch(() => {}),
              })
        }
        ${uploads.dragging ? html`<div class="drop-hint" aria-hidden="true">${s.dropFiles}</div>` : nothing}
      </section>
      <div class="sr-only" role="status" aria-live="polite">${this.announcement}</div>
    </div>`;
  }

  #onMessage(m: ChatMessage, live: boolean): void {
    fire(this, 'parley-message', { message: m });
    if (!live || m.own) return;
    this.#unread.arrived();
    // A streamed reply is announced once, when it ends (`#onReplyEnded`), never token by token.
    if (m.streamState === 'streaming') return;
    const s = this.#locale.strings;
    const text = m.text || (m.attachment ? `${s.attachment}: ${m.attachment.file_name}` : '');
    this.announcement = s.newMessageFrom(m.type === 'bot' ? this.botName : m.senderName || m.sender || '', text);
  }

  /** The one announcement of a streamed reply: its final text, and whether it was stopped or failed. */
  #onReplyEnded(end: MessageEnd): void {
    const s = this.#locale.strings;
    const said = s.newMessageFrom(this.botName, end.text);
    this.announcement = end.streamState === 'complete' ? said : `${said} (${s.replyEnded[end.streamState]})`;
  }

  #onConversation(id: Id | null): void {
    this.#conversations.found();
    if (id === this.#lastConversation) return;
    this.#lastConversation = id;
    fire(this, 'parley-conversation-change', { conversationId: id });
  }

  #emitError(error: unknown): void {
    fire(this, 'parley-error', { error });
  }

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
}
