/** An outbox storage in memory: for tests, and where IndexedDB is missing. */
import type { OutboxEntry, OutboxStorage } from './outbox-entry.js';

/** Keeps entries in a Map; pass the same instance to a second client to simulate a reload. */
export function memoryOutboxStorage(): OutboxStorage {
  const entries = new Map<string, OutboxEntry>();
  return {
    list: async () => [...entries.values()].map((e) => ({ ...e })),
    put: async (entry) => {
      entries.set(entry.clientId, { ...entry });
    },
    remove: async (clientId) => {
      entries.delete(clientId);
    },
    clear: async () => {
      entries.clear();
    },
  };
}
