/**
 * The in-memory data of the MSW fake server (`mock-server.ts`): users, tokens, conversations,
 * messages, and how they are written on the wire for each profile.
 */
import { seedConversation, seedRestMessage, seedSocketMessage } from './seed-wire.js';

/** `reference`: our server (PROTOCOL.md everything). `seed`: the recorded seed backend (§6, `../shared/seed-backend/`). */
export type MockProfile = 'reference' | 'seed';

export interface MockUser {
  id: number;
  username: string;
  password: string;
  display_name: string;
}

export interface StoredMessage {
  id: number;
  seq: number;
  conversationId: number;
  clientId: string | null;
  type: 'user' | 'bot' | 'system';
  text: string;
  sender: string | null;
  senderName: string;
  attachmentId: number | null;
  status: 'sent' | 'delivered' | 'read';
  createdAt: string;
}

export interface StoredConversation {
  id: number;
  title: string;
  createdAt: string;
  updatedAt: string;
  participants: {
    /** The participant row's own id (a seed backend shows it as `participants[].id`). */
    rowId: number;
    userId: number;
    role: 'owner' | 'member' | 'agent';
    joinedAt: string;
    lastReadAt: string | null;
  }[];
}

export interface StoredAttachment {
  id: number;
  owner: string;
  conversationId: number | null;
  fileUrl: string;
  fileName: string;
  fileSize: number;
  contentType: string;
}

