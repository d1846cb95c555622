/**
 * The client's typed events: one payload type per event, and a tiny emitter.
 */
import type { ParleyError } from './errors.js';
import type { Attachment, Id, MessageStatus, MessageType, StreamEndState, StreamState, Timestamp } from './types.js';

/** How the client is connected. Changed in one place (the connection) which emits `state`. */
export type ConnectionState =
  | { status: 'idle' }
  | { status: 'connecting'; attempt: number }
  | { status: 'open'; transport: 'websocket' }
  | {
      status: 'reconnecting';
      /** 1 for the first retry after a drop. */
      attempt: number;
      /** Epoch ms of the next attempt. */
      nextRetryAt: number;
    }
  | {
      status: 'fallback';
      transport: 'http';
      /** Epoch ms of the next background socket probe, or null when none is scheduled. */
      nextProbeAt: number | null;
    }
  | { status: 'offline' }
  | { status: 'closed'; reason: CloseReason };

export type ConnectionStatus = ConnectionState['status'];

export type CloseReason = 'disconnected' | 'destroyed' | 'forbidden' | 'not-found' | 'auth-expired';

/**
 * A message as the client holds it: the wire `Message` in camelCase, plus local status.
 * Optimistic (own, not yet stored) messages have `id: null` and `status: 'pending'`.
 */
export interface ChatMessage {
  /** Stable key for rendering: `client_id` when the message has one, else `id`. */
  key: string;
  id: Id | null;
  seq: number | null;
  conversationId: Id;
  clientId: string | null;
  type: MessageType;
  text: string;
  sender: string | null;
  senderName: string;
  attachment: Attachment | null;
  status: MessageStatus;
  createdAt: Timestamp;
  /** True when the current user sent it. */
  own: boolean;
  /**
   * A streamed bot reply's state (PROTOCOL §8): `streaming` while its text grows (see the
   * `message-delta` and `message-end` events), then `complete`, `stopped` or `failed`, which never
   * change again. `null` for every message that was never streamed (all of a seed backend's).
   */
  streamState: StreamState | null;
  /** Why a `failed` message failed, for display. */
  failure?: { reason: string; code?: string };
}

/** A streaming reply's text grew (`message-delta`). The message itself already holds the new text. */
export interface MessageDelta {
  conversationId: Id;
  messageId: Id;
  /** The message's `key` in the store (for rendering). */
  key: string;
  /** The whole text so far. */
  text: string;
  /** What this growth added at the end. */
  added: string;
}

/** A streaming reply ended (`message-end`): fires once per reply, whichever way the client learnt it. */
export interface MessageEnd {
  conversationId: Id;
  messageId: Id;
  key: string;
  /** `complete`, `stopped` (someone pressed stop) or `failed` (the provider failed). */
  streamState: StreamEndState;
  /** The final text. */
  text: string;
}

export interface MessageStatusChange {
  conversationId: Id;
  key: string;
  clientId: string | null;
  messageId: Id | null;
  status: MessageStatus;
  failure?: { reason: string; code?: string };
}

export interface TypingChange {
  conversationId: Id;
  /** Null for the bot. */
  userId: Id | null;
  username: string;
  /** Best display name known for that user (`Bot`/bot name for the bot). */
  displayName: string;
  isTyping: boolean;
}

export interface ReadChange {
  conversationId: Id;
  messageIds: Id[];
  userId: Id;
  username: string;
  readAt: Timestamp;
}

export interface PresenceChange {
  conversationId: Id;
  userId: Id;
  username: string;
  online: boolean;
}

export interface ConversationChange {
  /** The conversation the client now follows, or null. */
  conversationId: Id | null;
}

export interface MessagesChange {
  conversationId: Id;
}

/** Why the signed-in user changed. */
export type SessionChangeReason = 'restored' | 'login' | 'identified' | 'logout' | 'expired' | 'elsewhere';

export interface SessionChange {
  /** The user now signed in, or null when nobody is. */
  username: string | null;
  /** The user before, or null. */
  previous: string | null;
  /**
   * `login`/`logout` in this client, `expired` (the session could not be renewed), `elsewhere`
   * (another tab signed in, out, or as someone else), `identified` (a host token's user became
   * known), `restored` (a stored session at start).
   */
  reason: SessionChangeReason;
}

export interface StorageUnavailable {
  /** Which store failed: the session (`localStorage`) or the outbox (IndexedDB). */
  store: 'credentials' | 'outbox';
  error: unknown;
}

export interface AuthExpired {
  reason: 'refresh-failed' | 'no-credentials' | 'socket-rejected';
}

/** Every event the client emits and its payload. */
export interface ClientEvents {
  /** The connection state changed. */
  state: ConnectionState;
  /** A message entered the store (anyone's, including own optimistic sends). Fires once per message. */
  message: ChatMessage;
  /** A message's status changed (pending, sent, delivered, read, failed). */
  'message-status': MessageStatusChange;
  /**
   * A streaming bot reply's text grew (PROTOCOL §8: a `message:delta` applied by offset, or a newer
   * copy fetched with `GET` after a gap, a reconnect, or while polling in HTTP fallback).
   */
  'message-delta': MessageDelta;
  /**
   * A streaming bot reply ended (`complete`, `stopped` or `failed`), once per reply. Its text is
   * final: an ended reply never changes again. Replies that arrive already ended fire only `message`.
   */
  'message-end': MessageEnd;
  /** The ordered message list of a conversation changed in any way (add, update, older page). */
  messages: MessagesChange;
  /** Someone else started or stopped typing; `isTyping: false` also fires when typing expires. */
  typing: TypingChange;
  read: ReadChange;
  presence: PresenceChange;
  /** The current conversation became known or changed. */
  conversation: ConversationChange;
  /**
   * The signed-in user changed. When a user leaves (sign-out, expiry, another tab), everything the
   * client held for them (messages, conversation, typing, queued sends) is gone from it before this
   * fires; their unsent messages stay stored for their next sign-in unless they signed out.
   */
  session: SessionChange;
  /** A store could not be used: the client keeps that data in memory for this page (fires once per store). */
  'storage-unavailable': StorageUnavailable;
  /** Credentials are gone for good; the app should sign in again. */
  'auth-expired': AuthExpired;
  /** Background work failed (calls with a caller reject instead). */
  error: ParleyError;
}

export type Listener<T> = (payload: T) => void;

/** A tiny typed emitter. A throwing listener never stops the others. */
export class Emitter<Events extends object> {
  #listeners = new Map<keyof Events, Set<Listener<never>>>();
  #taps = new Set<<K extends keyof Events>(event: K, payload: Events[K]) => void>();

  /**
   * Sees every event before its listeners, whatever its name (the tab link forwards the whole
   * event map this way, so an event added later is forwarded without a change there).
   */
  tap(tap: <K extends keyof Events>(event: K, payload: Events[K]) => void): () => void {
    this.#taps.add(tap);
    return () => this.#taps.delete(tap);
  }

  /** Subscribes; returns the function that unsubscribes. */
  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => this.off(event, listener);
  }

  off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): void {
    this.#listeners.get(event)?.delete(listener as Listener<never>);
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    for (const tap of [...this.#taps]) tap(event, payload);
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      try {
        (listener as Listener<Events[K]>)(payload);
      } catch (err) {
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }

  removeAll(): void {
    this.#listeners.clear();
  }
}
