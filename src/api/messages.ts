/** Messages over REST: the listing, one message, and stopping a streamed reply (PROTOCOL §2, §8). */
import type { Id, Message } from '../types.js';
import type { Http } from './http.js';
import { toMessage } from './normalize.js';

/** Paging: `afterSeq`/`beforeSeq` (reference) or `offset` (seed), each with `limit` (default 50). */
export interface MessagePageQuery {
  limit?: number;
  afterSeq?: number;
  beforeSeq?: number;
  offset?: number;
}

/** A page of messages, oldest first, normalised. */
export async function getMessages(http: Http, conversationId: Id, query: MessagePageQuery = {}): Promise<Message[]> {
  const raw = await http.request<unknown>(
    'GET',
    `/api/chat/conversations/${encodeURIComponent(conversationId)}/messages/`,
    {
      searchParams: {
        limit: query.limit,
        after_seq: query.afterSeq,
        before_seq: query.beforeSeq,
        offset: query.offset,
      },
    },
  );
  // A paginating seed backend may wrap the list as `{results: [...]}`.
  const list = Array.isArray(raw) ? raw : ((raw as { results?: unknown[] } | null)?.results ?? []);
  return list.map(toMessage);
}

/** `GET /api/chat/messages/<id>/` (v1.2): one message with its current text and `stream_state`. */
export async function getMessage(http: Http, messageId: Id): Promise<Message> {
  return toMessage(await http.request<unknown>('GET', `/api/chat/messages/${encodeURIComponent(messageId)}/`));
}

/**
 * `POST /api/chat/messages/<id>/cancel/` (v1.2): stops a streaming bot reply for everyone. Answers
 * the message as the server now holds it (`stopped`, or its earlier end when it had already ended).
 */
export async function postCancel(http: Http, messageId: Id): Promise<Message> {
  return toMessage(await http.request<unknown>('POST', `/api/chat/messages/${encodeURIComponent(messageId)}/cancel/`));
}
