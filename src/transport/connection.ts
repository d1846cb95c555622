/**
 * The connection: owns the state union, the socket attempts, backoff, heartbeat, close-code
 * handling (PROTOCOL §4) and the fallback ladder (§5). It is the one place that changes `state`.
 */
import { AuthError, type TransportError } from '../errors.js';
import type { CloseReason, ConnectionState } from '../events.js';
import type { Timing } from '../timing.js';
import { CLOSE_CODES, type ClientFrame, type HelloFrame, type Id, type ServerFrame } from '../types.js';
import type { Logger } from '../util/log.js';
import { backoffDelay } from './backoff.js';
import { hintTriesNow, listenToPage } from './page-signals.js';
import { noWebSocketError, WebSocketTransport, webSocketClass, type WebSocketClass } from './websocket-transport.js';

export interface ConnectionDeps {
  timing: Timing;
  random: () => number;
  log: Logger;
  /** The socket URL (ticket, or token on a seed backend). Rejects with AuthError when auth is gone. */
  socketUrl(conversationId: Id): Promise<string>;
  /** A seed backend sends no `hello` and no `pong`: the handshake ends at `open`. */
  isSeed(): boolean;
  /** After a 4001: renew the token. Rejects when that is impossible. */
  refreshAuth(): Promise<void>;
  /** A second 4001 in a row: the login is dead. */
  authRejected(): void;
  onState(state: ConnectionState): void;
  onFrame(frame: ServerFrame): void;
  /** The handshake completed (hello, or open on a seed backend). */
  onOpen(hello: HelloFrame | null): void;
  /** The socket closed after it was open, or an attempt failed (sends in flight must be retried). */
  onDown(): void;
  /** HTTP fallback began (true) or ended (false). */
  onFallback(active: boolean): void;
  /** The server closed with 1009: the send in flight was too big. */
  onTooBig(): void;
  /** The WebSocket class to use (default: the global one). */
  WebSocket?: WebSocketClass;
  /** There is no WebSocket class at all: reported once, and the client stays on HTTP. */
  onNoWebSocket(error: TransportError): void;
}

export class Connection {
  #deps: ConnectionDeps;
  #state: ConnectionState = { status: 'idle' };
  #conversationId: Id | null = null;
  #socket: WebSocketTransport | null = null;
  #handshaken = false;
  #generation = 0;
  #attempt = 0;
  #failures = 0;
  #authRetried = false;
  #fallback = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #uptimeTimer: ReturnType<typeof setTimeout> | undefined;
  #pingTimer: ReturnType<typeof setTimeout> | undefined;
  #pongTimer: ReturnType<typeof setTimeout> | undefined;
  #unlisten: (() => void) | null = null;
  /** A follower tab: the state is the leader's, and there is no socket here. */
  #mirrored = false;

