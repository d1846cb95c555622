/**
 * The REST half of the fake server (PROTOCOL §1-§2), with the fault knobs applied first. The
 * `seed` profile is answered by `seed-rest.ts`.
 */
import { HttpResponse } from 'msw';
import type { MockServer } from './mock-server.js';
import { nextTimestamp, type MockState, type StoredMessage } from './mock-state.js';
import { bearer, routeSeed, type RouteArgs } from './seed-rest.js';

export interface RestContext {
  server: MockServer;
  state: MockState;
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  HttpResponse.json(body as never, { status, headers });
const detail = (status: number, code: string, text = code): Response => json({ detail: text, code }, status);

async function readBody(request: Request): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (type.includes('application/json'))
    return request
      .clone()
      .json()
      .catch(() => null);
  if (type.includes('multipart/form-data')) return '[multipart]';
  return null;
}

/** Answers one request: faults, delay, then the route. Records it in `server.requests`. */
export async function handleRest(ctx: RestContext, request: Request): Promise<Response> {
  const { server } = ctx;
  const url = new URL(request.url);
  const path = url.pathname;
  const method = request.method;
  const body = await readBody(request);
  const record = (status: number, repeat = false): void =>
    server.record('request', {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body,
      authorization: request.headers.get('authorization'),
      status,
      repeat,
    });
  if (server.delayMs > 0) await new Promise((r) => setTimeout(r, server.delayMs));
  if (server.offline) {
    record(0);
    return HttpResponse.error();
  }
  const rule = server.failRules.find((r) => r.remaining > 0 && (!r.match || r.match(method, path)));
  if (rule) {
    rule.remaining -= 1;
    record(rule.status);
    if (rule.status === 0) return HttpResponse.error();
    return json(rule.body ?? { detail: 'injected failure', code: 'injected' }, rule.status, rule.headers);
  }
  const response = await route(ctx, { request, method, path, query: url.searchParams, body });
  record(response.status, response.headers.has('x-mock-repeat'));
  for (const hold of server.holds.filter((h) => h.match(method, path))) await hold.released;
  const lost = server.lostAnswers.find((r) => r.remaining > 0 && r.match(method, path));
  if (lost) {
    lost.remaining -= 1;
    return HttpResponse.error();
  }
  return response;
}

