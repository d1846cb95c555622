/** The default outbox storage: IndexedDB through idb-keyval, one object store keyed by client id. */
import { clear, createStore, del, promisifyRequest, set, values, type UseStore } from 'idb-keyval';
import { claimable } from './claim.js';
import type { OutboxEntry, OutboxStorage } from './outbox-entry.js';
import { memoryOutboxStorage } from './memory-storage.js';

/**
 * Stores the outbox in the IndexedDB database `dbName` (default `'parley-outbox'`), so queued
 * sends survive a reload. Entries of every server and user share the database; each carries its
 * owner and a client only reads its own. Falls back to memory when IndexedDB is missing (Node,
 * some private modes); the client also switches to memory when IndexedDB fails later (see
 * {@link fallbackOutboxStorage}).
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
    // One readwrite transaction: IndexedDB runs those one at a time across tabs, so two tabs
    // never both take the same entry.
    claim: (clientId, by, now, until) =>
      use()('readwrite', async (objects) => {
        const entry = await promisifyRequest<OutboxEntry | undefined>(objects.get(clientId));
        if (!entry) return null;
        if (!claimable(entry, by, now)) return 'busy' as const;
        const claimed: OutboxEntry = { ...entry, claim: { by, until } };
        await promisifyRequest(objects.put(claimed, clientId));
        return claimed;
      }),
  };
}
