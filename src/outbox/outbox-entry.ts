/**
 * What the durable outbox stores: one entry per send, keyed by its `client_id`, a discriminated
 * union on `status`, and the small storage interface the outbox uses.
 */
import type { Id, Timestamp } from '../types.js';

/**
 * The `conversationId` of an entry queued before its conversation exists: its delivery creates
 * the conversation (`user-response` without `conversation_id`), and every later entry queued
 * the same way joins that one conversation.
 */
export const NEW_CONVERSATION = '';

/** A tab's hold on an entry while it delivers it, so another tab does not send it too. */
export interface OutboxClaim {
  /** The claiming outbox (one per client, random). */
  by: string;
  /** Epoch ms after which another tab may take the entry over (the claimant died mid-send). */
  until: number;
}

interface OutboxEntryBase {
  kind: 'message';
  /** The key: a UUID sent as `client_id` on every attempt. */
  clientId: string;
  /**
   * Whose send this is: the server and user (see `ownerKey`). An entry is only ever shown or sent
   * for its owner; entries stored without one (older versions) are left alone.
   */
  owner?: string;
  /** The conversation, or {@link NEW_CONVERSATION} for one this send creates. */
  conversationId: Id;
  text: string;
  attachmentId: Id | null;
  createdAt: Timestamp;
  /** Position in the queue (increasing). */
  order: number;
  /** Attempts made so far. */
  attempts: number;
  /** Set while a tab delivers the entry. */
  claim?: OutboxClaim;
}

/** Waiting to be delivered (or being delivered). */
export interface QueuedOutboxEntry extends OutboxEntryBase {
  status: 'queued';
}

/** Refused for good by the server; kept until `retry()` or `discard()`. */
export interface FailedOutboxEntry extends OutboxEntryBase {
  status: 'failed';
  failure: { reason: string; code?: string };
}

/** One send waiting in the outbox. */
export type OutboxEntry = QueuedOutboxEntry | FailedOutboxEntry;

/** Where outbox entries live. Implementations: {@link idbOutboxStorage}, {@link memoryOutboxStorage}. */
export interface OutboxStorage {
  /** Every entry, in any order. */
  list(): Promise<OutboxEntry[]>;
  /** Inserts or replaces the entry with the same `clientId`. */
  put(entry: OutboxEntry): Promise<void>;
  remove(clientId: string): Promise<void>;
  clear(): Promise<void>;
  /**
   * Atomically (across tabs) takes the entry for delivery by `by` until `until`: answers the stored
   * entry when it is now ours, `'busy'` when another live claim holds it, null when it is gone
   * (discarded or delivered elsewhere). Optional: without it every entry is taken as it is.
   */
  claim?(clientId: string, by: string, now: number, until: number): Promise<OutboxEntry | 'busy' | null>;
}

/** The owner key of a (server, user) pair. */
export function ownerKey(apiUrl: string, username: string): string {
  return `${apiUrl.replace(/\/$/, '')} ${username}`;
}
