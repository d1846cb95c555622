/**
 * One message (PROTOCOL §2, §8): `GET /api/chat/messages/<id>/` answers it with its current text
 * and `stream_state` (how a client fills a gap in a streaming reply, or polls one in HTTP
 * fallback), and `POST /api/chat/messages/<id>/cancel/` stops a streaming bot reply for
 * everyone. Both answer 404 for a malformed id, an unknown message, or a message of a
 * conversation the caller is not in.
 */
import { Router, type RequestHandler } from 'express';
import type { AppContext } from '../context.js';
import { userOf } from '../auth/require-auth.js';
import { pathId } from '../http/errors.js';

export function messageRoutes(ctx: AppContext, writeLimit: RequestHandler): Router {
  const r = Router();

  r.get('/messages/:id/', async (req, res) => {
    res.json(await ctx.chat.visibleMessage(userOf(res), pathId(req.params.id)));
  });

  // Cancelling a reply that already ended changes nothing and answers it as it ended (200).
  r.post('/messages/:id/cancel/', writeLimit, async (req, res) => {
    const { message } = await ctx.chat.cancelReply(userOf(res), pathId(req.params.id));
    res.json(message);
  });

  return r;
}
