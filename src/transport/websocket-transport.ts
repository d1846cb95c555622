/**
 * One socket attempt speaking the chat wire protocol (JSON text frames). It never retries: the
 * connection decides when to try again. reconnecting-websocket is used with `maxRetries: 0` for
 * its connect timeout and uniform events; reconnecting is the connection's job (full-jitter
 * backoff, fallback ladder), which the library's own fixed growth cannot express.
 */
import ReconnectingWebSocket from 'reconnecting-websocket';
import { TransportError } from '../errors.js';
import type { ClientFrame, ServerFrame } from '../types.js';
import type { Logger } from '../util/log.js';

/** A WebSocket class: the browser's, or one from a package such as `ws` in Node. */
export type WebSocketClass = new (url: string, protocols?: string | string[]) => unknown;

/** The class to use: the one given, else the global one (absent in Node 20), else null. */
export function webSocketClass(given?: WebSocketClass): WebSocketClass | null {
  return given ?? (globalThis as { WebSocket?: WebSocketClass }).WebSocket ?? null;
}

/** What the client reports when there is no WebSocket class at all. */
export function noWebSocketError(): TransportError {
  return new TransportError(
    'No WebSocket implementation: pass one as the WebSocket option (in Node, the class of the ws package); messages go over HTTP meanwhile',
    { code: 'no_websocket', retryable: false },
  );
}

export interface SocketCallbacks {
  onOpen(): void;
  onFrame(frame: ServerFrame): void;
  /** The socket closed (not by `close()`); `code` is the close code (1006 when it never opened). */
  onClose(code: number, reason: string): void;
}

export class WebSocketTransport {
  #socket: ReconnectingWebSocket;
  #done = false;
  #callbacks: SocketCallbacks;
  #log: Logger;

  constructor(
    url: string,
    callbacks: SocketCallbacks,
    options: { connectTimeoutMs: number; log: Logger; WebSocket: WebSocketClass },
  ) {
    this.#callbacks = callbacks;
    this.#log = options.log;
    this.#log('connect', url);
    this.#socket = new ReconnectingWebSocket(url, [], {
      maxRetries: 0,
      connectionTimeout: options.connectTimeoutMs,
      maxEnqueuedMessages: 0,
      WebSocket: options.WebSocket,
    });
    this.#socket.addEventListener('open', () => {
      if (!this.#done) callbacks.onOpen();
    });
    this.#socket.addEventListener('message', (event) => this.#onMessage(event.data));
    this.#socket.addEventListener('close', (event) => {
      if (this.#done) return;
      this.#done = true;
      this.#socket.close();
      callbacks.onClose(event.code, event.reason);
    });
  }

  /** Whether frames can be sent now. */
  get isOpen(): boolean {
    return !this.#done && this.#socket.readyState === ReconnectingWebSocket.OPEN;
  }

  /** Sends one frame; false when the socket is not open. */
  send(frame: ClientFrame): boolean {
    if (!this.isOpen) return false;
    const text = JSON.stringify(frame);
    this.#log('send', text);
    this.#socket.send(text);
    return true;
  }

  /** Closes without reporting `onClose`. */
  close(code = 1000, reason = ''): void {
    this.#done = true;
    this.#socket.close(code, reason);
  }

  #onMessage(data: unknown): void {
    if (this.#done || typeof data !== 'string') return;
    this.#log('frame', data);
    let frame: ServerFrame;
    try {
      frame = JSON.parse(data) as ServerFrame;
    } catch {
      return;
    }
    if (frame && typeof frame === 'object' && typeof frame.type === 'string') this.#callbacks.onFrame(frame);
  }
}
