// The client in Node 20, which has no global WebSocket, against the real reference server:
// with `ws`'s class as the `WebSocket` option it talks over the socket; without one it says so
// through `error` and `state` and keeps working over HTTP, with no unhandled rejection.
// Run with: node --import tsx --test test/src/transport/websocket-option.node.test.ts
// The browser runner's glob also matches this file: there it defines nothing.
import type Assert from 'node:assert/strict';

const isNode = typeof process !== 'undefined' && !!process.versions?.node;

if (isNode) {
  const { test } = (await import('node:' + 'test')) as typeof import('node:test');
  const assert: typeof Assert = ((await import('node:assert/' + 'strict')) as { default: typeof Assert }).default;
  const { WebSocket } = (await import('w' + 's')) as typeof import('ws');
  const { ChatClient, memoryOutboxStorage, TransportError } = await import('../../../src/index.js');
  type Client = InstanceType<typeof ChatClient>;
  type Helpers = typeof import('../../demo/server/helpers.js');
  const { startServer } = (await import('../../demo/server/' + 'helpers.js')) as Helpers;

  /** Resolves once `check()` holds, re-checked whenever the client emits `messages` or `state`. */
  const when = (client: Client, check: () => boolean): Promise<void> =>
    new Promise((resolve) => {
      const offs: (() => void)[] = [];
      const test = (): void => {
        if (!check()) return;
        for (const off of offs) off();
        resolve();
      };
      offs.push(client.on('messages', test), client.on('state', test));
      test();
    });

  test('Node 20 has no global WebSocket (the reason for the option)', () => {
    assert.equal((globalThis as { WebSocket?: unknown }).WebSocket, undefined);
  });

  test('with the ws class as the WebSocket option, the client talks over the socket in Node', async () => {
    const server = await startServer();
    const client = new ChatClient({ apiUrl: server.url, storage: memoryOutboxStorage(), WebSocket });
    try {
      await client.login('alice', 'alice123');
      await client.send('hello');
      await when(client, () => client.state.status === 'open');
      await when(client, () => client.messages().some((m) => m.type === 'bot'));
      assert.equal(client.transport, 'websocket');
      assert.deepEqual(
        client.messages().map((m) => [m.text.split('!')[0], m.own]),
        [
          ['hello', true],
          ['Hello', false],
        ],
      );
    } finally {
      client.destroy();
      await server.stop();
    }
  });

  test('without a WebSocket class it reports a TransportError through error and state, and works over HTTP', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const server = await startServer();
    const client = new ChatClient({ apiUrl: server.url, storage: memoryOutboxStorage() });
    const errors: unknown[] = [];
    client.on('error', (e) => errors.push(e));
    try {
      await client.login('alice', 'alice123');
      await client.send('hello');
      await when(client, () => client.state.status === 'fallback');
      assert.deepEqual(client.state, { status: 'fallback', transport: 'http', nextProbeAt: null });
      await when(client, () => client.messages().some((m) => m.type === 'bot'));
      const noSocket = errors.filter((e) => e instanceof TransportError && e.code === 'no_websocket');
      assert.equal(noSocket.length, 1);
      assert.match((noSocket[0] as Error).message, /WebSocket option/);
      assert.equal(client.transport, 'http');
      assert.deepEqual(unhandled, []);
    } finally {
      client.destroy();
      await server.stop();
      process.off('unhandledRejection', onUnhandled);
    }
  });
}
