/**
 * Two server instances sharing one database and a REAL Redis (`redis-process.ts`) behave as one.
 * On SQLite they share the data dir (one file); on PostgreSQL each has a data dir of its own and
 * they share nothing but the database and Redis.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestSocket, call, login, post, startServer, tempDir, type TestServer } from './helpers.js';
import { startRedis, type RedisProcess } from './redis-process.js';
import { replyFrames, textSeen } from './stream-support.js';
import { ENGINE, databaseUrlFor } from './test-database.js';

describe('two instances with Redis', () => {
  let redis: RedisProcess;
  let a: TestServer;
  let b: TestServer;
  let cleanup: () => Promise<void>;
  let alice: string;
  let bob: string;
  let conv: string;

  before(async () => {
    redis = await startRedis();
    const tmp = tempDir();
    const other = tempDir();
    cleanup = async () => (await tmp.cleanup(), await other.cleanup());
    // The bot types at 20 words a second: a reply streams long enough to be stopped.
    const bot = { botDelayMs: 20, botWordsPerSecond: 20 };
    a = await startServer({ dataDir: tmp.dir, redisUrl: redis.url, ...bot }, true);
    b = await startServer(
      ENGINE === 'postgres'
        ? { dataDir: other.dir, databaseUrl: await databaseUrlFor(tmp.dir), redisUrl: redis.url, ...bot }
        : { dataDir: tmp.dir, redisUrl: redis.url, ...bot },
      true,
    );
    alice = (await login(a.url, 'alice')).token;
    bob = (await login(b.url, 'bob')).token;
    conv = (await post(a.url, alice, 'shared')).conversation_id;
    await call(a.url, 'POST', `/api/chat/conversations/${conv}/participants/`, {
      token: alice,
      body: { username: 'bob' },
    });
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
    await cleanup?.();
  });

  test("they deliver each other's messages, typing, read receipts and presence", async () => {
    const sa = await TestSocket.open(a.url, conv, `token=${alice}`);
    const sb = await TestSocket.open(b.url, conv, `token=${bob}`);
    try {
      await sa.next('user_joined', (f) => f.username === 'bob');
      sa.send({ type: 'message', text: 'from instance A', client_id: 'redis-1' });
      const onB = await sb.next('message:new', (f) => f.message.client_id === 'redis-1');
      assert.equal(onB.message.sender, 'alice');
      // Exactly one bot reply, seen on both instances.
      const botB = await sb.next(
        'message:new',
        (f) => f.message.type === 'bot' && f.message.seq === onB.message.seq + 1,
      );
      await sa.next('message:new', (f) => f.message.id === botB.message.id);
      await sb.next('typing', (f) => f.username === 'bot' && f.is_typing === false);

      sb.send({ type: 'typing', is_typing: true });
      await sa.next('typing', (f) => f.username === 'bob' && f.is_typing === true);
      sb.send({ type: 'message', text: 'and back from B', client_id: 'redis-2' });
      const onA = await sa.next('message:new', (f) => f.message.client_id === 'redis-2');
      sb.send({ type: 'read', message_ids: [onB.message.id] });
      await sa.next('read', (f) => f.username === 'bob');
      // REST on one instance reaches sockets on the other.
      await call(b.url, 'POST', '/api/chat/typing/', { token: bob, body: { conversation_id: conv, is_typing: false } });
      await sa.next('typing', (f) => f.username === 'bob' && f.is_typing === false);
      const rest = await post(b.url, bob, 'over REST on B', { conversation_id: conv });
      await sa.next('message:new', (f) => f.message.id === rest.message_id);

      await sb.close();
      await sa.next('user_left', (f) => f.username === 'bob');
      await sa.flush();
      assert.equal(
        sa.count('message:new', (f) => f.message.id === onA.message.id),
        1,
        'no duplicates across instances',
      );
      const msgs = (await call(a.url, 'GET', `/api/chat/conversations/${conv}/messages/?limit=200`, { token: alice }))
        .body;
      const seqs = msgs.map((m: { seq: number }) => m.seq);
      assert.deepEqual(
        seqs,
        Array.from({ length: seqs.length }, (_, i) => i + 1),
        'one gapless seq across both writers',
      );
      assert.equal(msgs.filter((m: { client_id: string | null }) => m.client_id === 'redis-1').length, 1);
    } finally {
      await Promise.all([sa.close(), sb.close()]);
    }
  });

  test('a reply streamed by one instance reaches a socket on the other as deltas and an end, and a stop made there stops the writer', async () => {
    const sa = await TestSocket.open(a.url, conv, `token=${alice}`);
    const sb = await TestSocket.open(b.url, conv, `token=${bob}`);
    try {
      // Posted through A: A writes the reply.
      const asked = await post(a.url, alice, 'help', { conversation_id: conv });
      const start = await sb.next('message:new', (f) => f.message.type === 'bot' && +f.message.id > +asked.message_id);
      await sb.next('message:delta', (f) => f.message_id === start.message.id);
      const end = await sb.next('message:end', (f) => f.message_id === start.message.id);
      assert.equal(end.stream_state, 'complete');
      assert.match(end.text, /^Here is what I can help with/);
      assert.equal(textSeen(sb, start.message.id), end.text, 'the deltas carried across add up to the end');
      assert.deepEqual(await sa.next('message:end', (f) => f.message_id === start.message.id), end);

      const again = await post(a.url, alice, 'help', { conversation_id: conv });
      const next = await sb.next('message:new', (f) => f.message.type === 'bot' && +f.message.id > +again.message_id);
      await sb.next('message:delta', (f) => f.message_id === next.message.id);
      sb.send({ type: 'cancel', message_id: next.message.id });
      const stopped = await sb.next('message:end', (f) => f.message_id === next.message.id);
      assert.equal(stopped.stream_state, 'stopped');
      assert.deepEqual(await sa.next('message:end', (f) => f.message_id === next.message.id), stopped);
      // A whole later reply later, nothing more of the stopped one arrived anywhere: its writer stopped.
      const later = await post(a.url, alice, 'thanks', { conversation_id: conv });
      await sb.botReply((m) => +m.id > +later.message_id);
      await sa.botReply((m) => +m.id > +later.message_id);
      for (const sock of [sa, sb]) assert.equal(replyFrames(sock, next.message.id).all.at(-1)!.type, 'message:end');
      const stored = (await call(a.url, 'GET', `/api/chat/messages/${next.message.id}/`, { token: alice })).body;
      assert.deepEqual([stored.stream_state, stored.text], ['stopped', stopped.text]);
    } finally {
      await Promise.all([sa.close(), sb.close()]);
    }
  });

  test('a ticket from one instance opens a socket on the other', async () => {
    const t = (await call(a.url, 'POST', '/api/chat/ws-ticket/', { token: bob, body: { conversation_id: conv } })).body
      .ticket;
    const sb = await TestSocket.open(b.url, conv, `ticket=${t}`);
    assert.equal((await sb.next('hello')).user.username, 'bob');
    await sb.close();
  });
});
