/**
 * Retry of failed sends: a click resends once (same `client_id`); further clicks are ignored and
 * the button stays disabled until the message is no longer `failed`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatMessage } from '../../src/index.js';
import type { ChatClientLike } from './chat-client-like.js';

export interface RetryContext {
  client(): ChatClientLike | null;
  error(error: unknown): void;
}

export class RetryController implements ReactiveController {
  #retrying = new Set<string>();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly context: RetryContext,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** Whether a resend of this message is under way. */
  has(key: string): boolean {
    return this.#retrying.has(key);
  }

  retry(m: ChatMessage): void {
    if (!m.clientId || this.#retrying.has(m.key)) return;
    this.#retrying.add(m.key);
    this.host.requestUpdate();
    this.context
      .client()
      ?.retry(m.clientId)
      .catch((e) => {
        this.#retrying.delete(m.key);
        this.context.error(e);
        this.host.requestUpdate();
      });
  }

  /** Forgets the messages that left `failed` (their resend is on its way). */
  prune(list: readonly ChatMessage[]): void {
    for (const key of this.#retrying) {
      if (list.find((m) => m.key === key)?.status !== 'failed') this.#retrying.delete(key);
    }
  }
}
