import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryLimitStore } from '../../../demo/server/limits/memory-limit-store.js';

test('the in-process limit store forgets users whose budget has refilled and sockets that closed', async () => {
  let now = 0;
  const store = new MemoryLimitStore(() => now);
  const budget = { capacity: 10, refillPerSec: 1 };
  for (let u = 0; u < 1000; u++) assert.equal((await store.take(`write:${u}`, budget)).ok, true);
  assert.ok(await store.openSocket('1', 2));
  assert.ok(await store.openSocket('1', 2));
  assert.equal(await store.openSocket('1', 2), false, 'the third socket is refused');
  await store.closeSocket('1');
  await store.closeSocket('1');
  now += 1000;
  store.prune();
  assert.deepEqual(store.size(), { buckets: 0, sockets: 0 });
  await store.close();
});

test('a refused take says when to try again and takes nothing', async () => {
  let now = 0;
  const store = new MemoryLimitStore(() => now);
  const budget = { capacity: 2, refillPerSec: 0.5 };
  await store.take('k', budget);
  await store.take('k', budget);
  assert.deepEqual(await store.take('k', budget), { ok: false, retryAfterMs: 2000 });
  now += 2000;
  assert.deepEqual(await store.take('k', budget), { ok: true, remaining: 0 });
  await store.close();
});
