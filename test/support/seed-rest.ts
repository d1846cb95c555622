/**
 * The REST half of the seed stand-in: every route answers as the recorded seed backend does
 * (`../shared/seed-backend/rest.json`, `auth.json`), including its errors and its silences:
 * nothing done over REST is ever pushed on a socket.
 */
import type { MockState, StoredConversation } from './mock-state.js';
import { nextTimestamp } from './mock-state.js';
import {
  djangoPage,
  drf,
  notAuthenticated,
  SEED_PROMPTS,
  seedBotReply,
  seedConversation,
  seedRestMessage,
  tokenNotValid,
} from './seed-wire.js';

export interface SeedRestContext {
  state: MockState;
  /** Origin for the absolute cursor links (`http://127.0.0.1:8800` in the recordings). */
  origin: string;
}

type Body = Record<string, unknown>;

const required = ['This field is required.'];
const blank = ['This field may not be blank.'];
const digits = (value: string): boolean => /^\d+$/.test(value);
const PAGE = 20;
const MAX_LIMIT = 100;

/** `user-response` and `bot-response` validate `conversation_id` the same way: 400s, or a 500 for "abc". */
function conversationFor(
  state: MockState,
  username: string,
  raw: unknown,
  path: string,
): StoredConversation | Response {
  const text = String(raw);
  if (!digits(text)) return djangoPage(500, path);
  const conversation = state.conversations.get(Number(text));
  if (!conversation) return drf({ conversation_id: ['Conversation not found'] }, 400);
  if (!state.isMember(conversation, username))
    return drf({ conversation_id: ['You are not a participant in this conversation'] }, 400);
  return conversation;
}

function encodeCursor(offset: number): string {
  return btoa(`o=${offset}`);
}

