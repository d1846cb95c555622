/**
 * What the tabs of one browser say to each other over their `BroadcastChannel` (one channel per
 * server and user, see `TabLink`). Everything is structured-cloneable; errors travel as plain
 * data and are rebuilt as the same Parley error class on the other side.
 */
import { AuthError, HttpError, ParleyError, TransportError, ValidationError } from '../errors.js';
import type { ChatMessage, ClientEvents, ConnectionState } from '../events.js';
import type { QueuedOutboxEntry } from '../outbox/outbox-entry.js';
import type { Id, User } from '../types.js';

/**
 * The `ChatClient` methods a follower tab hands to the leader, which runs them as its own. One
 * name here and one line in the method (`if (tabs.follows) return tabs.command(...)`) forward a
 * new command.
 */
export const TAB_COMMANDS = ['connect', 'retryNow', 'retry', 'discard', 'loadOlder', 'cancel'] as const;
export type TabCommand = (typeof TAB_COMMANDS)[number];

/**
 * Events each tab has of its own and which are never forwarded: the signed-in user (each tab's
 * session scope follows the shared credentials itself), its storages, and its tokens.
 */
export const LOCAL_EVENTS: ReadonlySet<keyof ClientEvents> = new Set<keyof ClientEvents>([
  'session',
  'storage-unavailable',
  'auth-expired',
]);

/** A Parley error as data. */
export interface WireError {
  name: string;
  message: string;
  code?: string;
  status?: number;
  retryable?: boolean;
  fields?: Record<string, string[]>;
}

/** What a tab learns from the leader when it joins, or when a new leader takes over. */
export interface LeaderHello {
  t: 'leader';
  from: string;
  state: ConnectionState;
  conversationId: Id | null;
  /** The backend's kind as the leader knows it (`ChatClient.backend`). */
  seed: boolean | null;
  /** The signed-in user as the leader knows it (from `hello` or `me()`). */
  user: User | null;
  /** The leader's lists: the current conversation's and the sends waiting for a new one. */
  lists: [Id, ChatMessage[]][];
}

export type TabMessage =
  /** A tab joined: the leader answers with `leader`. */
  | { t: 'hello'; from: string }
  | LeaderHello
  /** One event of the leader's client; `list` is the conversation's list after a `messages` event. */
  | { t: 'event'; from: string; name: keyof ClientEvents; payload: unknown; list?: ChatMessage[]; seed: boolean | null }
  | { t: 'command'; from: string; id: string; name: TabCommand; args: unknown[] }
  | { t: 'reply'; to: string; id: string; ok: boolean; value?: unknown; error?: WireError }
  /** A follower wrote a send to the shared outbox: the leader holds and sends it. */
  | { t: 'queued'; from: string; entry: QueuedOutboxEntry }
  /** A tab's user typed (shown in every other tab; the leader sends the frame). */
  | {
      t: 'typing';
      from: string;
      conversationId: Id;
      userId: Id | null;
      username: string;
      displayName: string;
      isTyping: boolean;
    };

/** An error as data (anything thrown becomes a plain `ParleyError` on the other side). */
export function errorToWire(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: 'ParleyError', message: String(error) };
  const e = error as Partial<ParleyError> & Partial<ValidationError>;
  return {
    name: error.name,
    message: error.message,
    code: e.code,
    status: e.status,
    retryable: e.retryable,
    fields: e.fields,
  };
}

/** The Parley error a `WireError` stands for. */
export function errorFromWire(wire: WireError): ParleyError {
  const options = { code: wire.code, status: wire.status, retryable: wire.retryable };
  switch (wire.name) {
    case 'AuthError':
      return new AuthError(wire.message, options);
    case 'HttpError':
      return new HttpError(wire.message, options);
    case 'TransportError':
      return new TransportError(wire.message, options);
    case 'ValidationError':
      return new ValidationError(wire.message, { ...options, fields: wire.fields });
    default:
      return new ParleyError(wire.message, options);
  }
}

/** The leader runs a follower's command and answers it with its result or its error. */
export function runCommand(
  message: Extract<TabMessage, { t: 'command' }>,
  run: (name: TabCommand, args: unknown[]) => Promise<unknown>,
  post: (reply: Extract<TabMessage, { t: 'reply' }>) => void,
): void {
  const base = { t: 'reply', to: message.from, id: message.id } as const;
  run(message.name, message.args).then(
    (value) => post({ ...base, ok: true, value }),
    (error: unknown) => post({ ...base, ok: false, error: errorToWire(error) }),
  );
}
