/**
 * `/api/auth/*`: login (failed attempts rate-limited), refresh with rotation (rate-limited per IP),
 * me, logout.
 */
import { Router } from 'express';
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import type { AppContext } from '../context.js';
import { DUMMY_HASH, verifyPassword } from '../auth/passwords.js';
import { requireAuth, userOf } from '../auth/require-auth.js';
import { TokenError } from '../auth/tokens.js';
import { bodyOf, handle } from '../http/errors.js';
import { refreshLimiter } from '../http/rate-limit.js';

export function authRoutes(ctx: AppContext): Router {
  const r = Router();

  const failedLogins = rateLimit({
    windowMs: ctx.limits.loginWindowMs,
    limit: ctx.limits.loginFailures,
    skipSuccessfulRequests: true,
    // With Redis the failures count across every instance; a Redis outage lifts the limit meanwhile.
    store: ctx.limitStore?.('login'),
    passOnStoreError: true,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => `${String(bodyOf(req).username ?? '').toLowerCase()}|${ipKeyGenerator(req.ip ?? '')}`,
    handler: (_req, res) => {
      res.status(429).json({ detail: 'Too many failed login attempts. Try again later.', code: 'rate_limited' });
    },
  });

  r.post(
    '/login',
    failedLogins,
    handle(async (req, res) => {
      const { username, password } = bodyOf(req);
      const errors: Record<string, string[]> = {};
      if (typeof username !== 'string' || !username) errors.username = ['This field is required.'];
      if (typeof password !== 'string' || !password) errors.password = ['This field is required.'];
      if (Object.keys(errors).length) return res.status(400).json(errors);
      const user = await ctx.storage.findUserByUsername(username as string);
      const ok = await verifyPassword(password as string, user?.password_hash ?? DUMMY_HASH);
      if (!user || !ok) {
        ctx.log.info({ event: 'login_failed' }, 'failed login');
        return res
          .status(401)
          .json({ detail: 'No active account found with the given credentials', code: 'authentication_failed' });
      }
      const pair = await ctx.tokens.issue(user);
      res.json({ ...pair, username: user.username });
    }),
  );

  r.post(
    '/refresh',
    refreshLimiter(ctx),
    handle(async (req, res) => {
      const { refresh } = bodyOf(req);
      if (typeof refresh !== 'string' || !refresh)
        return res.status(400).json({ refresh: ['This field is required.'] });
      try {
        res.json(await ctx.tokens.rotate(refresh));
      } catch (err) {
        if (!(err instanceof TokenError)) throw err;
        res.status(401).json({ detail: 'Token is invalid or expired', code: 'token_not_valid' });
      }
    }),
  );

  r.get('/me', requireAuth(ctx.tokens), (_req, res) => {
    res.json(userOf(res));
  });

  r.post(
    '/logout',
    handle(async (req, res) => {
      await ctx.tokens.revoke(bodyOf(req).refresh);
      res.status(204).end();
    }),
  );

  return r;
}