function b64url(value: string): string {
  return btoa(value).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

/** A JWT-shaped token (unsigned; only the fake server checks it) carrying `exp`. */
export function fakeJwt(payload: Record<string, unknown>): string {
  return `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}.sig`;
}

/** The reference bot's rule: greetings get `Hello! ...`, everything else is quoted. */
export function botReply(text: string): string {
  return /\b(hello|hi|hey)\b/i.test(text) ? 'Hello! How can I help you today?' : `You said: ${text}`;
}

let clock = Date.parse('2026-11-25T10:00:00.000Z');
/** Strictly increasing timestamps, so ordering by `created_at` is deterministic. */
export function nextTimestamp(): string {
  clock += 1000;
  return new Date(clock).toISOString();
}

/** All state of one fake server (both profiles; the seed's wire shapes are in `seed-wire.ts`). */
export class MockState {
  readonly users: MockUser[] = [
    { id: 1, username: 'alice', password: 'alice123', display_name: 'Alice' },
    { id: 2, username: 'bob', password: 'bob123', display_name: 'Bob' },
    { id: 3, username: 'carol', password: 'carol123', display_name: 'Carol' },
  ];
  readonly conversations = new Map<number, StoredConversation>();
  readonly messages = new Map<number, StoredMessage[]>();
  readonly attachments = new Map<number, StoredAttachment>();
  /** (username:client_id) -> the stored message. */
  readonly idempotency = new Map<string, StoredMessage>();
  readonly access = new Map<string, { username: string; valid: boolean }>();
  readonly refresh = new Map<string, { username: string; valid: boolean }>();
  readonly tickets = new Map<string, { username: string; conversationId: number; spent: boolean }>();
  #ids = 100;
  #rows = 30;
  #tokenCounter = 0;

  constructor(
    readonly profile: MockProfile,
    readonly accessTtlSeconds: number,
  ) {}

  nextId(): number {
    return ++this.#ids;
  }

  /** Participant rows count apart from messages and conversations (as in the seed's tables). */
  nextRowId(): number {
    return ++this.#rows;
  }

  user(username: string): MockUser | undefined {
    return this.users.find((u) => u.username === username);
  }

  userById(id: number): MockUser | undefined {
    return this.users.find((u) => u.id === id);
  }

  issueTokens(username: string): { token: string; refresh: string } {
    const n = ++this.#tokenCounter;
    const now = Math.floor(Date.now() / 1000);
    const token = fakeJwt({
      user_id: this.user(username)?.id,
      token_type: 'access',
      exp: now + this.accessTtlSeconds,
      n,
    });
    const refresh = fakeJwt({ user_id: this.user(username)?.id, token_type: 'refresh', exp: now + 7 * 86400, n });
    this.access.set(token, { username, valid: true });
    this.refresh.set(refresh, { username, valid: true });
    return { token, refresh };
  }

  /** The username behind a valid access token, or null. */
  authenticate(token: string | null): string | null {
    if (!token) return null;
    const entry = this.access.get(token);
    return entry?.valid ? entry.username : null;
  }

  createConversation(owner: string, title?: string, members: string[] = []): StoredConversation {
    const now = nextTimestamp();
    const conversation: StoredConversation = {
      id: this.nextId(),
      title: title ?? `Chat with ${owner}`,
      createdAt: now,
      updatedAt: now,
      participants: [owner, ...members].map((name, i) => ({
        rowId: this.nextRowId(),
        userId: this.user(name)!.id,
        role: i === 0 ? 'owner' : 'member',
        joinedAt: now,
        lastReadAt: null,
      })),
    };
    this.conversations.set(conversation.id, conversation);
    this.messages.set(conversation.id, []);
    return conversation;
  }

  isMember(conversation: StoredConversation, username: string): boolean {
    const user = this.user(username);
    return !!user && conversation.participants.some((p) => p.userId === user.id);
  }

  storeMessage(conversationId: number, fields: Partial<StoredMessage> & { text: string }): StoredMessage {
    const list = this.messages.get(conversationId)!;
    const message: StoredMessage = {
      id: this.nextId(),
      seq: list.length + 1,
      conversationId,
      clientId: null,
      type: 'user',
      sender: null,
      senderName: 'Bot',
      attachmentId: null,
      status: 'sent',
      createdAt: nextTimestamp(),
      ...fields,
    };
    list.push(message);
    this.conversations.get(conversationId)!.updatedAt = message.createdAt;
    return message;
  }

  // ------------------------------------------------------------ wire shapes

  /** Ids as the profile writes them in REST: strings (reference) or integers (seed). */
  id(value: number): string | number {
    return this.profile === 'seed' ? value : String(value);
  }

  wireAttachment(id: number | null): Record<string, unknown> | null {
    const a = id === null ? undefined : this.attachments.get(id);
    if (!a) return null;
    return {
      attachment_id: this.id(a.id),
      file_url: a.fileUrl,
      file_name: a.fileName,
      file_size: a.fileSize,
      content_type: a.contentType,
    };
  }

  wireMessage(m: StoredMessage, socket = false): Record<string, unknown> {
    if (this.profile === 'seed') return socket ? seedSocketMessage(m) : seedRestMessage(this, m);
    const wire: Record<string, unknown> = {
      id: this.id(m.id),
      conversation_id: this.id(m.conversationId),
      conversation: this.id(m.conversationId),
      client_id: m.clientId,
      type: m.type,
      text: m.text,
      sender: m.sender,
      sender_name: m.senderName,
      attachment: this.wireAttachment(m.attachmentId),
      status: m.status,
      created_at: m.createdAt,
      seq: m.seq,
    };
    return wire;
  }

  wireConversation(c: StoredConversation): Record<string, unknown> {
    if (this.profile === 'seed') return seedConversation(this, c);
    const last = this.messages.get(c.id)?.at(-1);
    return {
      id: this.id(c.id),
      title: c.title,
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      participant_count: c.participants.length,
      participants: c.participants.map((p) => {
        const user = this.userById(p.userId)!;
        return {
          id: this.id(user.id),
          username: user.username,
          display_name: user.display_name,
          role: p.role,
          joined_at: p.joinedAt,
          last_read_at: p.lastReadAt,
        };
      }),
      last_message: last
        ? { id: this.id(last.id), text: last.text, type: last.type, sender: last.sender, created_at: last.createdAt }
        : null,
    };
  }
}
