// Importing the client in Node (no window, document, localStorage, indexedDB) must not throw or
// touch those globals. Run with: node --import tsx --test test/src/node-import.node.test.ts
// The browser runner's glob also matches this file: there it defines nothing (Node modules are
// imported through a variable so the browser never resolves them).
import type Assert from 'node:assert/strict';

const isNode = typeof process !== 'undefined' && !!process.versions?.node;
const DOM_GLOBALS = ['window', 'document', 'localStorage', 'indexedDB'];

if (isNode) {
  const testModule = 'node:test';
  const assertModule = 'node:assert/strict';
  const { test } = (await import(testModule)) as typeof import('node:test');
  const assert: typeof Assert = ((await import(assertModule)) as { default: typeof Assert }).default;

  test('importing src/index.ts in Node touches no DOM global', async () => {
    for (const name of DOM_GLOBALS)
      assert.equal(Object.getOwnPropertyDescriptor(globalThis, name), undefined, `${name} exists in Node`);
    const touched: string[] = [];
    for (const name of DOM_GLOBALS) {
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
      for (const name of DOM_GLOBALS) delete (globalThis as Record<string, unknown>)[name];
    }
  });

  test('a client can be constructed and destroyed in Node', async () => {
    const { ChatClient, memoryOutboxStorage } = await import('../../src/index.js');
    const client = new ChatClient({ apiUrl: 'http://127.0.0.1:1', storage: memoryOutboxStorage() });
    assert.equal(client.state.status, 'idle');
    assert.equal(client.isAuthenticated(), false);
    client.destroy();
  });
}