async function route(ctx: RestContext, args: RouteArgs): Promise<Response> {
  const { request, method, path, query, body } = args;
  const { state, server } = ctx;
  if (state.profile === 'seed') return routeSeed({ state, origin: server.url }, args);
  const b = (body ?? {}) as Record<string, unknown>;

  if (path === '/healthz') return json({ ok: true });
  if (path === '/api/auth/login' && method === 'POST') {
    if (!b.username || !b.password) return json({ username: ['This field is required.'] }, 400);
    const user = state.user(String(b.username));
    if (!user || user.password !== b.password) return detail(401, 'authentication_failed');
    return json({ ...state.issueTokens(user.username), username: user.username });
  }
  if (path === '/api/auth/refresh' && method === 'POST') {
    const entry = state.refresh.get(String(b.refresh ?? ''));
    if (!entry?.valid) return detail(401, 'token_not_valid');
    return json(state.issueTokens(entry.username));
  }
  if (path === '/api/auth/logout' && method === 'POST') {
    const entry = state.refresh.get(String(b.refresh ?? ''));
    if (entry) entry.valid = false;
    return new HttpResponse(null, { status: 204 });
  }

  const token = bearer(request);
  const username = state.authenticate(token);
  if (!username) return detail(401, token ? 'token_not_valid' : 'not_authenticated');
  const me = state.user(username)!;

  if (path === '/api/auth/me' && method === 'GET') {
    return json({ id: state.id(me.id), username: me.username, display_name: me.display_name });
  }
  if (path === '/api/user-response/' && method === 'POST') {
    const text = typeof b.message === 'string' ? b.message.trim() : '';
    const attachmentId = b.attachment_id == null ? null : Number(b.attachment_id);
    if ((!text && attachmentId === null) || [...text].length > 1000)
      return json({ message: ['Invalid message.'] }, 400);
    const clientId = typeof b.client_id === 'string' ? b.client_id : null;
    const key = `${username}:${clientId}`;
    const repeat = clientId ? state.idempotency.get(key) : undefined;
    if (repeat) {
      return json({ conversation_id: state.id(repeat.conversationId), message_id: state.id(repeat.id) }, 201, {
        'x-mock-repeat': '1',
      });
    }
    let conversationId = b.conversation_id == null ? null : Number(b.conversation_id);
    if (conversationId === null) conversationId = state.createConversation(username).id;
    const conversation = state.conversations.get(conversationId);
    if (!conversation || !state.isMember(conversation, username)) return detail(404, 'not_found');
    const message = state.storeMessage(conversationId, {
      text,
      sender: username,
      senderName: me.display_name,
      type: 'user',
      clientId,
      attachmentId,
    });
    if (clientId) state.idempotency.set(key, message);
    server.sockets.broadcastMessage(message);
    server.runBot(message);
    return json({ conversation_id: state.id(conversationId), message_id: state.id(message.id) }, 201);
  }
  if (path === '/api/bot-response/' && method === 'POST') {
    const conversationId = Number(b.conversation_id);
    const list = state.messages.get(conversationId);
    const conversation = state.conversations.get(conversationId);
    if (!list || !conversation || !state.isMember(conversation, username))
      return json({ error: 'Conversation not found' }, 404);
    const last = [...list].reverse().find((m) => m.type === 'user');
    if (!last) return json({ error: 'No user message' }, 400);
    let reply: StoredMessage | undefined = server.botReplies.get(last.id);
    while (!reply) {
      await new Promise((r) => setTimeout(r, 5));
      reply = server.botReplies.get(last.id);
    }
    return json({ message: reply.text, message_id: state.id(reply.id) });
  }
  if (path === '/api/bot-prompts/' && method === 'GET') {
    return json([
      { id: state.id(1), title: 'Track my order', text: 'Where is my order?', order: 1 },
      { id: state.id(2), title: 'Delivery times', text: 'How long does delivery take?', order: 2 },
    ]);
  }
  if (path === '/api/chat/conversations/' && method === 'GET') {
    const mine = [...state.conversations.values()]
      .filter((c) => state.isMember(c, username))
      .sort((x, y) => y.updatedAt.localeCompare(x.updatedAt));
    const start = Number(query.get('cursor') ?? 0);
    const page = mine.slice(start, start + 20);
    const next = start + 20 < mine.length ? `${server.url}/api/chat/conversations/?cursor=${start + 20}` : null;
    const previous = start > 0 ? `${server.url}/api/chat/conversations/?cursor=${Math.max(0, start - 20)}` : null;
    return json({ next, previous, results: page.map((c) => state.wireConversation(c)) });
  }
  if (path === '/api/chat/conversations/' && method === 'POST') {
    return json(state.wireConversation(state.createConversation(username, b.title ? String(b.title) : undefined)), 201);
  }
  let m = /^\/api\/chat\/conversations\/(\d+)\/(messages\/|participants\/)?$/.exec(path);
  if (m) {
    const conversation = state.conversations.get(Number(m[1]));
    if (!conversation || !state.isMember(conversation, username)) return detail(404, 'not_found');
    if (!m[2] && method === 'GET') return json(state.wireConversation(conversation));
    if (m[2] === 'messages/' && method === 'GET') {
      const list = state.messages.get(conversation.id)!;
      const limit = Number(query.get('limit') ?? 50);
      if (!Number.isInteger(limit) || limit < 1 || limit > 200) return json({ limit: ['Invalid limit.'] }, 400);
      let page: StoredMessage[];
      if (query.has('after_seq')) page = list.filter((x) => x.seq > Number(query.get('after_seq'))).slice(0, limit);
      else if (query.has('before_seq'))
        page = list.filter((x) => x.seq < Number(query.get('before_seq'))).slice(-limit);
      else {
        const offset = Number(query.get('offset') ?? 0);
        page = list.slice(offset, offset + limit);
      }
      return json(page.map((x) => state.wireMessage(x)));
    }
    if (m[2] === 'participants/' && method === 'POST') {
      const owner = conversation.participants[0]!.userId === me.id;
      if (!owner) return detail(403, 'permission_denied');
      const user = state.user(String(b.username ?? ''));
      if (!user) return json({ username: ['Unknown user.'] }, 400);
      const existing = conversation.participants.find((p) => p.userId === user.id);
      const role = (b.role as 'member' | 'agent' | undefined) ?? 'member';
      if (!existing)
        conversation.participants.push({
          rowId: state.nextRowId(),
          userId: user.id,
          role,
          joinedAt: nextTimestamp(),
          lastReadAt: null,
        });
      const p = state.wireConversation(conversation).participants as Record<string, unknown>[];
      return json(
        p.find((x) => x.username === user.username),
        existing ? 200 : 201,
      );
    }
  }
  m = /^\/api\/chat\/messages\/(\d+)\/read\/$/.exec(path);
  if (m && method === 'POST') {
    const id = Number(m[1]);
    for (const list of state.messages.values()) {
      const target = list.find((x) => x.id === id);
      if (!target) continue;
      for (const x of list) if (x.id <= id && x.sender !== username) x.status = 'read';
      server.sockets.broadcast(target.conversationId, {
        type: 'read',
        message_ids: [state.id(id)],
        user_id: state.id(me.id),
        username,
        read_at: new Date().toISOString(),
      });
      return json({ status: 'success' });
    }
    return detail(404, 'not_found');
  }
  if (path === '/api/chat/typing/' && method === 'POST') {
    server.sockets.broadcast(Number(b.conversation_id), {
      type: 'typing',
      user_id: state.id(me.id),
      username,
      is_typing: Boolean(b.is_typing),
    });
    return json({ status: 'success' });
  }
  if (path === '/api/chat/upload/' && method === 'POST') {
    const form = await request.formData();
    const file = form.get('file');
    if (!(file instanceof File)) return json({ file: ['No file was submitted.'] }, 400);
    if (!/^(image\/(jpeg|png|gif|webp)|application\/pdf)$/.test(file.type))
      return detail(415, 'unsupported_media_type');
    const id = state.nextId();
    const conversationId = form.get('conversation_id');
    state.attachments.set(id, {
      id,
      owner: username,
      conversationId: conversationId ? Number(conversationId) : null,
      fileUrl: `/uploads/${id.toString(16).padStart(32, '0')}`,
      fileName: file.name,
      fileSize: file.size,
      contentType: file.type,
    });
    return json(state.wireAttachment(id), 201);
  }
  if (path === '/api/chat/ws-ticket/' && method === 'POST') {
    const ticket = `t-${state.nextId()}-${Math.random().toString(36).slice(2)}`;
    state.tickets.set(ticket, { username, conversationId: Number(b.conversation_id), spent: false });
    return json({ ticket, expires_in: 30 });
  }
  return detail(404, 'not_found');
}
