/**
 * Which conversation the widget shows: resumes the user's newest one (or the `conversation-id`
 * one) after sign-in or a reload, retrying with backoff while the server is unreachable; switches
 * to an earlier one or a new one from the conversation list; loads the quick prompts.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { backoffDelay, ParleyError, type BotPrompt, type Conversation, type Id } from '../../src/index.js';
import type { ChatClientLike } from './chat-client-like.js';

export interface ConversationsContext {
  client(): ChatClientLike | null;
  /** The `conversation-id` attribute, if set. */
  requestedId(): Id | null;
  signedIn(): boolean;
  /** Runs client work whose arriving messages are history (no announcement, no unread count). */
  quietly<T>(work: Promise<T>): Promise<T>;
  /** Called before the shown conversation changes (the message window starts over). */
  switching(): void;
  /** Called after a resume attempt, successful or not. */
  settled(): void;
  error(error: unknown): void;
}

/** Whether trying the same call again later may work (network trouble, 5xx), unlike auth or input errors. */
const retryable = (error: unknown): boolean => !(error instanceof ParleyError) || error.retryable;

export class ConversationsController implements ReactiveController {
  /** True while the conversation to show is being found (the composer waits for it). */
  resuming = false;
  listOpen = false;
  conversations: readonly Conversation[] = [];
  prompts: readonly BotPrompt[] = [];
  /**
   * True once the shown conversation's history has loaded, or it is known there is none: the
   * quick prompts wait for it, so they never flash for a user who has history.
   */
  historyKnown = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #attempt = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly context: ConversationsContext,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    addEventListener('online', this.retryNowIfWaiting);
  }

  hostDisconnected(): void {
    removeEventListener('online', this.retryNowIfWaiting);
    this.#cancelRetry();
  }

  /** Finds and follows the conversation to show; on a network failure tries again later. */
  async resume(): Promise<void> {
    const client = this.context.client();
    this.#cancelRetry();
    if (!client) return;
    this.#set(() => (this.resuming = true));
    client.getPrompts().then(
      (p) => this.#set(() => (this.prompts = [...p].sort((a, b) => a.order - b.order))),
      () => {},
    );
    try {
      let id = this.context.requestedId() ?? client.getConversationId();
      if (!id) id = (await client.listConversations()).results[0]?.id ?? null;
      if (id && id !== client.getConversationId()) await this.context.quietly(client.connect(id));
      this.#attempt = 0;
      this.#set(() => (this.historyKnown = true));
    } catch (error) {
      this.context.error(error);
      // Offline at load (or the server restarting): keep trying, so the conversation and its
      // queued messages show as soon as the server is reachable; `online` and opening retry at once.
      if (this.context.signedIn() && this.context.client() === client && retryable(error)) {
        // Equal jitter: widgets that lost the server together do not all come back at the same instant.
        const delay = backoffDelay(++this.#attempt, Math.random(), { jitter: 'equal' });
        this.#retryTimer = setTimeout(() => void this.resume(), delay);
      }
    } finally {
      this.#set(() => (this.resuming = false));
      this.context.settled();
    }
  }

  /** Resumes at once if a retry is waiting (the panel opened, the browser came back online). */
  retryNowIfWaiting = (): void => {
    if (this.#retryTimer !== undefined) void this.resume();
  };

  /** The client announced its conversation: nothing left to find. */
  found(): void {
    this.#set(() => (this.resuming = false));
  }

  async switchTo(id: Id): Promise<void> {
    const client = this.context.client();
    this.#set(() => (this.listOpen = false));
    if (!client || id === client.getConversationId()) return;
    this.context.switching();
    this.#set(() => (this.historyKnown = false));
    try {
      await this.context.quietly(client.connect(id));
      this.#set(() => (this.historyKnown = true));
    } catch (error) {
      this.context.error(error);
    }
  }

  async create(): Promise<void> {
    try {
      const conversation = await this.context.client()?.createConversation();
      if (conversation) await this.switchTo(conversation.id);
    } catch (error) {
      this.context.error(error);
    }
  }

  async toggleList(): Promise<void> {
    this.#set(() => (this.listOpen = !this.listOpen));
    const client = this.context.client();
    if (!this.listOpen || !client) return;
    try {
      const page = await client.listConversations();
      this.#set(() => (this.conversations = page.results));
    } catch (error) {
      this.context.error(error);
    }
  }

  /** Forgets everything (sign-out, another client). */
  reset(): void {
    this.#cancelRetry();
    this.#set(() => {
      this.listOpen = false;
      this.historyKnown = false;
      this.prompts = [];
      this.conversations = [];
    });
  }

  #cancelRetry(): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
  }

  #set(change: () => void): void {
    change();
    this.host.requestUpdate();
  }
}
