import { expect } from '@open-wc/testing';
import { memoryOutboxStorage, type OutboxEntry, type OutboxStorage } from '../../../src/index.js';
import { fallbackOutboxStorage } from '../../../src/outbox/fallback-storage.js';

const entry = (clientId: string): OutboxEntry => ({
  kind: 'message',
  status: 'queued',
  clientId,
  owner: 'https://chat.example.com alice',
  conversationId: '1',
  text: clientId,
  attachmentId: null,
  createdAt: '2026-12-01T10:00:00.000Z',
  order: 1,
  attempts: 0,
});

/** A storage that works until `broken` is set, then refuses every write (a full quota). */
function breakable(): OutboxStorage & { broken: boolean } {
  const inner = memoryOutboxStorage();
  const store = {
    broken: false,
    list: () => inner.list(),
    put: async (e: OutboxEntry) => {
      if (store.broken) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return inner.put(e);
    },
    remove: (id: string) => inner.remove(id),
    clear: () => inner.clear(),
  };
  return store;
}

describe('fallbackOutboxStorage', () => {
  it('carries on in memory after a failed write, keeping what was stored, and says so once', async () => {
    const primary = breakable();
    const failures: unknown[] = [];
    const storage = fallbackOutboxStorage(primary, (error) => failures.push(error));
    await storage.put(entry('a'));
    primary.broken = true;
    await storage.put(entry('b'));
    await storage.put(entry('c'));
    expect((await storage.list()).map((e) => e.clientId).sort()).to.deep.equal(['a', 'b', 'c']);
    expect(failures).to.have.length(1);
    await storage.remove('b');
    expect((await storage.list()).map((e) => e.clientId).sort()).to.deep.equal(['a', 'c']);
  });

  it('treats a store that cannot open like a missing one: empty, then memory', async () => {
    const refusing: OutboxStorage = {
      list: () => Promise.reject(new DOMException('Access to IndexedDB was denied.', 'UnknownError')),
      put: () => Promise.reject(new Error('closed')),
      remove: () => Promise.reject(new Error('closed')),
      clear: () => Promise.reject(new Error('closed')),
    };
    let told = 0;
    const storage = fallbackOutboxStorage(refusing, () => told++);
    expect(await storage.list()).to.deep.equal([]);
    await storage.put(entry('a'));
    expect(await storage.claim!('a', 'tab-1', 1000, 2000)).to.include({ clientId: 'a' });
    expect(await storage.claim!('a', 'tab-2', 1500, 2500)).to.equal('busy');
    expect(await storage.claim!('a', 'tab-2', 2000, 3000)).to.include({ clientId: 'a' });
    expect(await storage.claim!('gone', 'tab-2', 2000, 3000)).to.equal(null);
    expect(told).to.equal(1);
  });
});
