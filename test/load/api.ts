/** The few REST calls the load drivers need, over Node's fetch. */
import type { Conversation, LoginResponse, Message } from '../../src/types.js';

export interface Account {
  username: string;
  password: string;
}

export interface Session extends Account {
  token: string;
}

export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what} answered ${status}: ${body.slice(0, 200)}`);
  }
}

async function call<T>(
  baseUrl: string,
  what: string,
  path: string,
  init: RequestInit & { token?: string } = {},
): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const response = await fetch(new URL(path, baseUrl), { ...init, headers });
  const text = await response.text();
  if (!response.ok) throw new HttpFailure(response.status, text, what);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function login(baseUrl: string, account: Account): Promise<Session> {
  const body = await call<LoginResponse>(baseUrl, `login of ${account.username}`, '/api/auth/login', {
    method: 'POST',
    body: JSON.stringify(account),
  });
  return { ...account, token: body.token };
}

export async function createConversation(baseUrl: string, owner: Session, title: string): Promise<Conversation> {
  return call<Conversation>(baseUrl, 'create conversation', '/api/chat/conversations/', {
    method: 'POST',
    token: owner.token,
    body: JSON.stringify({ title }),
  });
}

export async function addParticipant(
  baseUrl: string,
  owner: Session,
  conversationId: string,
  username: string,
): Promise<void> {
  await call(baseUrl, `add ${username}`, `/api/chat/conversations/${conversationId}/participants/`, {
    method: 'POST',
    token: owner.token,
    body: JSON.stringify({ username }),
  });
}

/** Every message of a conversation, oldest first, paging by `after_seq`. */
export async function allMessages(baseUrl: string, session: Session, conversationId: string): Promise<Message[]> {
  const all: Message[] = [];
  let afterSeq = 0;
  for (;;) {
    const page = await call<Message[]>(
      baseUrl,
      'list messages',
      `/api/chat/conversations/${conversationId}/messages/?after_seq=${afterSeq}&limit=200`,
      { token: session.token },
    );
    all.push(...page);
    if (page.length < 200) return all;
    afterSeq = page[page.length - 1]!.seq ?? afterSeq + page.length;
  }
}

export { call };
