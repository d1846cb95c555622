/**
 * REST side of the realtime features: read receipts, typing, and single-use socket tickets.
 */
import { randomBytes } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import type { AppContext } from '../context.js';
import { userOf } from '../auth/require-auth.js';
import { writeLimiter } from '../http/rate-limit.js';
import { bodyId, bodyOf, fieldError, notFound, pathId } from '../http/errors.js';

/** Tickets live 30 s and are spent on first presentation. */
export const TICKET_TTL_S = 30;

export function realtimeRoutes(ctx: AppContext, writeLimit: RequestHandler): Router {
  const r = Router();

  r.post('/messages/:id/read/', writeLimit, async (req, res) => {
    const id = pathId(req.params.id);
    const user = userOf(res);
    const message = await ctx.storage.getMessage(id);
    if (!message) throw notFound();
    await ctx.chat.requireParticipant(message.conversation_id, user.id);
    await ctx.chat.markRead(user, message.conversation_id, [message.id]);
    res.json({ status: 'success' });
  });

  r.post('/typing/', writeLimit, async (req, res) => {
    const body = bodyOf(req);
    const conversationId = bodyId(body, 'conversation_id', true)!;
    if (typeof body.is_typing !== 'boolean') throw fieldError('is_typing', 'Must be true or false.');
    const user = userOf(res);
    await ctx.chat.requireParticipant(conversationId, user.id);
    ctx.chat.typing(user, conversationId, body.is_typing);
    res.json({ status: 'success' });
  });

  // Each ticket is a database write: limited per user too, on a budget of its own so a burst of
  // messages never keeps the socket from reconnecting.
  r.post('/ws-ticket/', writeLimiter(ctx, 'ticket'), async (req, res) => {
    const conversationId = bodyId(bodyOf(req), 'conversation_id', true)!;
    const user = userOf(res);
    await ctx.chat.requireParticipant(conversationId, user.id);
    const ticket = randomBytes(24).toString('base64url');
    await ctx.storage.createTicket(ticket, user.id, conversationId, Date.now() + TICKET_TTL_S * 1000);
    res.json({ ticket, expires_in: TICKET_TTL_S });
  });

  return r;
}
