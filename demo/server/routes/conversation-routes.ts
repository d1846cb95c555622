/**
 * `/api/chat/conversations/*`: list (cursor pages of 20), create, read one, its messages
 * (seq windows or the seed's limit/offset), and adding participants.
 */
import { Router, type Request, type RequestHandler } from 'express';
import type { AppContext } from '../context.js';
import { userOf } from '../auth/require-auth.js';
import { bodyOf, fieldError, pathId } from '../http/errors.js';
import type { MessageQuery } from '../storage/storage.js';

const PAGE = 20;

/** A non-negative integer query parameter, or a 400 field error. */
function intParam(req: Request, name: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = req.query[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string' || !/^[0-9]{1,15}$/.test(v) || Number(v) > max)
    throw fieldError(name, 'Must be a non-negative integer in range.');
  return Number(v);
}

function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}
function decodeCursor(cursor: unknown): number {
  if (cursor === undefined || cursor === '') return 0;
  const m = typeof cursor === 'string' ? /^o:([0-9]{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString()) : null;
  if (!m) throw fieldError('cursor', 'Invalid cursor.');
  return Number(m[1]);
}

export function conversationRoutes(ctx: AppContext, writeLimit: RequestHandler): Router {
  const r = Router();

  r.get('/conversations/', async (req, res) => {
    const offset = decodeCursor(req.query.cursor);
    const rows = await ctx.storage.listConversations(userOf(res).id, offset, PAGE + 1);
    const base = `${req.protocol}://${req.get('host')}${req.baseUrl}/conversations/`;
    res.json({
      next: rows.length > PAGE ? `${base}?cursor=${encodeCursor(offset + PAGE)}` : null,
      previous: offset > 0 ? `${base}?cursor=${encodeCursor(Math.max(0, offset - PAGE))}` : null,
      results: rows.slice(0, PAGE).map((c) => ctx.hub.live.currentLast(c)),
    });
  });

  r.post('/conversations/', writeLimit, async (req, res) => {
    const { title } = bodyOf(req);
    const user = userOf(res);
    if (title !== undefined && title !== null && (typeof title !== 'string' || [...title].length > 200)) {
      throw fieldError('title', 'Must be a string of at most 200 characters.');
    }
    const t = typeof title === 'string' && title.trim() ? title.trim() : `Chat with ${user.username}`;
    res.status(201).json(await ctx.storage.createConversation(t, user.id));
  });

  r.get('/conversations/:id/', async (req, res) => {
    const id = pathId(req.params.id);
    await ctx.chat.requireParticipant(id, userOf(res).id);
    const conversation = await ctx.storage.getConversation(id);
    res.json(conversation && ctx.hub.live.currentLast(conversation));
  });

  r.get('/conversations/:id/messages/', async (req, res) => {
    const id = pathId(req.params.id);
    await ctx.chat.requireParticipant(id, userOf(res).id);
    const limit = intParam(req, 'limit', 200) ?? 50;
    if (limit < 1) throw fieldError('limit', 'Must be between 1 and 200.');
    const q: MessageQuery = {
      limit,
      afterSeq: intParam(req, 'after_seq'),
      beforeSeq: intParam(req, 'before_seq'),
      offset: intParam(req, 'offset'),
    };
    // A streaming reply with its newest text (as last sent to the sockets).
    res.json((await ctx.storage.listMessages(id, q)).map((m) => ctx.hub.live.current(m)));
  });

  r.post('/conversations/:id/participants/', writeLimit, async (req, res) => {
    const id = pathId(req.params.id);
    const { username, role } = bodyOf(req);
    const { participant, created } = await ctx.chat.addParticipant(userOf(res), id, username, role);
    res.status(created ? 201 : 200).json(participant);
  });

  return r;
}
