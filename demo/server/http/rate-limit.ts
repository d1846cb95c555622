/**
 * Rate-limit middleware on the server's `LimitStore` (`ctx.limiter`), so a REST write spends the
 * same per-user budget as the user's sockets. Refused: 429 with `Retry-After` (seconds) and
 * `{detail, code: "rate_limited"}`; accepted: a `RateLimit` header with what is left.
 */
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import type { AppContext } from '../context.js';
import type { Budget } from '../limits/limit-store.js';
import { refreshBudget, writeBudget } from '../limits/budgets.js';

function budgetLimiter(
  ctx: AppContext,
  budget: Budget,
  keyOf: (req: Request, res: Response) => string,
): RequestHandler {
  return (req, res, next) => {
    ctx.limiter.take(keyOf(req, res), budget).then((r) => {
      if (r.ok) {
        res.setHeader('RateLimit', `limit=${budget.capacity}, remaining=${r.remaining}`);
        return next();
      }
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil(r.retryAfterMs / 1000))));
      res.status(429).json({ detail: 'Too many requests. Slow down.', code: 'rate_limited' });
    }, next);
  };
}

/**
 * Writes per user (after auth): one budget with every socket of the user (`scope` 'write'), or a
 * budget of the same size of its own (socket tickets, so a burst of messages never keeps the
 * socket from reconnecting).
 */
export function writeLimiter(ctx: AppContext, scope = 'write'): RequestHandler {
  return budgetLimiter(
    ctx,
    writeBudget(ctx.limits),
    (_req, res) => `${scope}:${(res.locals.user as { id: string }).id}`,
  );
}

/** `/api/auth/refresh` per client IP: each call writes a refresh-token row. */
export function refreshLimiter(ctx: AppContext): RequestHandler {
  return budgetLimiter(ctx, refreshBudget(ctx.limits), (req) => `refresh:${ipKeyGenerator(req.ip ?? '')}`);
}
