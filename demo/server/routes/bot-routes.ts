/**
 * The seed's chat-bot endpoints: `user-response` (post a message), `bot-response` (the bot's
 * reply to the newest user message) and `bot-prompts` (quick prompts).
 */
import { Router, type RequestHandler } from 'express';
import type { AppContext } from '../context.js';
import { userOf } from '../auth/require-auth.js';
import { ApiError, bodyId, bodyOf, handle } from '../http/errors.js';

export function botRoutes(ctx: AppContext, writeLimit: RequestHandler): Router {
  const r = Router();

  r.post('/user-response/', writeLimit, async (req, res) => {
    const body = bodyOf(req);
    const user = userOf(res);
    const conversationId = bodyId(body, 'conversation_id', false);
    const attachmentId = bodyId(body, 'attachment_id', false);
    const { message } = await ctx.chat.postMessage(user, {
      conversationId,
      text: body.message,
      clientId: body.client_id,
      attachmentId,
    });
    res.status(201).json({ conversation_id: message.conversation_id, message_id: message.id });
  });

  r.post(
    '/bot-response/',
    writeLimit,
    handle(async (req, res) => {
      const body = bodyOf(req);
      let conversationId: string | undefined;
      try {
        conversationId = bodyId(body, 'conversation_id', true);
      } catch {
        return res.status(400).json({ error: 'conversation_id is required and must be an id' });
      }
      try {
        await ctx.chat.requireParticipant(conversationId!, userOf(res).id);
      } catch (err) {
        if (err instanceof ApiError) return res.status(404).json({ error: 'Conversation not found' });
        throw err;
      }
      const newest = await ctx.storage.newestUserMessage(conversationId!);
      if (!newest) return res.status(400).json({ error: 'No user message to respond to' });
      const reply = await ctx.bot.replyTo(newest);
      res.json({ message: reply.text, message_id: reply.id });
    }),
  );

  r.get('/bot-prompts/', async (_req, res) => {
    res.json(await ctx.storage.listPrompts());
  });

  return r;
}
