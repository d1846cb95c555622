/**
 * Reconnect delays: exponential backoff with full jitter (AWS's "full jitter"), 1 s base, 30 s cap.
 * A pure function so it can be tested with a table.
 */

export interface BackoffOptions {
  /** Delay scale of the first retry in ms. Default 1000. */
  baseMs?: number;
  /** Largest delay in ms. Default 30000. */
  capMs?: number;
}

/**
 * The delay before retry number `attempt` (1 for the first retry): a uniform random value in
 * `[0, min(cap, base * 2^(attempt-1)))`, with `random` in [0, 1).
 */
export function backoffDelay(attempt: number, random: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 1000;
  const cap = options.capMs ?? 30000;
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const ceiling = Math.min(cap, base * 2 ** exponent);
  return Math.floor(ceiling * Math.min(Math.max(random, 0), 0.999999));
}
