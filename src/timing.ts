/** Every delay the client uses, with the protocol's defaults. Tests shorten them. */
export interface Timing {
  /** Backoff base / cap for socket reconnects (full jitter). */
  backoffBaseMs: number;
  backoffCapMs: number;
  /** A connection up this long resets the backoff attempt counter. */
  resetAfterMs: number;
  /** JSON `ping` after this much silence; dead after `pongTimeoutMs` more without a frame. */
  pingAfterMs: number;
  pongTimeoutMs: number;
  /** Give up on a socket that has not opened after this long. */
  connectTimeoutMs: number;
  /** Failed handshakes in a row before falling back to HTTP. */
  fallbackAfterFailures: number;
  /** Polling interval in fallback. */
  pollMs: number;
  /**
   * Polling interval in fallback while a bot reply of the followed conversation streams (or is
   * awaited: the newest message is a recent user message): each poll also fetches every streaming
   * reply with `GET` (PROTOCOL §8: at least once a second; jittered by a quarter either way).
   */
  streamPollMs: number;
  /**
   * Polling interval on a seed backend, socket open or not: its socket never pushes messages
   * written over REST (other tabs' and devices' sends, bot replies), so they arrive by polling.
   */
  seedPollMs: number;
  /** Socket ack wait before a send is retried (and before an unanswered `sync` goes over REST). */
  ackTimeoutMs: number;
  /** Outbox retry backoff base / cap for transient failures. */
  retryBaseMs: number;
  retryCapMs: number;
  /** Someone else's typing expires after this long without an update. */
  typingExpireMs: number;
  /** Own `is_typing: true` at most this often; `false` after this long idle. */
  typingThrottleMs: number;
  typingIdleMs: number;
  /** Refresh the access token this long before `exp`. */
  refreshSkewMs: number;
  /** REST timeout (uploads have `uploadStallMs` instead). */
  requestTimeoutMs: number;
  /** An upload fails after this long without any progress (however long the whole upload takes). */
  uploadStallMs: number;
  /**
   * How long a tab's claim on the outbox entry it is sending holds before another tab may send it
   * (the first died mid-send). A failed attempt lets go at once.
   */
  claimLeaseMs: number;
}

export const DEFAULT_TIMING: Timing = {
  backoffBaseMs: 1000,
  backoffCapMs: 30000,
  resetAfterMs: 5000,
  pingAfterMs: 25000,
  pongTimeoutMs: 10000,
  connectTimeoutMs: 10000,
  fallbackAfterFailures: 3,
  pollMs: 3000,
  streamPollMs: 700,
  seedPollMs: 2000,
  ackTimeoutMs: 10000,
  retryBaseMs: 1000,
  retryCapMs: 30000,
  typingExpireMs: 5000,
  typingThrottleMs: 3000,
  typingIdleMs: 3000,
  refreshSkewMs: 60000,
  requestTimeoutMs: 15000,
  uploadStallMs: 30000,
  claimLeaseMs: 15000,
};
