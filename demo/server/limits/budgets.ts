/**
 * The budgets of the per-user limits, derived from the server's `RateLimitOptions`, and the one
 * call REST and the socket share to spend a write.
 */
import type { Id } from '../../../src/types.js';
import type { RateLimitOptions } from '../options.js';
import type { Budget, LimitStore, TakeResult } from './limit-store.js';

/** Writes of one user, REST and every socket together: `writes` per `writeWindowMs`, as a burst. */
export function writeBudget(limits: Required<RateLimitOptions>): Budget {
  return { capacity: limits.writes, refillPerSec: (limits.writes * 1000) / limits.writeWindowMs };
}

/** `/api/auth/refresh` calls per client IP. */
export function refreshBudget(limits: Required<RateLimitOptions>): Budget {
  return { capacity: limits.refreshes, refillPerSec: (limits.refreshes * 1000) / limits.refreshWindowMs };
}

/** Spends one write of `userId`'s budget (`scope` names a separate budget of the same size). */
export function takeWrite(
  limiter: LimitStore,
  limits: Required<RateLimitOptions>,
  userId: Id,
  scope = 'write',
): Promise<TakeResult> {
  return limiter.take(`${scope}:${userId}`, writeBudget(limits));
}
