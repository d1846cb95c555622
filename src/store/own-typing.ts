/**
 * The current user's typing, sent throttled: `true` at most once per throttle window while typing,
 * `false` after an idle pause and right after a send.
 */
export class OwnTyping {
  #sentAt = 0;
  #typing = false;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #send: (isTyping: boolean) => void;
  #throttleMs: number;
  #idleMs: number;

  constructor(send: (isTyping: boolean) => void, throttleMs: number, idleMs: number) {
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
      this.#send(true);
    }
    this.#idleTimer = setTimeout(() => this.stop(), this.#idleMs);
  }

  /** Sends `false` if `true` was the last thing sent. */
  stop(): void {
    clearTimeout(this.#idleTimer);
    if (!this.#typing) return;
    this.#typing = false;
    this.#sentAt = 0;
    this.#send(false);
  }

  dispose(): void {
    clearTimeout(this.#idleTimer);
  }
}
