/** An outbox storage in memory: for tests, and where IndexedDB is missing or failing. */
import { claimable } from './claim.js';
import type { OutboxEntry, OutboxStorage } from './outbox-entry.js';

/** Keeps entries in a Map; pass the same instance to a second client to simulate a reload. */
export function memoryOutboxStorage(initial: Iterable<OutboxEntry> = []): OutboxStorage {
  const entries = new Map<string, OutboxEntry>([...initial].map((e) => [e.clientId, { ...e }]));
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
    claim: async (clientId, by, now, until) => {
      const entry = entries.get(clientId);
      if (!entry) return null;
      if (!claimable(entry, by, now)) return 'busy';
      entry.claim = { by, until };
      return { ...entry };
    },
  };
}
