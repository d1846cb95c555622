/**
 * Where the per-user limits of PROTOCOL §2/§4 live: the write budget shared by REST and every
 * socket of a user, and the count of a user's open sockets.
 *
 * The server holds one `LimitStore` (`ctx.limiter`). `MemoryLimitStore` keeps both in this
 * process, which is exact for a single instance. With Redis (`redisUrl`), `RedisLimitStore`
 * shares them between instances: a token bucket per key updated by one Lua script, and socket
 * counts per instance that stop counting when the instance dies. `createServer({ limiter })`
 * takes any other implementation. Nothing else changes: callers only await these calls.
 *
 * Keys are opaque strings chosen by the callers (`write:<user id>`, `refresh:<ip>`).
 */

/** A budget: `capacity` units at once, refilled at `refillPerSec` (a token bucket). */
export interface Budget {
  capacity: number;
  refillPerSec: number;
}

/** The answer of `take`: accepted with what is left, or refused with when to try again. */
export type TakeResult = { ok: true; remaining: number } | { ok: false; retryAfterMs: number };

export interface LimitStore {
  /**
   * Takes `cost` units from the budget under `key`; refuses (taking nothing) when fewer are left.
   * A key never seen starts full. Must be atomic across every caller sharing the store.
   */
  take(key: string, budget: Budget, cost?: number): Promise<TakeResult>;
  /**
   * Counts one more open socket for `userId` unless `max` are open already (then false and
   * nothing counted). Every `true` is matched by exactly one `closeSocket` when that socket ends.
   */
  openSocket(userId: string, max: number): Promise<boolean>;
  /** The socket counted by a successful `openSocket` has closed. */
  closeSocket(userId: string): Promise<void>;
  /** Stops timers and connections; called once at shutdown. */
  close(): Promise<void>;
}
