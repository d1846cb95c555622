/**
 * What the durable outbox stores: one entry per send, keyed by its `client_id`, a discriminated
 * union on `status`, and the small storage interface the outbox uses.
 */
import type { Id, Timestamp } from '../types.js';

interface OutboxEntryBase {
  kind: 'message';
  /** The key: a UUID sent as `client_id` on every attempt. */
  clientId: string;
  conversationId: Id;
  text: string;
  attachmentId: Id | null;
  createdAt: Timestamp;
  /** Position in the queue (increasing). */
  order: number;
  /** Attempts made so far. */
  attempts: number;
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
}
