/** Reading what the server stored, from the test's side (REST, as the user). */
import type { Conversation, ConversationPage, LoginResponse, Message } from '../../../src/types.js';

export async function loginToken(baseUrl: string, username: string, password: string): Promise<string> {
  return (await login(baseUrl, username, password)).token;
}

async function get<T>(baseUrl: string, token: string, path: string): Promise<T> {
  const response = await fetch(new URL(path, baseUrl), { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

export async function listConversations(baseUrl: string, token: string): Promise<Conversation[]> {
  return (await get<ConversationPage>(baseUrl, token, '/api/chat/conversations/')).results;
}

/** Every stored message of a conversation, oldest first. */
export async function storedMessages(baseUrl: string, token: string, conversationId: string): Promise<Message[]> {
  const all: Message[] = [];
  for (let afterSeq = 0; ;) {
    const page = await get<Message[]>(
      baseUrl,
      token,
      `/api/chat/conversations/${conversationId}/messages/?after_seq=${afterSeq}&limit=200`,
    );
    all.push(...page);
    if (page.length < 200) return all;
    afterSeq = page.at(-1)!.seq!;
  }
}

/** Signs in over REST and returns the whole answer (access and refresh tokens). */
export async function login(baseUrl: string, username: string, password: string): Promise<LoginResponse> {
  const response = await fetch(new URL('/api/auth/login', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw new Error(`login of ${username} answered ${response.status}`);
  return (await response.json()) as LoginResponse;
}

/** Revokes a refresh token (what a sign-out elsewhere, or an administrator, does to a login). */
export async function revokeRefresh(baseUrl: string, refresh: string): Promise<void> {
  const response = await fetch(new URL('/api/auth/logout', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refresh }),
  });
  if (!response.ok) throw new Error(`logout answered ${response.status}`);
}

/** The user messages of a conversation as `sender: text`, oldest first. */
export async function storedUserTexts(baseUrl: string, token: string, conversationId: string): Promise<string[]> {
  return (await storedMessages(baseUrl, token, conversationId))
    .filter((m) => m.type === 'user')
    .map((m) => `${m.sender}: ${m.text}`);
}

/** Creates a conversation owned by the token's user (reference server). */
export async function createConversation(baseUrl: string, token: string): Promise<Conversation> {
  const response = await fetch(new URL('/api/chat/conversations/', baseUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  });
  if (!response.ok) throw new Error(`POST conversations answered ${response.status}`);
  return (await response.json()) as Conversation;
}
