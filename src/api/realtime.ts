/** Endpoints around the socket: `ws-ticket` and `healthz` (PROTOCOL §2). */
import type { Id, WsTicketResponse } from '../types.js';
import type { Http } from './http.js';

/** `POST /api/chat/ws-ticket/`: a single-use 30 s ticket (404 on a seed backend). */
export function getWsTicket(http: Http, conversationId: Id): Promise<WsTicketResponse> {
  return http.request<WsTicketResponse>('POST', '/api/chat/ws-ticket/', { json: { conversation_id: conversationId } });
}

/** `GET /healthz`. */
export function getHealth(http: Http): Promise<{ ok: boolean }> {
  return http.request<{ ok: boolean }>('GET', '/healthz', { auth: false });
}
