import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import {
  SECRET,
  TestSocket,
  botIdle,
  call,
  closeCodeOf,
  login,
  post,
  startServer,
  wsUrl,
  type TestServer,
} from './helpers.js';

describe('chat socket', () => {
  let s: TestServer;
  let alice: string;
  let bob: string;
  let carol: string;
  let conv: string;
  const sockets: TestSocket[] = [];
  const open = async (token: string, id = conv, q = `token=${token}`) => {
    const sock = await TestSocket.open(s.url, id, q);
    sockets.push(sock);
    return sock;
  };

  before(async () => {
    s = await startServer({
      botDelayMs: 10,
      rateLimits: { socketBurst: 200, socketRefillPerSec: 1, socketStrikes: 5 },
    });
    [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map(async (u) => (await login(s.url, u)).token));
    conv = (await post(s.url, alice, 'setup')).conversation_id;
    await call(s.url, 'POST', `/api/chat/conversations/${conv}/participants/`, {
      token: alice,
      body: { username: 'bob' },
    });
  });
  after(async () => {
    await Promise.all(sockets.map((x) => x.close()));
    await s.stop();
  });

  test('connects with ?token= and greets with hello (user and last_seq)', async () => {
    const a = await open(alice);
    const hello = await a.next('hello');
    assert.equal(hello.user.username, 'alice');
    assert.equal(typeof hello.connection_id, 'string');
    assert.ok(hello.last_seq >= 1);
    await a.close();
  });

  test('connects with a single-use ticket, which is spent on first presentation', async () => {
    const t = (await call(s.url, 'POST', '/api/chat/ws-ticket/', { token: alice, body: { conversation_id: conv } }))
      .body.ticket;
    const a = await open(alice, conv, `ticket=${t}`);
    assert.equal((await a.next('hello')).user.username, 'alice');
    assert.equal(await closeCodeOf(wsUrl(s.url, conv, `ticket=${t}`)), 4001);
    // The ticket wins over a token, and a ticket for another conversation is refused.
    const other = (await post(s.url, alice, 'other')).conversation_id;
    const t2 = (await call(s.url, 'POST', '/api/chat/ws-ticket/', { token: alice, body: { conversation_id: other } }))
      .body.ticket;
    assert.equal(await closeCodeOf(wsUrl(s.url, conv, `ticket=${t2}&token=${alice}`)), 4001);
    await a.close();
  });

  test('the socket path works without the final slash', async () => {
    const sock = new TestSocket(`${s.url.replace('http', 'ws')}/ws/chat/${conv}?token=${alice}`);
    sockets.push(sock);
    await sock.next('hello');
    await sock.close();
  });

  test('missing, forged and expired tokens close with 4001', async () => {
    const key = new TextEncoder().encode(SECRET);
    const expired = await new SignJWT({ user_id: '1', token_type: 'access' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(Date.now() / 1000) - 5)
      .sign(key);
    const forged = await new SignJWT({ user_id: '1', token_type: 'access' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('wrong'));
    assert.equal(await closeCodeOf(wsUrl(s.url, conv)), 4001);
    assert.equal(await closeCodeOf(wsUrl(s.url, conv, `token=${expired}`)), 4001);
    assert.equal(await closeCodeOf(wsUrl(s.url, conv, `token=${forged}`)), 4001);
    assert.equal(await closeCodeOf(wsUrl(s.url, conv, 'ticket=nonsense')), 4001);
  });

  test('an unknown or malformed conversation closes with 4004 and a non-participant with 4003', async () => {
    assert.equal(await closeCodeOf(wsUrl(s.url, '999999', `token=${alice}`)), 4004);
    assert.equal(await closeCodeOf(wsUrl(s.url, 'abc', `token=${alice}`)), 4004);
    assert.equal(await closeCodeOf(wsUrl(s.url, conv, `token=${carol}`)), 4003);
    // Auth is checked first.
    assert.equal(await closeCodeOf(wsUrl(s.url, '999999', 'token=bad')), 4001);
  });

  test('a message reaches every socket including the sender, with an ack to the sender only, and the bot answers once', async () => {
    const a = await open(alice);
    const a2 = await open(alice);
    const b = await open(bob);
    a.send({ type: 'message', text: 'Hi there via socket', client_id: 'ws-1' });
    const ack = await a.next('message:ack', (f) => f.client_id === 'ws-1');
    assert.match(ack.message_id, /^[0-9]+$/);
    assert.equal(typeof ack.seq, 'number');
    for (const sock of [a, a2, b]) {
      const m = await sock.next('message:new', (f) => f.message.client_id === 'ws-1');
      assert.equal(m.message.id, ack.message_id);
      assert.equal(m.message.sender, 'alice');
    }
    const reply = await b.botReply((m) => m.type === 'bot' && m.seq === ack.seq + 1);
    assert.match(reply.text, /^Hello!/);
    assert.equal(reply.stream_state, 'complete');
    await b.next('typing', (f) => f.username === 'bot' && f.user_id === null && f.is_typing === false);
    await a.flush();
    assert.equal(a2.count('message:ack'), 0, 'the ack goes to the sending socket only');
    const r = await call(s.url, 'POST', '/api/bot-response/', { token: alice, body: { conversation_id: conv } });
    assert.equal(r.body.message_id, reply.id);
    assert.equal(r.body.message, reply.text);
    await a.botReply((m) => m.id === reply.id);
    assert.equal(
      a.count('message:new', (f) => f.message.type === 'bot' && f.message.seq === ack.seq + 1),
      1,
    );
    assert.equal(
      a.count('message:end', (f) => f.message_id === reply.id),
      1,
    );
    await Promise.all([a.close(), a2.close(), b.close()]);
  });

  test('a repeated client_id over the socket acks again to the sender only and broadcasts nothing', async () => {
    const a = await open(alice);
    const b = await open(bob);
    a.send({ type: 'message', text: 'once only', client_id: 'ws-dup' });
    const ack1 = await a.next('message:ack', (f) => f.client_id === 'ws-dup');
    await b.next('message:new', (f) => f.message.client_id === 'ws-dup');
    a.send({ type: 'message', text: 'once only', client_id: 'ws-dup' });
    await a.flush();
    const acks = a.frames.filter((f) => f.type === 'message:ack' && f.client_id === 'ws-dup');
    assert.equal(acks.length, 2);
    assert.equal(acks[1].message_id, ack1.message_id);
    await b.flush();
    assert.equal(
      b.count('message:new', (f) => f.message.client_id === 'ws-dup'),
      1,
    );
    await Promise.all([a.close(), b.close()]);
  });

  test('the same client_id over the socket then REST is one row with the same ids', async () => {
    const a = await open(alice);
    a.send({ type: 'message', text: 'exactly once', client_id: 'both-ways' });
    const ack = await a.next('message:ack', (f) => f.client_id === 'both-ways');
    const rest = await call(s.url, 'POST', '/api/user-response/', {
      token: alice,
      body: { message: 'exactly once', conversation_id: conv, client_id: 'both-ways' },
    });
    assert.equal(rest.status, 201);
    assert.deepEqual(rest.body, { conversation_id: conv, message_id: ack.message_id });
    const msgs = (await call(s.url, 'GET', `/api/chat/conversations/${conv}/messages/?limit=200`, { token: alice }))
      .body;
    assert.equal(msgs.filter((m: { client_id: string }) => m.client_id === 'both-ways').length, 1);
    await a.close();
  });

  test("typing goes to every other socket, the same user's other tab included, never back to the sender", async () => {
    const a = await open(alice);
    const a2 = await open(alice);
    const b = await open(bob);
    a.send({ type: 'typing', is_typing: true });
    const t = await b.next('typing', (f) => f.username === 'alice');
    assert.deepEqual(t, { type: 'typing', user_id: t.user_id, username: 'alice', is_typing: true });
    await a2.next('typing', (f) => f.username === 'alice' && f.is_typing === true);
    await a.flush();
    assert.equal(
      a.count('typing', (f) => f.username === 'alice'),
      0,
    );
    // Typing over REST goes to every socket.
    await call(s.url, 'POST', '/api/chat/typing/', { token: bob, body: { conversation_id: conv, is_typing: true } });
    await b.next('typing', (f) => f.username === 'bob');
    await a.next('typing', (f) => f.username === 'bob');
    await Promise.all([a.close(), a2.close(), b.close()]);
  });

  test('read marks up to the highest id, ignores foreign ids and tells every socket', async () => {
    const { message_id } = await post(s.url, alice, 'please read', { conversation_id: conv });
    const foreign = (await post(s.url, carol, 'not yours')).message_id;
    const a = await open(alice);
    const b = await open(bob);
    b.send({ type: 'read', message_ids: [message_id, foreign] });
    for (const sock of [a, b]) {
      const r = await sock.next('read', (f) => f.username === 'bob');
      assert.deepEqual(r.message_ids, [message_id]);
      assert.match(r.read_at, /Z$/);
    }
    const msgs = (await call(s.url, 'GET', `/api/chat/conversations/${conv}/messages/?limit=200`, { token: alice }))
      .body;
    assert.equal(msgs.find((m: { id: string }) => m.id === message_id).status, 'read');
    await Promise.all([a.close(), b.close()]);
  });

  test('sync sends the later messages then synced, and ping answers pong', async () => {
    await botIdle(s.url, alice, conv);
    const a = await open(alice);
    const last = (await a.next('hello')).last_seq;
    a.send({ type: 'sync', after_seq: last - 2 });
    const synced = await a.next('synced');
    assert.equal(synced.last_seq, last);
    assert.equal(synced.more, false);
    assert.deepEqual(
      a.frames.filter((f) => f.type === 'message:new').map((f) => f.message.seq),
      [last - 1, last],
    );
    a.send({ type: 'ping' });
    await a.next('pong');
    await a.close();
  });

  test('bad JSON, unknown frame types and invalid messages get an error frame and the socket stays open', async () => {
    const a = await open(alice);
    a.send('{not json');
    assert.equal((await a.next('error', (f) => f.code === 'bad_json')).type, 'error');
    a.send({ type: 'dance' });
    await a.next('error', (f) => f.code === 'unknown_type');
    a.send({ type: 'message', text: '   ' });
    await a.next('error', (f) => f.code === 'invalid_message');
    a.send({ type: 'message', text: 'y'.repeat(1001) });
    await a.next('error', (f) => f.code === 'message_too_long');
    a.send({ type: 'message', text: 'file', attachment_id: '99999' });
    await a.next('error', (f) => f.code === 'invalid_attachment');
    a.send({ type: 'ping' });
    await a.next('pong');
    assert.equal(a.ws.readyState, a.ws.OPEN);
    await a.close();
  });

  test('an error frame about a message names its client_id, and one about anything else names none', async () => {
    const a = await open(alice);
    a.send({ type: 'message', text: 'y'.repeat(1001), client_id: 'too-long-1' });
    const tooLong = await a.next('error', (f) => f.code === 'message_too_long');
    assert.equal(tooLong.client_id, 'too-long-1');
    a.send({ type: 'message', text: 'file', attachment_id: 'x', client_id: 'bad-attachment-1' });
    assert.equal((await a.next('error', (f) => f.code === 'invalid_attachment')).client_id, 'bad-attachment-1');
    a.send({ type: 'typing', is_typing: 'maybe' });
    assert.equal('client_id' in (await a.next('error', (f) => f.code === 'invalid_message')), false);
    await a.close();
  });

  test('a 70 KiB frame closes the socket with 1009', async () => {
    const a = await open(alice);
    a.send({ type: 'message', text: 'x'.repeat(70 * 1024) });
    assert.equal((await a.closed).code, 1009);
  });

  test("presence: user_joined when a user's first socket opens, user_left when the last closes", async () => {
    const b = await open(bob);
    const a = await open(alice);
    const joined = await b.next('user_joined', (f) => f.username === 'alice');
    assert.match(joined.user_id, /^[0-9]+$/);
    const a2 = await open(alice);
    await a2.close();
    await b.flush();
    assert.equal(
      b.count('user_joined', (f) => f.username === 'alice'),
      1,
    );
    assert.equal(
      b.count('user_left', (f) => f.username === 'alice'),
      0,
    );
    await a.close();
    await b.next('user_left', (f) => f.username === 'alice');
    assert.equal(
      a.count('user_joined', (f) => f.username === 'alice'),
      0,
      'a user is not told about itself',
    );
    await b.close();
  });

  test('a flood gets rate_limited first, then a 1008 close', async () => {
    const b = await open(bob);
    for (let i = 0; i < 230; i++) b.send({ type: 'ping' });
    await b.next('error', (f) => f.code === 'rate_limited');
    assert.equal((await b.closed).code, 1008);
  });

  test('a disallowed Origin is closed with 1008', async () => {
    const s2 = await startServer({ allowedOrigins: ['https://shop.example'] });
    try {
      const { token } = await login(s2.url, 'alice');
      const id = (await post(s2.url, token, 'x')).conversation_id;
      assert.equal(await closeCodeOf(wsUrl(s2.url, id, `token=${token}`), { origin: 'https://evil.example' }), 1008);
      const ok = new TestSocket(wsUrl(s2.url, id, `token=${token}`), { origin: 'https://shop.example' });
      await ok.next('hello');
      await ok.close();
      const cors = await fetch(`${s2.url}/api/bot-prompts/`, {
        method: 'OPTIONS',
        headers: { origin: 'https://shop.example', 'access-control-request-method': 'GET' },
      });
      assert.equal(cors.headers.get('access-control-allow-origin'), 'https://shop.example');
      const denied = await fetch(`${s2.url}/api/bot-prompts/`, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example' },
      });
      assert.equal(denied.headers.get('access-control-allow-origin'), null);
    } finally {
      await s2.stop();
    }
  });

  test('a socket that stops answering the protocol ping is dropped, one that answers stays', async () => {
    const s2 = await startServer({ heartbeatMs: 150 });
    try {
      const { token } = await login(s2.url, 'alice');
      const id = (await post(s2.url, token, 'x')).conversation_id;
      const live = await TestSocket.open(s2.url, id, `token=${token}`);
      let pings = 0;
      const threePings = new Promise<void>((resolve) => live.ws.on('ping', () => ++pings === 3 && resolve()));
      const dead = new TestSocket(wsUrl(s2.url, id, `token=${token}`), { autoPong: false });
      await dead.next('hello');
      assert.equal((await dead.closed).code, 1006, 'terminated without a close frame');
      await threePings;
      assert.equal(live.ws.readyState, live.ws.OPEN);
      await live.close();
    } finally {
      await s2.stop();
    }
  });

  test('50 socket messages in a burst pass the default limits', async () => {
    const s2 = await startServer({ botDelayMs: 0 });
    try {
      const { token } = await login(s2.url, 'alice');
      const id = (await post(s2.url, token, 'x')).conversation_id;
      const sock = await TestSocket.open(s2.url, id, `token=${token}`);
      for (let i = 0; i < 50; i++) {
        sock.send({ type: 'typing', is_typing: true });
        sock.send({ type: 'message', text: `burst ${i}`, client_id: `wb${i}` });
      }
      // 100 writes (and 50 bot replies) queued at once: a loaded machine may take more than the default wait.
      await sock.next('message:ack', (f) => f.client_id === 'wb49', 30_000);
      assert.equal(sock.count('message:ack'), 50);
      assert.equal(sock.count('error'), 0);
      await sock.close();
    } finally {
      await s2.stop();
    }
  });

  test('closing the server closes sockets with 1012', async () => {
    const s2 = await startServer();
    const { token } = await login(s2.url, 'alice');
    const id = (await post(s2.url, token, 'x')).conversation_id;
    const sock = await TestSocket.open(s2.url, id, `token=${token}`);
    const closing = s2.stop();
    assert.equal((await sock.closed).code, 1012);
    await closing;
  });
});
