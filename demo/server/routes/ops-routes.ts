/**
 * Operations: `/healthz` (checks the database) and `/metrics` (Prometheus text).
 */
import { Router } from 'express';
import type { AppContext } from '../context.js';

export function opsRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/healthz', async (_req, res) => {
    await ctx.storage.countUsers();
    res.json({ ok: true });
  });
  r.get('/metrics', (_req, res) => {
    ctx.metrics.openSockets = ctx.hub.members().length;
    res.type('text/plain; version=0.0.4').send(ctx.metrics.render());
  });
  return r;
}
