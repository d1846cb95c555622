/**
 * Several instances as one chat service. On SQLite two instances share one file; on PostgreSQL
 * each has a data dir of its own and they share only PostgreSQL and Redis. The fault test needs
 * PostgreSQL (instances on several machines) and runs on the PostgreSQL pass of the suite.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Message } from '../../../src/types.js';
import { TestSocket, call, login, post, startServer, tempDir, type TestServer } from './helpers.js';
import { ChatUser, allMessages, instance, until, type Instance } from './instances.js';
import { freePort, startRedis, type RedisProcess } from './redis-process.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
import { ENGINE, databaseUrlFor, sqlOn } from './test-database.js';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

describe('two in-process instances', () => {
  let redis: RedisProcess;
  let a: TestServer;
  let b: TestServer;
  const dirs = [tempDir(), tempDir()];

  before(async () => {
    redis = await startRedis();
    const databaseUrl = await databaseUrlFor(dirs[0]!.dir);
    // On SQLite both must open the one file; on PostgreSQL nothing of the data dir is shared.
    const bDir = ENGINE === 'postgres' ? dirs[1]!.dir : dirs[0]!.dir;
    [a, b] = await Promise.all([
      startServer({ dataDir: dirs[0]!.dir, databaseUrl, redisUrl: redis.url, rateLimits: { writes: 10_000 } }, true),
      startServer({ dataDir: bDir, databaseUrl, redisUrl: redis.url, rateLimits: { writes: 10_000 } }, true),
    ]);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
    for (const d of dirs) await d.cleanup();
  });

  test('concurrent sends to one conversation through both instances get seq 1..N with no gap and no duplicate', async () => {
    const alice = (await login(a.url, 'alice')).token;
    const { conversation_id } = await post(a.url, alice, 'first');
    const sends = Array.from({ length: 60 }, (_, i) =>
      post(i % 2 ? b.url : a.url, alice, `concurrent ${i}`, { conversation_id, client_id: `c-${i}` }),
    );
    // The same client_ids again, at the same time, through the other instance: stored once each.
    const repeats = Array.from({ length: 60 }, (_, i) =>
      post(i % 2 ? a.url : b.url, alice, `concurrent ${i}`, { conversation_id, client_id: `c-${i}` }),
    );
    await Promise.all([...sends, ...repeats]);
    await until(async () => {
      const all = await allMessages(a.url, alice, conversation_id);
      return all.filter((m) => m.type === 'bot').length === 61 ? null : 'bot replies still coming';
    }, 20_000);
    const all = await allMessages(b.url, alice, conversation_id);
    assert.deepEqual(
      all.map((m) => m.seq),
      Array.from({ length: all.length }, (_, i) => i + 1),
    );
    const users = all.filter((m) => m.type === 'user');
    assert.equal(users.length, 61);
    assert.equal(new Set(users.map((m) => m.client_id)).size, 61);
  });

  test('an upload made through one instance is served by the other and usable in a message there', async () => {
    const bob = (await login(a.url, 'bob')).token;
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'dot.png');
    const up = await call(a.url, 'POST', '/api/chat/upload/', { token: bob, body: form });
    assert.equal(up.status, 201);
    const served = await fetch(b.url + up.body.file_url);
    assert.equal(served.status, 200);
    assert.equal(served.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), PNG);
    const sent = await post(b.url, bob, '', { attachment_id: up.body.attachment_id });
    const message = (
      await call(b.url, 'GET', `/api/chat/conversations/${sent.conversation_id}/messages/`, { token: bob })
    ).body[0] as Message;
    assert.equal(message.attachment?.file_url, up.body.file_url);
  });
});

describe(
  'instances in processes of their own, behind a round-robin balancer',
  { skip: ENGINE !== 'postgres' && 'needs PostgreSQL (run with PARLEY_TEST_PG_URL)' },
  () => {
    let redis: RedisProcess;
    let proxy: TcpProxy;
    let instances: Instance[] = [];
    const dirs = [tempDir(), tempDir()];
    const users: ChatUser[] = [];

    before(async () => {
      redis = await startRedis();
      const databaseUrl = (await databaseUrlFor(dirs[0]!.dir))!;
      const ports = [await freePort(), await freePort()];
      instances = ports.map((port, i) =>
        instance(port, {
          PARLEY_DATA_DIR: dirs[i]!.dir,
          DATABASE_URL: databaseUrl,
          REDIS_URL: redis.url,
          PRESENCE_TTL_MS: '1500',
        }),
      );
      // Both at once on an empty database: the migration runs once, the demo users are created once.
      await Promise.all(instances.map((s) => s.start()));
      proxy = await startTcpProxy(ports);
    });
    after(async () => {
      for (const u of users) u.close();
      await proxy?.close();
      await Promise.all(instances.map((s) => s.stop()));
      await redis?.stop();
      for (const d of dirs) await d.cleanup();
    });

    test('10 messages a second for 20 s while Redis stops for 5 s and an instance is SIGKILLed and restarted: every client ends with every message once, in order, and one bot reply each', async () => {
      const alice = (await login(proxy.url, 'alice')).token;
      const bob = (await login(proxy.url, 'bob')).token;
      const { conversation_id } = await post(proxy.url, alice, 'hello everyone', { client_id: 'alice-start' });
      await call(proxy.url, 'POST', `/api/chat/conversations/${conversation_id}/participants/`, {
        token: alice,
        body: { username: 'bob' },
      });
      const senders = [alice, bob].map((token) => new ChatUser(proxy.url, token, conversation_id));
      // Two more readers each: with round-robin, sockets land on both instances.
      const readers = [alice, bob, alice, bob].map((token) => new ChatUser(proxy.url, token, conversation_id));
      users.push(...senders, ...readers);
      for (const u of users) u.connect();

      const sent: string[][] = [[], []];
      const queues: Promise<void>[] = [Promise.resolve(), Promise.resolve()];
      const started = Date.now();
      const faults = (async () => {
        const at = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, started + ms - Date.now())));
        await at(5_000);
        await redis.stop();
        await at(10_000);
        await redis.start();
        await at(12_000);
        await instances[0]!.kill();
        await at(14_000);
        await instances[0]!.start();
      })();
      for (let i = 0; Date.now() - started < 20_000; i++) {
        const who = i % 2;
        const clientId = `${who ? 'bob' : 'alice'}-${i}`;
        sent[who]!.push(clientId);
        // One send in flight per user, in order, like the client's outbox.
        queues[who] = queues[who]!.then(() => senders[who]!.send(`message ${i}`, clientId));
        await new Promise((r) => setTimeout(r, Math.max(0, started + (i + 1) * 100 - Date.now())));
      }
      await Promise.all([...queues, faults]);
      const total = sent[0]!.length + sent[1]!.length;
      assert.ok(total >= 190, `sent ${total} messages`);

      // The database: each message once, in each sender's order, one bot reply to each.
      let stored: Message[] = [];
      await until(async () => {
        stored = await allMessages(proxy.url, alice, conversation_id);
        const bots = stored.filter((m) => m.type === 'bot').length;
        const userMsgs = stored.filter((m) => m.type === 'user').length;
        return bots === userMsgs ? null : `${bots} bot replies to ${userMsgs} user messages`;
      }, 30_000);
      assert.deepEqual(
        stored.map((m) => m.seq),
        Array.from({ length: stored.length }, (_, i) => i + 1),
      );
      for (const [who, ids] of sent.entries()) {
        const name = who ? 'bob' : 'alice';
        assert.deepEqual(
          stored
            .filter((m) => m.type === 'user' && m.sender === name && m.client_id !== 'alice-start')
            .map((m) => m.client_id),
          ids,
          `${name}'s messages, each once and in the order sent`,
        );
      }
      const unanswered = await sqlOn(
        dirs[0]!.dir,
        `SELECT m.id FROM chat_message m WHERE m.type = 'user'
       AND (SELECT COUNT(*) FROM chat_message r WHERE r.reply_to_id = m.id) <> 1`,
      );
      assert.deepEqual(unanswered, [], 'exactly one bot reply per user message');

      // Every client: the same messages, by seq, without a gap.
      const expected = stored.map((m) => `${m.seq}:${m.id}`).join(',');
      await until(() => {
        for (const [i, u] of users.entries()) {
          const held = [...u.messages.values()].sort((x, y) => (x.seq ?? 0) - (y.seq ?? 0));
          if (held.map((m) => `${m.seq}:${m.id}`).join(',') !== expected)
            return `client ${i} holds ${held.length} of ${stored.length} messages, up to seq ${u.contiguousSeq()} without a gap`;
        }
        return null;
      }, 30_000);
    });

    test("a user whose only socket was on a SIGKILLed instance is announced gone to the other instance's sockets", async () => {
      const alice = (await login(proxy.url, 'alice')).token;
      const bob = (await login(proxy.url, 'bob')).token;
      const { conversation_id } = await post(proxy.url, alice, 'presence');
      await call(proxy.url, 'POST', `/api/chat/conversations/${conversation_id}/participants/`, {
        token: alice,
        body: { username: 'bob' },
      });
      const [onA, onB] = instances.map((s) => `http://127.0.0.1:${s.port}`) as [string, string];
      const sa = await TestSocket.open(onA, conversation_id, `token=${alice}`);
      const sb = await TestSocket.open(onB, conversation_id, `token=${bob}`);
      try {
        await sa.next('user_joined', (f) => f.username === 'bob');
        await instances[1]!.kill();
        // The instances run with a 1.5 s presence TTL; the default is 20 s (within the 30 s asked).
        await sa.next('user_left', (f) => f.username === 'bob', 30_000);
      } finally {
        await sa.close();
        sb.ws.terminate();
        await instances[1]!.start();
      }
    });
  },
);
