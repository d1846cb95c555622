/**
 * Reconnect delays: exponential backoff with full jitter (AWS's "full jitter"), 1 s base, 30 s cap.
 * A pure function so it can be tested with a table.
 */

export interface BackoffOptions {
  /** Delay scale of the first retry in ms. Default 1000. */
  baseMs?: number;
  /** Largest delay in ms. Default 30000. */
  capMs?: number;
  /**
   * `full` (default): anywhere in `[0, ceiling)`. `equal`: `[ceiling/2, ceiling)`, for retries that
   * must not come back at once yet must wait at least half the step (AWS's "equal jitter").
   */
  jitter?: 'full' | 'equal';
}

/**
 * The delay before retry number `attempt` (1 for the first retry): a uniform random value in
 * `[0, min(cap, base * 2^(attempt-1)))` (or its upper half with `jitter: 'equal'`), with `random` in [0, 1).
 */
export function backoffDelay(attempt: number, random: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 1000;
  const cap = options.capMs ?? 30000;
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const ceiling = Math.min(cap, base * 2 ** exponent);
  const r = Math.min(Math.max(random, 0), 0.999999);
  return options.jitter === 'equal' ? Math.floor(ceiling / 2 + (ceiling / 2) * r) : Math.floor(ceiling * r);
}
