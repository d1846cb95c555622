/**
 * Parley: the headless chat client. Everything public is re-exported here.
 * @packageDocumentation
 */
export * from './types.js';
export * from './errors.js';
export * from './events.js';
export { ChatClient, createClient } from './client.js';
export type { TabRole } from './tabs/tab-link.js';
export type { ChatClientOptions, SendOptions } from './client-options.js';
export { memoryCredentials, localStorageCredentials, type CredentialStore, type Session } from './auth/credentials.js';
export type { OutboxEntry, QueuedOutboxEntry, FailedOutboxEntry, OutboxStorage } from './outbox/outbox-entry.js';
export { memoryOutboxStorage } from './outbox/memory-storage.js';
export { idbOutboxStorage } from './outbox/idb-storage.js';
export { backoffDelay, type BackoffOptions } from './transport/backoff.js';
export { DEFAULT_TIMING, type Timing } from './timing.js';
export type { MessagePageQuery } from './api/messages.js';
export type { WebSocketClass } from './transport/websocket-transport.js';
export type { UploadOptions, UploadProgress } from './api/uploads.js';
export { redact } from './util/log.js';
