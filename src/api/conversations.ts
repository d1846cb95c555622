/** Conversation endpoints (PROTOCOL §2). */
import type { Conversation, ConversationPage, Id, Participant, ParticipantRole } from '../types.js';
import type { Http } from './http.js';
import { toConversation, toParticipant } from './normalize.js';

/** `GET /api/chat/conversations/`: newest first, 20 a page; pass `next` back as `cursor`. */
export async function listConversations(http: Http, cursor?: string): Promise<ConversationPage> {
  // `next`/`previous` are absolute URLs; only their cursor matters to us.
  const value = cursor && /^https?:/.test(cursor) ? (new URL(cursor).searchParams.get('cursor') ?? undefined) : cursor;
  const raw = await http.request<{ next: string | null; previous: string | null; results: unknown[] }>(
    'GET',
    '/api/chat/conversations/',
    { searchParams: { cursor: value } },
  );
  return { next: raw.next ?? null, previous: raw.previous ?? null, results: (raw.results ?? []).map(toConversation) };
}

/** `POST /api/chat/conversations/` (reference server only). */
export async function createConversation(http: Http, title?: string): Promise<Conversation> {
  return toConversation(await http.request('POST', '/api/chat/conversations/', { json: title ? { title } : {} }));
}

/** `GET /api/chat/conversations/<id>/`. */
export async function getConversation(http: Http, id: Id): Promise<Conversation> {
  return toConversation(await http.request('GET', `/api/chat/conversations/${encodeURIComponent(id)}/`));
}

/** `POST /api/chat/conversations/<id>/participants/` (owner only). */
export async function addParticipant(
  http: Http,
  id: Id,
  username: string,
  role?: ParticipantRole,
): Promise<Participant> {
  const json = role ? { username, role } : { username };
  return toParticipant(
    await http.request('POST', `/api/chat/conversations/${encodeURIComponent(id)}/participants/`, { json }),
  );
}
