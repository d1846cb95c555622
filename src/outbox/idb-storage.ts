/** The default outbox storage: IndexedDB through idb-keyval, one object store keyed by client id. */
import { clear, createStore, del, set, values, type UseStore } from 'idb-keyval';
import type { OutboxEntry, OutboxStorage } from './outbox-entry.js';
import { memoryOutboxStorage } from './memory-storage.js';

/**
 * Stores the outbox in the IndexedDB database `dbName` (default `'parley-outbox'`), so queued
 * sends survive a reload. Falls back to memory when IndexedDB is missing (Node, some private modes).
 */
export function idbOutboxStorage(dbName = 'parley-outbox'): OutboxStorage {
  if (typeof globalThis.indexedDB === 'undefined') return memoryOutboxStorage();
  let store: UseStore | null = null;
  const use = (): UseStore => (store ??= createStore(dbName, 'entries'));
  return {
    list: () => values<OutboxEntry>(use()),
    put: (entry) => set(entry.clientId, entry, use()),
    remove: (clientId) => del(clientId, use()),
    clear: () => clear(use()),
  };
}
