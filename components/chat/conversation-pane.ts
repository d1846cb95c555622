/**
 * The signed-in panel body and the state only it needs: the conversation list, or the message log
 * (windowed by the ScrollController, bodies rendered once by the MarkdownCache, Retry on failed
 * sends), the typing line and the composer with its uploads.
 */
import { html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { ChatMessage } from '../../src/index.js';
import type { ChatController } from './chat-controller.js';
import type { ConversationsController } from './conversations-controller.js';
import { startsGroup } from './group-messages.js';
import type { LocaleController } from './locale-controller.js';
import { MarkdownCache } from './markdown-cache.js';
import { RetryController } from './retry-controller.js';
import { ScrollController } from './scroll-controller.js';
import { UploadsController } from './uploads-controller.js';
import { renderComposer } from './views/composer.js';
import { renderConversationList } from './views/conversation-list.js';
import { renderBubble } from './views/message-bubble.js';
import { renderMessageLog, renderTyping } from './views/message-log.js';

export interface ConversationPaneContext {
  chat: ChatController;
  conversations: ConversationsController;
  locale: LocaleController;
  /** The rendered log element, if any. */
  log(): HTMLElement | null;
  signedIn(): boolean;
  botName(): string;
  /** Base URL of links and attachments (the API URL or the page). */
  base(): string;
  send(text: string): Promise<unknown>;
  /** Says `text` in the polite live region. */
  announce(text: string): void;
  error(error: unknown): void;
}

export class ConversationPane {
  readonly scroll: ScrollController;
  readonly uploads: UploadsController;
  readonly #retries: RetryController;
  readonly #markdown: MarkdownCache;

  constructor(
    host: ReactiveControllerHost,
    private readonly context: ConversationPaneContext,
  ) {
    const { chat, locale } = context;
    const client = () => chat.client;
    this.scroll = new ScrollController(host, {
      log: context.log,
      messages: () => chat.messages,
      loadOlder: () =>
        chat.quietly(chat.client?.loadOlder(chat.client.getConversationId() ?? undefined) ?? Promise.resolve(false)),
      error: context.error,
    });
    this.uploads = new UploadsController(host, {
      client,
      signedIn: context.signedIn,
      conversationId: () => chat.client?.getConversationId() ?? null,
      strings: () => locale.strings,
      uploaded: (attachment) => {
        this.scroll.follow();
        chat.client?.send('', { attachmentId: attachment.attachment_id }).catch(context.error);
      },
      error: context.error,
    });
    this.#retries = new RetryController(host, { client, error: context.error });
    this.#markdown = new MarkdownCache(() => ({
      base: context.base(),
      copyLabel: locale.strings.copy,
      onCopy: (code) => {
        void navigator.clipboard?.writeText(code).catch(() => {});
        context.announce(locale.strings.copied);
      },
    }));
  }

  /** Before each render: fits the window to the messages, forgets retries that are under way. */
  sync(): void {
    const { chat } = this.context;
    this.scroll.sync(chat.version, chat.conversationId);
    this.#retries.prune(chat.messages);
  }

  /** Forgets rendered bodies (the base URL or the language changed). */
  clearRendered(): void {
    this.#markdown.clear();
  }

  /** Signed out: no uploads left, back to the newest messages. */
  reset(): void {
    this.uploads.clear();
    this.scroll.reset();
  }

  render(): TemplateResult {
    const { chat, conversations, locale } = this.context;
    const s = locale.strings;
    if (conversations.listOpen) {
      return renderConversationList({
        strings: s,
        conversations: conversations.conversations,
        currentId: chat.client?.getConversationId() ?? null,
        dateFormat: locale.dateFormat,
        onPick: (id) => void conversations.switchTo(id),
        // A seed backend cannot create a conversation (405): no button that cannot work.
        canCreate: chat.client?.backend !== 'seed',
        onNew: () => void conversations.create(),
      });
    }
    const messages = chat.messages;
    return html`${renderMessageLog({
      strings: s,
      messages,
      start: this.scroll.window.start,
      end: this.scroll.window.end,
      loadingOlder: this.scroll.loadingOlder,
      empty: messages.length === 0 && !conversations.resuming,
      onScroll: this.scroll.onScroll,
      renderMessage: (m, previous) => this.#renderMessage(m, previous),
    })}
      ${renderTyping(s, chat.typing)}
      ${
        conversations.resuming
          ? nothing
          : renderComposer({
              strings: s,
              prompts: conversations.prompts,
              showPrompts: conversations.historyKnown && !messages.some((m) => m.type === 'user'),
              uploads: this.uploads.items,
              onPrompt: (p) => void this.context.send(p.text).catch(() => {}),
              onCancelUpload: (u) => this.uploads.cancel(u),
              onTyping: (typing) => chat.client?.setTyping(typing),
              onPaste: this.uploads.onPaste,
              onSend: (input) => this.#sendFrom(input),
              onPick: (files) => this.uploads.add(files ? [...files] : []),
              streaming: messages.some((m) => m.streamState === 'streaming'),
              onStop: () => this.#stop(messages),
            })
      }`;
  }

  #renderMessage(m: ChatMessage, previous: ChatMessage | undefined): TemplateResult {
    const { locale } = this.context;
    return renderBubble(m, {
      strings: locale.strings,
      botName: this.context.botName(),
      start: startsGroup(previous, m),
      body:
        m.type === 'system'
          ? m.text
          : m.streamState === 'streaming'
            ? this.#markdown.renderLive(m.text)
            : this.#markdown.render(m.text),
      base: this.context.base(),
      timeFormat: locale.timeFormat,
      retrying: this.#retries.has(m.key),
      onRetry: (msg) => this.#retries.retry(msg),
    });
  }

  /** Stop: every reply of the open conversation still being written is stopped for everyone. */
  #stop(messages: readonly ChatMessage[]): void {
    const client = this.context.chat.client;
    for (const m of messages) {
      if (m.streamState === 'streaming' && m.id) client?.cancel(m.id).catch(this.context.error);
    }
  }

  /** Sends what the composer holds; puts it back if the send is refused. */
  #sendFrom(input: HTMLTextAreaElement): void {
    const text = input.value;
    if (!text.trim()) return;
    input.value = '';
    this.context.chat.client?.setTyping(false);
    this.context.send(text).catch(() => {
      if (!input.value) input.value = text;
    });
  }
}
