/**
 * How a seed backend writes things on the wire, as recorded from a running one
 * (`../shared/seed-backend/`): REST objects with integer ids, `sender` = user id plus
 * `sender_username`, socket objects with string ids and `+00:00` times, Django's HTML error pages,
 * DRF's error bodies, Python's `json.dumps` spacing, and the seed's own bot texts.
 *
 * Pure functions over {@link MockState}: no MSW, no DOM, so Node tests can use them too.
 */
import type { MockState, StoredConversation, StoredMessage } from './mock-state.js';

/** Python's `json.dumps` default separators (`", "` and `": "`): how the seed's socket writes frames. */
export function pyJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pyJson).join(', ')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${pyJson(v)}`).join(', ')}}`;
  }
  return JSON.stringify(value);
}

/** A REST timestamp: microseconds and `Z` (`2026-12-01T21:37:44.833301Z`). */
export function restTime(iso: string): string {
  return iso.replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** A socket timestamp: the same instant with `+00:00`. */
export function socketTime(iso: string): string {
  return restTime(iso).replace(/Z$/, '+00:00');
}

/** The seed's rule-based bot (recorded texts; it matches substrings, so "while" greets). */
export function seedBotReply(text: string): string {
  const t = text.toLowerCase();
  if (/hello|hi|hey/.test(t)) return "Hello! 👋 I'm here to help you with your CRM needs. How can I assist you today?";
  if (/help/.test(t))
    return 'I can help you with:\n• Finding products and services\n• Processing orders\n• Managing deliveries\n• Answering questions about your account';
  return `I understand you're asking about: '${text}'\n\nI'm here to help with your CRM needs. You can ask me about:\n• Products and orders\n• Delivery tracking\n• Account information\n• General support\n\nHow can I assist you?`;
}

/** The recorded quick prompts. */
export const SEED_PROMPTS = [
  { id: 1, title: 'Product Search', text: 'Help me find products in your catalog', order: 1 },
  { id: 2, title: 'Order Status', text: 'Check the status of my order', order: 2 },
  { id: 3, title: 'Delivery Tracking', text: 'Track my delivery', order: 3 },
  { id: 4, title: 'Account Help', text: 'I need help with my account', order: 4 },
  { id: 5, title: 'General Support', text: 'I need general support', order: 5 },
];

/** A REST message: `sender` is the user's integer id (null for the bot), `sender_username` absent on bot rows. */
export function seedRestMessage(state: MockState, m: StoredMessage): Record<string, unknown> {
  const user = m.sender ? state.user(m.sender) : undefined;
  return {
    id: m.id,
    conversation: m.conversationId,
    sender: user ? user.id : null,
    sender_username: user ? user.username : undefined,
    sender_name: user ? user.username : 'System',
    type: m.type,
    text: m.text,
    rich: null,
    attachment: null,
    attachment_url: null,
    status: 'sent',
    created_at: restTime(m.createdAt),
    updated_at: restTime(m.createdAt),
  };
}

/** A socket message: string ids, `sender` = username, `sender_name` "", `+00:00`, nothing else. */
export function seedSocketMessage(m: StoredMessage): Record<string, unknown> {
  return {
    id: String(m.id),
    conversation_id: String(m.conversationId),
    type: m.type,
    text: m.text,
    sender: m.sender,
    sender_name: '',
    created_at: socketTime(m.createdAt),
    attachment: null,
  };
}

/** A conversation: participant ids are row ids, names empty, `last_message` cut to 100 characters. */
export function seedConversation(state: MockState, c: StoredConversation): Record<string, unknown> {
  const last = state.messages.get(c.id)?.at(-1);
  return {
    id: c.id,
    title: c.title,
    created_at: restTime(c.createdAt),
    updated_at: restTime(c.updatedAt),
    is_archived: false,
    participants: c.participants.map((p) => ({
      id: p.rowId,
      username: state.userById(p.userId)!.username,
      first_name: '',
      last_name: '',
      role: p.role,
      joined_at: restTime(p.joinedAt),
      last_read_at: p.lastReadAt && restTime(p.lastReadAt),
    })),
    last_message: last
      ? {
          id: last.id,
          text: last.text.length > 100 ? `${last.text.slice(0, 100)}...` : last.text,
          type: last.type,
          sender: last.sender,
          created_at: restTime(last.createdAt),
        }
      : null,
    participant_count: c.participants.length,
  };
}

/** Django's debug page (the recordings keep its first 300 characters; so does this). */
export function djangoPage(status: 404 | 500, path: string, error = 'ValueError'): Response {
  const title = status === 404 ? `Page not found at ${path}` : `${error}\n          at ${path}`;
  const body = `<!DOCTYPE html>\n<html lang="en">\n<head>\n  <meta http-equiv="content-type" content="text/html; charset=utf-8">\n  <meta name="robots" content="NONE,NOARCHIVE">\n  <title>${title}</title>\n</head>\n<body><h1>${status === 404 ? 'Page not found' : error}</h1></body>\n</html>\n`;
  return new Response(body, { status, headers: { 'content-type': 'text/html' } });
}

/** A JSON answer as DRF writes it (compact). */
export function drf(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

const REALM = { 'www-authenticate': 'Bearer realm="api"' };

/** 401 without a token. */
export const notAuthenticated = (): Response =>
  drf({ detail: 'Authentication credentials were not provided.' }, 401, REALM);

/** 401 for a bad or expired token (simplejwt cannot tell them apart), or a refresh token as bearer. */
export const tokenNotValid = (wrongType = false): Response =>
  drf(
    {
      detail: 'Given token not valid for any token type',
      code: 'token_not_valid',
      messages: [
        {
          token_class: 'AccessToken',
          token_type: 'access',
          message: wrongType ? 'Token has wrong type' : 'Token is invalid or expired',
        },
      ],
    },
    401,
    REALM,
  );