  constructor(deps: ConnectionDeps) {
    this.#deps = deps;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** Whether the socket is open and past its handshake. */
  get isOpen(): boolean {
    if (this.#mirrored) return this.#state.status === 'open';
    return this.#handshaken && !!this.#socket?.isOpen;
  }

  /** Whether the state is a follower tab's copy of the leader's (see {@link mirror}). */
  get mirrored(): boolean {
    return this.#mirrored;
  }

  get transport(): 'websocket' | 'http' | null {
    if (this.#mirrored) return this.isOpen ? 'websocket' : this.#state.status === 'fallback' ? 'http' : null;
    if (this.isOpen) return 'websocket';
    return this.#fallback ? 'http' : null;
  }

  /** Follows `conversationId`: opens its socket (closing any other). */
  start(conversationId: Id): void {
    this.#teardown();
    this.#mirrored = false;
    this.#conversationId = conversationId;
    this.#attempt = 0;
    this.#failures = 0;
    this.#authRetried = false;
    this.#listen();
    void this.#connect();
  }

  /** Closes everything and settles in `closed` with `reason`. */
  stop(reason: CloseReason = 'disconnected'): void {
    this.#teardown();
    this.#mirrored = false;
    this.#unlisten?.();
    this.#unlisten = null;
    this.#conversationId = null;
    // Already closed for this reason (auth-expired reaches here from the token manager too): say it once.
    if (this.#state.status === 'closed' && this.#state.reason === reason) return;
    if (this.#state.status !== 'idle' || reason !== 'disconnected') this.#setState({ status: 'closed', reason });
  }

  /**
   * A follower tab: no socket of its own (any is closed, quietly), and `state` is the leader's
   * connection state, emitted as this client's own.
   */
  mirror(state: ConnectionState): void {
    if (!this.#mirrored) {
      this.#teardown();
      this.#unlisten?.();
      this.#unlisten = null;
      this.#conversationId = null;
      this.#mirrored = true;
    }
    if (JSON.stringify(state) !== JSON.stringify(this.#state)) this.#setState(state);
  }

  /** Tries the socket again now (the "retry now" button, `online`, page visible). */
  retryNow(): void {
    if (!this.#conversationId || this.isOpen) return;
    const status = this.#state.status;
    if (status === 'closed' || (status === 'connecting' && this.#socket)) return;
    this.#attempt = 0;
    void this.#connect();
  }

  /** Sends a frame over the open socket; false when it is not open. */
  send(frame: ClientFrame): boolean {
    return this.isOpen && !!this.#socket?.send(frame);
  }

  #setState(state: ConnectionState): void {
    this.#state = state;
    this.#deps.log('state', state);
    this.#deps.onState(state);
  }

  #teardown(): void {
    this.#generation += 1;
    clearTimeout(this.#retryTimer);
    this.#stopTimers();
    this.#socket?.close();
    this.#socket = null;
    const wasOpen = this.#handshaken;
    this.#handshaken = false;
    if (wasOpen) this.#deps.onDown();
    if (this.#fallback) {
      this.#fallback = false;
      this.#deps.onFallback(false);
    }
  }

  #stopTimers(): void {
    clearTimeout(this.#uptimeTimer);
    clearTimeout(this.#pingTimer);
    clearTimeout(this.#pongTimer);
  }

  #listen(): void {
    this.#unlisten ??= listenToPage({
      online: () => this.#nudge(),
      offline: () => this.#goOffline(),
      visible: () => this.#nudge(),
    });
  }

  /** `online`, or the page became visible: a hint, not a command (see `hintTriesNow`). */
  #nudge(): void {
    const state = { status: this.#state.status, fallback: this.#fallback, failures: this.#failures };
    if (this.#conversationId && !this.isOpen && hintTriesNow(state)) void this.#connect();
  }

  #goOffline(): void {
    if (!this.#conversationId || this.#state.status === 'closed') return;
    clearTimeout(this.#retryTimer);
    this.#stopTimers();
    this.#generation += 1;
    this.#socket?.close();
    this.#socket = null;
    if (this.#handshaken) {
      this.#handshaken = false;
      this.#deps.onDown();
    }
    if (this.#fallback) {
      this.#fallback = false;
      this.#deps.onFallback(false);
    }
    this.#setState({ status: 'offline' });
  }

  async #connect(): Promise<void> {
    const conversationId = this.#conversationId;
    if (!conversationId) return;
    clearTimeout(this.#retryTimer);
    this.#socket?.close();
    this.#socket = null;
    const generation = ++this.#generation;
    if (globalThis.navigator?.onLine === false) return this.#setState({ status: 'offline' });
    if (!this.#fallback) this.#setState({ status: 'connecting', attempt: this.#attempt + 1 });
    let url: string;
    try {
      url = await this.#deps.socketUrl(conversationId);
    } catch (error) {
      if (generation !== this.#generation) return;
      if (error instanceof AuthError) {
        // Refused even after the refresh the REST layer already tried: the login is dead, and says so.
        this.#deps.authRejected();
        return this.stop('auth-expired');
      }
      return this.#failed(CLOSE_CODES.abnormal, true);
    }
    if (generation !== this.#generation) return;
    const WebSocket = webSocketClass(this.#deps.WebSocket);
    if (!WebSocket) return this.#withoutSocket();
    this.#socket = new WebSocketTransport(
      url,
      {
        onOpen: () => {
          if (generation !== this.#generation) return;
          if (this.#deps.isSeed()) return this.#handshake(null);
          // Open but silent (a proxy that swallows frames): no hello in time is a failed handshake.
          this.#pongTimer = setTimeout(() => {
            this.#socket?.close(CLOSE_CODES.clientGaveUp, 'no hello');
            this.#closed(CLOSE_CODES.abnormal);
          }, this.#deps.timing.connectTimeoutMs);
        },
        onFrame: (frame) => {
          if (generation !== this.#generation) return;
          this.#alive();
          if (frame.type === 'hello') this.#handshake(frame);
          else if (frame.type !== 'pong') this.#deps.onFrame(frame);
        },
        onClose: (code, reason) => {
          if (generation !== this.#generation) return;
          this.#deps.log('closed', { code, reason });
          this.#closed(code);
        },
      },
      { connectTimeoutMs: this.#deps.timing.connectTimeoutMs, log: this.#deps.log, WebSocket },
    );
  }

  /** No WebSocket class (Node 20 without `ws`): HTTP only, said through `error` and a `fallback` with no probe. */
  #withoutSocket(): void {
    if (!this.#fallback) {
      this.#fallback = true;
      this.#deps.onFallback(true);
      this.#deps.onNoWebSocket(noWebSocketError());
    }
    this.#setState({ status: 'fallback', transport: 'http', nextProbeAt: null });
  }

  #handshake(hello: HelloFrame | null): void {
    this.#handshaken = true;
    this.#failures = 0;
    this.#authRetried = false;
    if (this.#fallback) {
      this.#fallback = false;
      this.#deps.onFallback(false);
    }
    const { timing } = this.#deps;
    this.#uptimeTimer = setTimeout(() => (this.#attempt = 0), timing.resetAfterMs);
    this.#alive();
    this.#setState({ status: 'open', transport: 'websocket' });
    this.#deps.onOpen(hello);
  }

  /** Any frame proves the socket alive: restart the silence timer. */
  #alive(): void {
    clearTimeout(this.#pingTimer);
    clearTimeout(this.#pongTimer);
    if (!this.#handshaken || this.#deps.isSeed()) return;
    const { timing } = this.#deps;
    this.#pingTimer = setTimeout(() => {
      this.#socket?.send({ type: 'ping' });
      this.#pongTimer = setTimeout(() => {
        this.#deps.log('dead', 'no pong');
        this.#socket?.close(CLOSE_CODES.clientGaveUp, 'no pong');
        this.#closed(CLOSE_CODES.abnormal);
      }, timing.pongTimeoutMs);
    }, timing.pingAfterMs);
  }

  #closed(code: number): void {
    const beforeHandshake = !this.#handshaken;
    this.#stopTimers();
    this.#socket = null;
    this.#handshaken = false;
    // 1009 first: the send in flight failed for good, before the others are released for a retry.
    if (code === CLOSE_CODES.tooBig) this.#deps.onTooBig();
    if (!beforeHandshake) this.#deps.onDown();
    if (code === CLOSE_CODES.unauthorized) {
      if (this.#authRetried) {
        this.#deps.authRejected();
        return this.stop('auth-expired');
      }
      this.#authRetried = true;
      const generation = this.#generation;
      this.#setState({ status: 'reconnecting', attempt: this.#attempt + 1, nextRetryAt: Date.now() });
      this.#deps.refreshAuth().then(
        () => {
          if (generation === this.#generation) void this.#connect();
        },
        (error: unknown) => {
          if (generation !== this.#generation) return;
          // Only a dead login ends here; a refresh that failed in passing (network, 5xx) is retried.
          if (error instanceof AuthError) return this.stop('auth-expired');
          this.#authRetried = false;
          this.#failed(CLOSE_CODES.unauthorized, true);
        },
      );
      return;
    }
    if (code === CLOSE_CODES.forbidden) return this.stop('forbidden');
    if (code === CLOSE_CODES.notFound) return this.stop('not-found');
    this.#failed(code, beforeHandshake);
  }

  /** Schedules the next attempt: a plain reconnect, or a background probe in fallback. */
  #failed(code: number, beforeHandshake: boolean): void {
    const { timing, random } = this.#deps;
    if (beforeHandshake) this.#failures += 1;
    this.#attempt += 1;
    const delay = backoffDelay(this.#attempt, random(), { baseMs: timing.backoffBaseMs, capMs: timing.backoffCapMs });
    const at = Date.now() + delay;
    this.#deps.log('retry', { code, attempt: this.#attempt, delay });
    if (this.#fallback || (beforeHandshake && this.#failures >= timing.fallbackAfterFailures)) {
      if (!this.#fallback) {
        this.#fallback = true;
        this.#deps.onFallback(true);
      }
      this.#setState({ status: 'fallback', transport: 'http', nextProbeAt: at });
    } else {
      this.#setState({ status: 'reconnecting', attempt: this.#attempt, nextRetryAt: at });
    }
    const generation = this.#generation;
    this.#retryTimer = setTimeout(() => {
      if (generation === this.#generation) void this.#connect();
    }, delay);
  }
}
