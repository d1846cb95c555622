/**
 * Which client the widget talks through, and whether someone is signed in on it: makes the
 * element's own ChatClient when the host shares none (and closes it when it is replaced or the
 * element is removed; a shared client stays the host's to close), signs in with the built-in form,
 * signs out, and shows the form again when the server ends the session.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SessionChange } from '../../src/index.js';
import type { Strings } from '../i18n/locales.js';
import type { ChatClientLike } from './chat-client-like.js';
import type { ChatController } from './chat-controller.js';
import { createDefaultClient, type DefaultClientOptions } from './create-default-client.js';

export interface SessionContext {
  /** Subscribes the view to the client in use. */
  chat: ChatController;
  /** How to make the element's own client (its attributes and the host's token or provider). */
  clientOptions(): DefaultClientOptions;
  strings(): Strings;
  /** Another client (or none) is now in use. */
  clientChanged(): void;
  /** Signed in: find the conversation to show. */
  resume(): Promise<void>;
  /** Signed out, the session ended, or another user signed in: forget what was shown. */
  signedOut(): void;
  /** Signed in through the form and the conversation is shown: the composer takes the focus. */
  ready(): void;
  error(error: unknown): void;
}

export class SessionController implements ReactiveController {
  signedIn = false;
  /** Why the last sign-in failed or the session ended, shown in the form. */
  loginError: string | null = null;
  loginBusy = false;
  #ownsClient = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly context: SessionContext,
  ) {
    host.addController(this);
  }

  get client(): ChatClientLike | null {
    return this.context.chat.client;
  }

  hostDisconnected(): void {
    // A client the element made is closed with it (no socket left open by a removed widget).
    if (this.#ownsClient) this.dropOwnClient();
  }

  /** Follows a client the host shares (or none), closing the element's own one. */
  share(client: ChatClientLike | null): void {
    if (this.#ownsClient) this.client?.destroy();
    this.#ownsClient = false;
    this.#use(client);
  }

  /** The client in use; makes the element's own one when there is none. */
  ensureClient(): ChatClientLike | null {
    if (this.client) return this.client;
    try {
      const client = createDefaultClient(this.context.clientOptions());
      this.#ownsClient = true;
      this.#use(client);
      return client;
    } catch (error) {
      this.context.error(error);
      return null;
    }
  }

  /** Closes the element's own client (its options changed, or the element left the page). */
  dropOwnClient(): void {
    if (!this.#ownsClient) return;
    this.client?.destroy();
    this.#ownsClient = false;
    this.#use(null);
  }

  async login(username: string, password: string): Promise<void> {
    const client = this.ensureClient();
    if (!client) return;
    this.#set(() => {
      this.loginBusy = true;
      this.loginError = null;
    });
    try {
      await client.login(username, password);
      this.#set(() => (this.signedIn = true));
      await this.context.resume();
      this.context.ready();
    } catch (error) {
      const status = (error as { status?: number }).status;
      const message = status === 401 || status === 400 ? this.context.strings().signInFailed : messageOf(error);
      this.#set(() => (this.loginError = message));
      this.context.error(error);
      throw error;
    } finally {
      this.#set(() => (this.loginBusy = false));
    }
  }

  async logout(): Promise<void> {
    const client = this.client;
    this.#signOut();
    await client?.logout();
  }

  /**
   * Another tab signed out (back to the form) or in as someone (this tab resets, then shows that
   * user's chat). Changes made here are handled by `login`, `logout` and `expired`.
   */
  changed(change: SessionChange): void {
    if (change.reason !== 'elsewhere') return;
    this.#signOut();
    if (!change.username) return;
    this.#set(() => {
      this.signedIn = true;
      this.loginError = null;
    });
    void this.context.resume();
  }

  /** The server ended the session (the refresh failed): back to the form, with the reason. */
  expired(): void {
    this.#signOut();
    this.#set(() => (this.loginError = this.context.strings().sessionExpired));
  }

  #signOut(): void {
    this.#set(() => (this.signedIn = false));
    this.context.signedOut();
  }

  #use(client: ChatClientLike | null): void {
    this.context.chat.setClient(client);
    this.context.clientChanged();
    const { token, getToken } = this.context.clientOptions();
    this.#set(() => (this.signedIn = !!client && (client.isAuthenticated() || !!token || !!getToken)));
    if (this.signedIn) void this.context.resume();
  }

  #set(change: () => void): void {
    change();
    this.host.requestUpdate();
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
