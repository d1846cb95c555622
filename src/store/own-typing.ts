/**
 * The current user's typing, sent throttled: `true` at most once per throttle window while typing,
 * `false` after an idle pause and right after a send. A seed backend echoes `typing` to the
 * sending socket too: what was sent is remembered so the tab can drop its own echo (and still show
 * the same user typing in another tab).
 */

/** An echo later than this is no echo of ours. */
const ECHO_WINDOW_MS = 10_000;

export class OwnTyping {
  #sentAt = 0;
  #typing = false;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #send: (isTyping: boolean) => boolean;
  #echoes: { isTyping: boolean; at: number }[] = [];
  #throttleMs: number;
  #idleMs: number;

  /** `send` returns true when the backend will echo the frame back to this socket. */
  constructor(send: (isTyping: boolean) => boolean, throttleMs: number, idleMs: number) {
    this.#send = send;
    this.#throttleMs = throttleMs;
    this.#idleMs = idleMs;
  }

  set(isTyping: boolean): void {
    clearTimeout(this.#idleTimer);
    if (!isTyping) return this.stop();
    const now = Date.now();
    if (!this.#typing || now - this.#sentAt >= this.#throttleMs) {
      this.#typing = true;
      this.#sentAt = now;
      this.#sent(true);
    }
    this.#idleTimer = setTimeout(() => this.stop(), this.#idleMs);
  }

  /** Sends `false` if `true` was the last thing sent. */
  stop(): void {
    clearTimeout(this.#idleTimer);
    if (!this.#typing) return;
    this.#typing = false;
    this.#sentAt = 0;
    this.#sent(false);
  }

  /** A typing frame of the current user arrived: true (and forgotten) when it is this tab's own echo. */
  isEcho(isTyping: boolean): boolean {
    const now = Date.now();
    this.#echoes = this.#echoes.filter((e) => now - e.at < ECHO_WINDOW_MS);
    const index = this.#echoes.findIndex((e) => e.isTyping === isTyping);
    if (index < 0) return false;
    this.#echoes.splice(0, index + 1);
    return true;
  }

  /** A frame sent for another tab of this browser will come back to this socket: drop it then. */
  expectEcho(isTyping: boolean): void {
    this.#echoes.push({ isTyping, at: Date.now() });
  }

  #sent(isTyping: boolean): void {
    if (this.#send(isTyping)) this.#echoes.push({ isTyping, at: Date.now() });
  }

  dispose(): void {
    clearTimeout(this.#idleTimer);
  }
}
