/**
 * The per-user limits with Redis (`limits/redis-limit-store.ts`) against a REAL Redis
 * (`redis-process.ts`): one write budget and one socket cap per user across instances, a crashed
 * instance's sockets stop counting, and a Redis outage lifts the limits instead of refusing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { RedisLimitStore } from '../../../demo/server/limits/redis-limit-store.js';
import { createLogger } from '../../../demo/server/logger.js';
import { aliveKey } from '../../../demo/server/realtime/redis-presence.js';
import { TestSocket, call, closeCodeOf, login, post, startServer, tempDir, wsUrl, type TestServer } from './helpers.js';
import { startRedis, type RedisProcess } from './redis-process.js';
import { ENGINE, databaseUrlFor } from './test-database.js';

/** A budget that does not refill during a test. */
const WRITES = 6;

describe('per-user limits shared by two instances through Redis', () => {
  let redis: RedisProcess;
  let a: TestServer;
  let b: TestServer;
  let cleanup: () => Promise<void>;

  before(async () => {
    redis = await startRedis();
    const tmp = tempDir();
    const other = tempDir();
    cleanup = async () => (await tmp.cleanup(), await other.cleanup());
    const rateLimits = { writes: WRITES, writeWindowMs: 600_000, socketsPerUser: 2 };
    a = await startServer({ dataDir: tmp.dir, redisUrl: redis.url, botDelayMs: 60_000, rateLimits }, true);
    b = await startServer(
      ENGINE === 'postgres'
        ? { dataDir: other.dir, databaseUrl: await databaseUrlFor(tmp.dir), redisUrl: redis.url, rateLimits }
        : { dataDir: tmp.dir, redisUrl: redis.url, botDelayMs: 60_000, rateLimits },
      true,
    );
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
    await cleanup?.();
  });

  test("a user's writes on either instance, REST or socket, spend one budget; so do sockets; another user is unaffected", async () => {
    const alice = (await login(a.url, 'alice')).token;
    const conv = (await post(a.url, alice, 'on A')).conversation_id;
    for (let i = 1; i < WRITES; i++) {
      const r = await call(b.url, 'POST', '/api/user-response/', {
        token: alice,
        body: { message: `on B ${i}`, conversation_id: conv },
      });
      assert.equal(r.status, 201, `write ${i + 1} of ${WRITES}`);
    }
    const refused = await call(a.url, 'POST', '/api/user-response/', {
      token: alice,
      body: { message: 'one more on A', conversation_id: conv },
    });
    assert.equal(refused.status, 429);
    assert.equal(refused.body.code, 'rate_limited');
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);

    const onA = await TestSocket.open(a.url, conv, `token=${alice}`);
    onA.send({ type: 'message', text: 'over the socket', client_id: 'over-1' });
    await onA.next('error', (f) => f.client_id === 'over-1' && f.code === 'rate_limited');
    const onB = await TestSocket.open(b.url, conv, `token=${alice}`);
    assert.equal(await closeCodeOf(wsUrl(a.url, conv, `token=${alice}`)), 1013);
    assert.equal(await closeCodeOf(wsUrl(b.url, conv, `token=${alice}`)), 1013);

    const bob = (await login(b.url, 'bob')).token;
    assert.ok((await post(a.url, bob, 'bob has a budget of his own')).conversation_id);
    await Promise.all([onA.close(), onB.close()]);
  });
});

describe('the Redis limit store', () => {
  let redis: RedisProcess;
  let client: Redis;
  before(async () => {
    redis = await startRedis();
    client = new Redis(redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    await new Promise<void>((resolve) => client.once('ready', () => resolve()));
  });
  after(async () => {
    client?.disconnect();
    await redis?.stop();
  });

  test("a budget is atomic across stores; a dead instance's sockets stop counting", async () => {
    const log = createLogger('silent');
    const [one, two] = [new RedisLimitStore(client, 'one', log), new RedisLimitStore(client, 'two', log)];
    const budget = { capacity: 2, refillPerSec: 0.001 };
    const takes = await Promise.all([one, two, one, two].map((s) => s.take('write:7', budget)));
    assert.equal(takes.filter((t) => t.ok).length, 2);
    const no = takes.find((t) => !t.ok);
    assert.ok(no && !no.ok && no.retryAfterMs > 0);

    await client.set(aliveKey('one'), '1');
    await client.set(aliveKey('two'), '1');
    assert.equal(await two.openSocket('7', 2), true);
    assert.equal(await two.openSocket('7', 2), true);
    assert.equal(await one.openSocket('7', 2), false, 'two sockets open on the other instance');
    await two.closeSocket('7');
    assert.equal(await one.openSocket('7', 2), true, 'a closed socket frees its slot');
    assert.equal(await one.openSocket('7', 2), false);
    await client.del(aliveKey('two'));
    assert.equal(await one.openSocket('7', 2), true, "the dead instance's socket no longer counts");
  });

  test('while Redis is down every take passes and every socket is admitted', async () => {
    const store = new RedisLimitStore(client, 'one', createLogger('silent'));
    const budget = { capacity: 1, refillPerSec: 0.001 };
    await store.take('write:8', budget);
    assert.equal((await store.take('write:8', budget)).ok, false);
    await redis.stop();
    assert.equal((await store.take('write:8', budget)).ok, true);
    assert.equal(await store.openSocket('8', 0), true);
    await store.closeSocket('8');
  });
});
