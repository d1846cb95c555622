/**
 * Scrolling of the message log: keeps the `MessageWindow` in step with the messages, moves it
 * when the user nears an edge (keeping the bubble under the eye where it was), loads older pages
 * from the client at the very top, and sticks to the bottom while the user is there.
 *
 * The log's "Loading earlier messages…" row follows `loadingOlder` only: it shows while an older
 * page is on its way from the server and at no other time. An idle top shows nothing: reaching it
 * reveals the next held page at once or starts that fetch, so a sentinel row would only flash.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatMessage, Id } from '../../src/index.js';
import { MessageWindow } from './message-window.js';

const NEAR_EDGE_PX = 120;

export interface ScrollContext {
  /** The log element, once rendered. */
  log(): HTMLElement | null | undefined;
  messages(): readonly ChatMessage[];
  /** Fetches the page before the oldest held message; resolves true when more remain. */
  loadOlder(): Promise<boolean>;
  error(error: unknown): void;
}

export class ScrollController implements ReactiveController {
  readonly window = new MessageWindow();
  /** Whether an older-page request is in flight: the only time the log shows its loading row. */
  loadingOlder = false;
  #hasOlder = true;
  #anchor: { key: string; top: number } | null = null;
  #version = -1;
  #conversation: Id | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly context: ScrollContext,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** Re-fits the window when the messages changed (`version`) or the conversation did. */
  sync(version: number, conversationId: Id | null): void {
    if (version === this.#version && conversationId === this.#conversation) return;
    if (conversationId !== this.#conversation) this.reset();
    this.#conversation = conversationId;
    this.#version = version;
    this.window.sync(this.context.messages());
  }

  /** Back to the newest messages of a (new) conversation. */
  reset(): void {
    this.window.reset();
    this.#hasOlder = true;
    this.#version = -1;
  }

  /** Sticks to the newest message again (after the user sends). */
  follow(): void {
    this.window.follow = true;
  }

  hostUpdated(): void {
    const log = this.context.log();
    if (!log) return;
    if (this.#anchor) {
      const el = this.#find(log, this.#anchor.key);
      if (el) log.scrollTop += el.offsetTop - this.#anchor.top;
      this.#anchor = null;
    } else if (this.window.follow) {
      log.scrollTop = log.scrollHeight;
    }
  }

  onScroll = (e: Event): void => {
    const log = e.currentTarget as HTMLElement;
    const list = this.context.messages();
    const w = this.window;
    const fromBottom = log.scrollHeight - log.scrollTop - log.clientHeight;
    if (log.scrollTop < NEAR_EDGE_PX && log.scrollHeight > log.clientHeight) {
      if (w.start > 0) this.#move(log, list[w.start]?.key, () => w.up(list));
      else void this.#loadOlder();
    } else if (fromBottom < NEAR_EDGE_PX && w.end < list.length) {
      this.#move(log, list[w.end - 1]?.key, () => w.down(list));
    } else {
      w.follow = w.end >= list.length && fromBottom < 40;
    }
  };

  async #loadOlder(): Promise<void> {
    if (!this.#hasOlder || this.loadingOlder) return;
    this.loadingOlder = true;
    this.host.requestUpdate();
    try {
      this.#hasOlder = await this.context.loadOlder();
    } catch (error) {
      this.context.error(error);
    } finally {
      this.loadingOlder = false;
    }
    // The window re-anchors on the same first message; then reveal the page above it.
    const list = this.context.messages();
    this.window.sync(list);
    const log = this.context.log();
    if (log) this.#move(log, list[this.window.start]?.key, () => this.window.up(list));
    this.host.requestUpdate();
  }

  /** Moves the window, remembering where `key`'s bubble was so `hostUpdated` can keep it in place. */
  #move(log: HTMLElement, key: string | undefined, move: () => void): void {
    const el = key ? this.#find(log, key) : null;
    this.#anchor = key && el ? { key, top: el.offsetTop } : null;
    move();
    this.host.requestUpdate();
  }

  #find(log: HTMLElement, key: string): HTMLElement | null {
    return log.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`);
  }
}
