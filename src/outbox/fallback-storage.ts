/**
 * An outbox storage that survives its backing store failing: it mirrors what it wrote and read,
 * and on the first failure (IndexedDB that will not open, a write refused by quota or a private
 * mode) carries on in memory for the rest of the page, saying so once. Nothing queued is lost
 * for the page, and nothing is both kept and reported as refused.
 */
import { memoryOutboxStorage } from './memory-storage.js';
import type { OutboxEntry, OutboxStorage } from './outbox-entry.js';

export function fallbackOutboxStorage(primary: OutboxStorage, onDegraded: (error: unknown) => void): OutboxStorage {
  const mirror = new Map<string, OutboxEntry>();
  let memory: OutboxStorage | null = null;
  const degrade = (error: unknown): OutboxStorage => {
    if (!memory) {
      memory = memoryOutboxStorage(mirror.values());
      onDegraded(error);
    }
    return memory;
  };
  /** Runs `op` on the primary store, or on memory once the primary has failed. */
  const run = async <T>(op: (s: OutboxStorage) => Promise<T>, after: (result: T) => void = () => {}): Promise<T> => {
    if (memory) return op(memory);
    try {
      const result = await op(primary);
      after(result);
      return result;
    } catch (error) {
      return op(degrade(error));
    }
  };
  const remember = (entry: OutboxEntry | 'busy' | null | undefined): void => {
    if (entry && entry !== 'busy') mirror.set(entry.clientId, entry);
  };
  return {
    list: () =>
      run(
        (s) => s.list(),
        (entries) => entries.forEach(remember),
      ),
    put: (entry) =>
      run(
        (s) => s.put(entry),
        () => remember(entry),
      ),
    remove: (clientId) =>
      run(
        (s) => s.remove(clientId),
        () => mirror.delete(clientId),
      ),
    clear: () =>
      run(
        (s) => s.clear(),
        () => mirror.clear(),
      ),
    claim: (clientId, by, now, until) =>
      run(
        (s) => (s.claim ? s.claim(clientId, by, now, until) : Promise.resolve(mirror.get(clientId) ?? null)),
        (result) => (result === null ? mirror.delete(clientId) : remember(result)),
      ),
  };
}
