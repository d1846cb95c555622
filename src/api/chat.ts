/** The seed's chat endpoints: user/bot responses, prompts, typing, read (PROTOCOL §2). */
import type { BotPrompt, BotResponseResponse, Id, UserResponseRequest, UserResponseResponse } from '../types.js';
import type { Http } from './http.js';
import { toId, toIdOrNull, toPrompt } from './normalize.js';

/** `POST /api/user-response/`: stores a user message (idempotent by `client_id`). */
export async function postUserResponse(http: Http, body: UserResponseRequest): Promise<UserResponseResponse> {
  const raw = await http.request<Record<string, unknown>>('POST', '/api/user-response/', { json: body });
  return { conversation_id: toId(raw.conversation_id), message_id: toId(raw.message_id) };
}

/** `POST /api/bot-response/`: the bot's reply to the newest user message (a seed: text only). */
export async function postBotResponse(http: Http, conversationId: Id): Promise<BotResponseResponse> {
  const raw = await http.request<Record<string, unknown>>('POST', '/api/bot-response/', {
    json: { conversation_id: conversationId },
  });
  const id = toIdOrNull(raw.message_id);
  return id ? { message: String(raw.message ?? ''), message_id: id } : { message: String(raw.message ?? '') };
}

/** `GET /api/bot-prompts/`, sorted by `order`. */
export async function getBotPrompts(http: Http): Promise<BotPrompt[]> {
  const raw = await http.request<unknown[]>('GET', '/api/bot-prompts/');
  return (raw ?? []).map(toPrompt).sort((a, b) => a.order - b.order);
}

/** `POST /api/chat/typing/`. */
export async function postTyping(http: Http, conversationId: Id, isTyping: boolean): Promise<void> {
  await http.request('POST', '/api/chat/typing/', { json: { conversation_id: conversationId, is_typing: isTyping } });
}

/** `POST /api/chat/messages/<id>/read/`: marks read up to that message. */
export async function postRead(http: Http, messageId: Id): Promise<void> {
  await http.request('POST', `/api/chat/messages/${encodeURIComponent(messageId)}/read/`);
}
