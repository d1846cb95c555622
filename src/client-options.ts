/** Options of {@link ChatClient}. */
import type { CredentialStore } from './auth/credentials.js';
import type { OutboxStorage } from './outbox/outbox-entry.js';
import type { Timing } from './timing.js';
import type { WebSocketClass } from './transport/websocket-transport.js';

export interface ChatClientOptions {
  /** Base URL of the chat server. Default: the page's origin. */
  apiUrl?: string;
  /** A fixed access token from the host page (never stored). */
  token?: string;
  /** The host's token provider: called when a token is needed, and once more after a 401. */
  getToken?: () => string | null | Promise<string | null>;
  /** Where a built-in `login()` keeps its session. Default: memory only. */
  credentials?: CredentialStore;
  /** Outbox storage. Default: IndexedDB (`parley-outbox`), memory when IndexedDB is missing. */
  storage?: OutboxStorage;
  /** Log state changes and frames (tokens redacted). Also on when `localStorage.debug` contains `parley` or `websocket`. */
  debug?: boolean;
  /** Display name for the bot (its typing indicator and replies fetched over REST). Default `Bot`. */
  botName?: string;
  /** Overrides of the protocol's delays (tests shorten them). */
  timing?: Partial<Timing>;
  /**
   * The WebSocket class. Default: the global one. Node 20 has none: pass `ws`'s
   * (`import { WebSocket } from 'ws'`); without one the client reports a `TransportError`
   * (`no_websocket`) through `error`, stays in `fallback`, and works over HTTP.
   */
  WebSocket?: WebSocketClass;
  /**
   * One connection per browser: the tabs signed in as the same user on the same server elect a
   * leader (Web Locks) that alone holds the socket and sends the shared outbox; the others follow
   * over a BroadcastChannel (README, "Tabs: one connection per browser"). Default: on with the
   * default outbox storage (IndexedDB, shared by the tabs), off with a custom `storage`. Without
   * Web Locks or BroadcastChannel each tab works alone.
   */
  tabs?: boolean;
  /** Random source in [0, 1) for backoff jitter. Default `Math.random`. */
  random?: () => number;
}

/** Options of {@link ChatClient.send}. */
export interface SendOptions {
  /** Default: the current conversation (one is created when there is none). */
  conversationId?: string;
  /** An id from {@link ChatClient.uploadAttachment}. */
  attachmentId?: string;
}
