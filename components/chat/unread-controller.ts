/**
 * Unread messages: counts live messages from others while the panel is closed (the launcher's
 * badge), and tells the server they were read shortly after they are seen in the open panel.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatClientLike } from './chat-client-like.js';

/** Batches read receipts: one `markRead` for a burst of replies. */
const READ_DELAY_MS = 300;

export interface UnreadContext {
  client(): ChatClientLike | null;
  isOpen(): boolean;
  signedIn(): boolean;
}

export class UnreadController implements ReactiveController {
  count = 0;
  #readTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly context: UnreadContext,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    clearTimeout(this.#readTimer);
    this.#readTimer = undefined;
  }

  /** A live message from someone else arrived. */
  arrived(): void {
    if (this.context.isOpen()) {
      this.markReadSoon();
    } else {
      this.count++;
      this.host.requestUpdate();
    }
  }

  /** The panel is open: nothing is unread any more. */
  clear(): void {
    this.count = 0;
  }

  /**
   * Messages were read. When the reader is the user (here, in another tab or on another device),
   * nothing is unread any more: every tab's badge clears.
   */
  read(byUser: boolean): void {
    if (!byUser || this.count === 0) return;
    this.count = 0;
    this.host.requestUpdate();
  }

  markReadSoon(): void {
    const client = this.context.client();
    if (this.#readTimer || !client?.getConversationId()) return;
    this.#readTimer = setTimeout(() => {
      this.#readTimer = undefined;
      if (this.context.isOpen() && this.context.signedIn())
        this.context
          .client()
          ?.markRead()
          .catch(() => {});
    }, READ_DELAY_MS);
  }
}
