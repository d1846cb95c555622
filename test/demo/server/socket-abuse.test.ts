import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MAX_READ_IDS } from '../../../demo/server/chat-service.js';
import { TestSocket, call, login, post, startServer, type TestServer } from './helpers.js';

describe('a socket under abuse', () => {
  let s: TestServer;
  let alice: string;
  let bob: string;
  let conv: string;
  /** Every error-level line the server logs. */
  const errorLogs: unknown[] = [];

  before(async () => {
    s = await startServer({
      botDelayMs: 60_000,
      rateLimits: { writes: 40, writeWindowMs: 600_000, socketStrikes: 20, socketBurst: 1000 },
    });
    const log = s.context.log;
    const original = log.error.bind(log);
    log.error = ((...args: Parameters<typeof original>) => {
      errorLogs.push(args);
      return original(...args);
    }) as typeof log.error;
    [alice, bob] = await Promise.all(['alice', 'bob', 'carol'].map(async (u) => (await login(s.url, u)).token));
    conv = (await post(s.url, alice, 'setup')).conversation_id;
    await call(s.url, 'POST', `/api/chat/conversations/${conv}/participants/`, {
      token: alice,
      body: { username: 'bob' },
    });
  });
  after(() => s.stop());

  /** Bob can still send over his socket and get his ack. */
  async function bobStillSends(text: string): Promise<void> {
    const b = await TestSocket.open(s.url, conv, `token=${bob}`);
    b.send({ type: 'message', text, client_id: text });
    await b.next('message:ack', (f) => f.client_id === text);
    await b.close();
  }

  test('a read frame with more ids than allowed gets a clear error and marks nothing; within the bound the highest id counts', async () => {
    // One after the other: concurrent posts may be stored in any order, and "read up to r1" must mean r1 alone.
    const ids: string[] = [];
    for (const i of [1, 2, 3]) ids.push((await post(s.url, alice, `r${i}`, { conversation_id: conv })).message_id);
    const b = await TestSocket.open(s.url, conv, `token=${bob}`);
    const many = Array.from({ length: 5000 }, (_, i) => String(i + 1));
    b.send({ type: 'read', message_ids: many });
    const error = await b.next('error');
    assert.equal(error.code, 'invalid_message');
    assert.match(error.message, new RegExp(`${MAX_READ_IDS}`));
    await b.flush();
    assert.equal(b.count('read'), 0, 'nothing was marked read');

    // The first id only, plus unknown ones, in a list at the bound: marks read up to the first.
    b.send({
      type: 'read',
      message_ids: [ids[0], ...Array.from({ length: MAX_READ_IDS - 1 }, () => '999999999999999999')],
    });
    const read = await b.next('read', (f) => f.username === 'bob');
    assert.deepEqual(read.message_ids, [ids[0]]);
    const { body } = await call(s.url, 'GET', `/api/chat/conversations/${conv}/messages/`, { token: alice });
    const status = (text: string) => (body as { text: string; status: string }[]).find((m) => m.text === text)!.status;
    assert.deepEqual([status('r1'), status('r2'), status('r3')], ['read', 'sent', 'sent']);
    await b.close();
    await bobStillSends('after the read flood');
  });

  test('a 20,000-deep array as a frame type gets unknown_type, the socket stays open, and nothing is logged as an error', async () => {
    const a = await TestSocket.open(s.url, conv, `token=${alice}`);
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    for (const frame of [
      `{"type":${deep}}`,
      `{"type":"message","text":${deep},"client_id":"deep"}`,
      `{"type":"read","message_ids":${deep}}`,
    ])
      a.send(frame);
    // Frames are answered in order: after the pong, every error frame is in. The read frame's
    // list holds no id at all: like foreign ids, ignored.
    await a.flush();
    const errors = a.frames.filter((f) => f.type === 'error');
    assert.deepEqual(
      errors.map((f) => [f.code, f.client_id]),
      [
        ['unknown_type', undefined],
        ['invalid_message', 'deep'],
      ],
    );
    assert.equal(a.ws.readyState, a.ws.OPEN);
    assert.deepEqual(errorLogs, []);
    await a.close();
    await bobStillSends('after the deep frames');
  });

  test('a steady flood is closed with 1008 even though some of its frames are accepted', async () => {
    const a = await TestSocket.open(s.url, conv, `token=${alice}`);
    // Pings pass (they spend no write budget); the sends beyond alice's budget are refused.
    // Each accepted ping used to forgive every strike, so this went on forever.
    for (let i = 0; i < 200; i++) {
      a.send({ type: 'message', text: `flood ${i}`, client_id: `flood-${i}` });
      a.send({ type: 'ping' });
    }
    assert.equal((await a.closed).code, 1008);
    assert.ok(a.count('pong') > 0, 'pings were accepted meanwhile');
    assert.ok(a.count('error', (f) => f.code === 'rate_limited') > 0);
    await bobStillSends('after the flood');
  });
});