function decodeCursor(cursor: string): number | null {
  try {
    const m = /^o=(\d+)$/.exec(atob(cursor));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** One request as a route sees it (shared with the reference routes of `mock-rest.ts`). */
export interface RouteArgs {
  request: Request;
  method: string;
  /** Without the query string. */
  path: string;
  query: URLSearchParams;
  /** The parsed JSON body, `'[multipart]'`, or null. */
  body: unknown;
}

/** The bearer token of a request, or null. */
export function bearer(request: Request): string | null {
  const header = request.headers.get('authorization');
  return header?.startsWith('Bearer ') ? header.slice(7) : null;
}

/** Answers one request as the seed would. */
export async function routeSeed(ctx: SeedRestContext, args: RouteArgs): Promise<Response> {
  const { request, method, path, query, body } = args;
  const { state } = ctx;
  const b = (body && typeof body === 'object' ? body : {}) as Body;

  if (path === '/healthz') return drf({ ok: true });
  if (path === '/api/auth/login' && method === 'POST') {
    const errors: Record<string, string[]> = {};
    if (!b.username) errors.username = required;
    if (!b.password) errors.password = required;
    if (Object.keys(errors).length) return drf(errors, 400);
    const user = state.user(String(b.username));
    if (!user || user.password !== b.password) return drf({ non_field_errors: ['Invalid credentials'] }, 400);
    const { token, refresh } = state.issueTokens(user.username);
    return drf({ token, refresh, role: b.role ?? null, username: user.username });
  }

  const known =
    /^\/api\/(auth\/(me|logout)|user-response\/|bot-response\/|bot-prompts\/|chat\/(conversations\/|typing\/|upload\/))$/.test(
      path,
    ) || /^\/api\/chat\/(conversations\/[^/]+\/(messages\/)?|messages\/[^/]+\/read\/)$/.test(path);
  if (!known) return djangoPage(404, path);

  const token = bearer(request);
  if (!token) return notAuthenticated();
  const username = state.authenticate(token);
  if (!username) return tokenNotValid(state.refresh.has(token));
  const me = state.user(username)!;

  if (path === '/api/auth/me' && method === 'GET')
    return drf({ id: me.id, username, email: '', first_name: '', last_name: '', roles: ['admin'] });
  // Logout revokes nothing: the same access token keeps working.
  if (path === '/api/auth/logout' && method === 'POST') return new Response(null, { status: 204 });

  if (path === '/api/user-response/' && method === 'POST') {
    const errors: Record<string, string[]> = {};
    const text = typeof b.message === 'string' ? b.message.trim() : undefined;
    if (text === undefined) errors.message = required;
    else if (!text) errors.message = blank;
    else if ([...text].length > 1000) errors.message = ['Ensure this field has no more than 1000 characters.'];
    if (b.conversation_id === '') errors.conversation_id = blank;
    if (Object.keys(errors).length) return drf(errors, 400);
    // `client_id` is ignored: the same body twice is stored twice.
    let conversation: StoredConversation | Response;
    if (b.conversation_id == null) conversation = state.createConversation(username);
    else conversation = conversationFor(state, username, b.conversation_id, path);
    if (conversation instanceof Response) return conversation;
    const message = state.storeMessage(conversation.id, {
      text: text!,
      sender: username,
      senderName: username,
      type: 'user',
    });
    return drf({ conversation_id: String(conversation.id), message_id: String(message.id) }, 201);
  }
  if (path === '/api/bot-response/' && method === 'POST') {
    if (b.conversation_id == null) return drf({ conversation_id: required }, 400);
    const conversation = conversationFor(state, username, b.conversation_id, path);
    if (conversation instanceof Response) return conversation;
    const question = [...state.messages.get(conversation.id)!].reverse().find((m) => m.type === 'user');
    if (!question) return drf({ error: 'No user message found in conversation' }, 400);
    // Every call stores another reply; the answer carries only its text.
    const reply = state.storeMessage(conversation.id, { text: seedBotReply(question.text), type: 'bot', sender: null });
    return drf({ message: reply.text });
  }
  if (path === '/api/bot-prompts/' && method === 'GET') return drf(SEED_PROMPTS);

  if (path === '/api/chat/conversations/') {
    if (method !== 'GET') return drf({ detail: `Method "${method}" not allowed.` }, 405, { allow: 'GET, OPTIONS' });
    const mine = [...state.conversations.values()]
      .filter((c) => state.isMember(c, username))
      .sort((x, y) => y.updatedAt.localeCompare(x.updatedAt));
    const cursor = query.get('cursor');
    const start = cursor === null ? 0 : decodeCursor(cursor);
    if (start === null) return drf({ detail: 'Invalid cursor' }, 404);
    const link = (offset: number): string => `${ctx.origin}/api/chat/conversations/?cursor=${encodeCursor(offset)}`;
    return drf({
      next: start + PAGE < mine.length ? link(start + PAGE) : null,
      previous: start > 0 ? link(Math.max(0, start - PAGE)) : null,
      results: mine.slice(start, start + PAGE).map((c) => seedConversation(state, c)),
    });
  }

  let m = /^\/api\/chat\/conversations\/([^/]+)\/(messages\/)?$/.exec(path);
  if (m && method === 'GET') {
    if (!digits(m[1]!)) return djangoPage(500, path);
    const conversation = state.conversations.get(Number(m[1]));
    if (!conversation || !state.isMember(conversation, username))
      return drf({ detail: 'No Conversation matches the given query.' }, 404);
    if (!m[2]) return drf(seedConversation(state, conversation));
    const limitText = query.get('limit') ?? '50';
    const offsetText = query.get('offset') ?? '0';
    if (!digits(limitText) || !digits(offsetText)) return djangoPage(500, path);
    const limit = Math.min(Number(limitText), MAX_LIMIT);
    const offset = Number(offsetText);
    const page = state.messages.get(conversation.id)!.slice(offset, offset + limit);
    return drf(page.map((x) => seedRestMessage(state, x)));
  }

  m = /^\/api\/chat\/messages\/([^/]+)\/read\/$/.exec(path);
  if (m && method === 'POST') {
    if (!digits(m[1]!)) return djangoPage(500, path);
    const id = Number(m[1]);
    for (const [conversationId, list] of state.messages) {
      const conversation = state.conversations.get(conversationId)!;
      if (!list.some((x) => x.id === id) || !state.isMember(conversation, username)) continue;
      // Only the reader's `last_read_at` moves; message status stays "sent", and nothing is pushed.
      conversation.participants.find((p) => p.userId === me.id)!.lastReadAt = nextTimestamp();
      return drf({ status: 'success' });
    }
    return drf({ detail: 'No Message matches the given query.' }, 404);
  }

  if (path === '/api/chat/typing/' && method === 'POST') {
    const errors: Record<string, string[]> = {};
    if (b.conversation_id == null) errors.conversation_id = required;
    if (b.is_typing == null) errors.is_typing = required;
    if (Object.keys(errors).length) return drf(errors, 400);
    // Checks nothing and broadcasts nothing.
    return drf({ status: 'success' });
  }

  if (path === '/api/chat/upload/' && method === 'POST') {
    const form = await request.formData().catch(() => null);
    const file = form?.get('file');
    if (!file || typeof file === 'string') return drf({ error: 'No file provided' }, 400);
    if (!/^(image\/|application\/pdf$)/.test(file.type))
      return drf({ error: 'File type not allowed. Only images and PDFs are supported.' }, 400);
    return djangoPage(500, path, 'IntegrityError');
  }

  return drf({ detail: `Method "${method}" not allowed.` }, 405);
}
