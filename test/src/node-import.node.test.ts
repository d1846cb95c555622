// Importing the client in Node (no window, document, localStorage, indexedDB) must not throw.
import assert from 'node:assert/strict';
import { test } from 'node:test';

test('importing src/index.ts in Node touches no DOM global', async () => {
  for (const name of ['window', 'document', 'localStorage', 'indexedDB', 'navigator']) {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, name);
    if (name !== 'navigator') assert.equal(descriptor, undefined, `${name} should not exist in Node`);
  }
  const touched: string[] = [];
  for (const name of ['window', 'document', 'localStorage', 'indexedDB']) {
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() {
        touched.push(name);
        return undefined;
      },
    });
  }
  try {
    const parley = await import('../../src/index.js');
    assert.equal(typeof parley.ChatClient, 'function');
    assert.equal(typeof parley.createClient, 'function');
    assert.deepEqual(touched, []);
  } finally {
    for (const name of ['window', 'document', 'localStorage', 'indexedDB']) delete (globalThis as Record<string, unknown>)[name];
  }
});

test('a client can be constructed and destroyed in Node', async () => {
  const { ChatClient, memoryOutboxStorage } = await import('../../src/index.js');
  const client = new ChatClient({ apiUrl: 'http://127.0.0.1:1', storage: memoryOutboxStorage() });
  assert.equal(client.state.status, 'idle');
  assert.equal(client.isAuthenticated(), false);
  client.destroy();
});
