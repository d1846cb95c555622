/** `GET /api/chat/conversations/<id>/messages/` (PROTOCOL §2). */
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
