import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, login, post, startServer, type TestServer } from './helpers.js';

describe('chat REST', () => {
  let s: TestServer;
  let alice: string;
  let bob: string;
  let carol: string;
  before(async () => {
    s = await startServer({ botDelayMs: 0 });
    [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map(async (u) => (await login(s.url, u)).token));
  });
  after(() => s.stop());

  test('user-response without a conversation creates one titled "Chat with <username>" with the caller as owner', async () => {
    const r = await call(s.url, 'POST', '/api/user-response/', { token: alice, body: { message: '  Hello, bot!  ' } });
    assert.equal(r.status, 201);
    assert.match(r.body.conversation_id, /^[0-9]+$/);
    assert.match(r.body.message_id, /^[0-9]+$/);
    const c = await call(s.url, 'GET', `/api/chat/conversations/${r.body.conversation_id}/`, { token: alice });
    assert.equal(c.status, 200);
    assert.equal(c.body.title, 'Chat with alice');
    assert.equal(c.body.participant_count, 1);
    assert.equal(c.body.participants[0].username, 'alice');
    assert.equal(c.body.participants[0].role, 'owner');
    const msgs = await call(s.url, 'GET', `/api/chat/conversations/${r.body.conversation_id}/messages/`, {
      token: alice,
    });
    assert.equal(msgs.body[0].text, 'Hello, bot!');
    assert.equal(msgs.body[0].sender, 'alice');
    assert.equal(msgs.body[0].conversation, r.body.conversation_id);
  });

  test('bot-response returns the greeting for a greeting', async () => {
    const { conversation_id } = await post(s.url, alice, 'Hello, bot!');
    const r = await call(s.url, 'POST', '/api/bot-response/', { token: alice, body: { conversation_id } });
    assert.equal(r.status, 200);
    assert.match(r.body.message, /^Hello!/);
    assert.match(r.body.message_id, /^[0-9]+$/);
  });

  test('bot-response errors keep the seed {error} shape', async () => {
    const c = await call(s.url, 'POST', '/api/chat/conversations/', { token: alice, body: {} });
    const none = await call(s.url, 'POST', '/api/bot-response/', {
      token: alice,
      body: { conversation_id: c.body.id },
    });
    assert.equal(none.status, 400);
    assert.equal(typeof none.body.error, 'string');
    const missing = await call(s.url, 'POST', '/api/bot-response/', { token: alice, body: {} });
    assert.equal(missing.status, 400);
    assert.equal(typeof missing.body.error, 'string');
    const foreign = await call(s.url, 'POST', '/api/bot-response/', {
      token: bob,
      body: { conversation_id: c.body.id },
    });
    assert.equal(foreign.status, 404);
  });

  test('bot-prompts lists at least Product Search and Order Status', async () => {
    const r = await call(s.url, 'GET', '/api/bot-prompts/', { token: alice });
    assert.equal(r.status, 200);
    const titles = r.body.map((p: { title: string }) => p.title);
    assert.ok(titles.includes('Product Search') && titles.includes('Order Status'));
    for (const p of r.body) assert.deepEqual(Object.keys(p).sort(), ['id', 'order', 'text', 'title']);
  });

  test('conversations list newest first, 20 a page, with absolute next/previous URLs', async () => {
    const u = (await login(s.url, 'carol')).token;
    const ids: string[] = [];
    for (let i = 0; i < 22; i++)
      ids.push((await call(s.url, 'POST', '/api/chat/conversations/', { token: u, body: { title: `t${i}` } })).body.id);
    await post(s.url, u, 'bump', { conversation_id: ids[0] });
    const p1 = await call(s.url, 'GET', '/api/chat/conversations/', { token: u });
    assert.equal(p1.status, 200);
    assert.equal(p1.body.results.length, 20);
    assert.equal(p1.body.results[0].id, ids[0]);
    assert.ok(p1.body.results[0].last_message, 'last_message is set after a message');
    assert.equal(p1.body.previous, null);
    assert.match(p1.body.next, /^http:\/\/127\.0\.0\.1:\d+\/api\/chat\/conversations\/\?cursor=/);
    const p2 = await call(s.url, 'GET', p1.body.next.slice(s.url.length), { token: u });
    assert.ok(p2.body.results.length >= 2);
    assert.equal(p2.body.next, null);
    assert.ok(p2.body.previous);
    const bad = await call(s.url, 'GET', '/api/chat/conversations/?cursor=%%%', { token: u });
    assert.equal(bad.status, 400);
  });

  test('POST conversations creates one with the default title, 400 for a bad title', async () => {
    const r = await call(s.url, 'POST', '/api/chat/conversations/', { token: bob, body: {} });
    assert.equal(r.status, 201);
    assert.equal(r.body.title, 'Chat with bob');
    assert.equal(r.body.last_message, null);
    const bad = await call(s.url, 'POST', '/api/chat/conversations/', { token: bob, body: { title: 42 } });
    assert.equal(bad.status, 400);
    assert.ok(Array.isArray(bad.body.title));
  });

  test('messages page by limit/offset, after_seq and before_seq, oldest first, with gapless seq', async () => {
    const { conversation_id } = await post(s.url, bob, 'm1');
    const bot = await call(s.url, 'POST', '/api/bot-response/', { token: bob, body: { conversation_id } });
    assert.equal(bot.status, 200);
    for (let i = 2; i <= 5; i++) {
      await post(s.url, bob, `m${i}`, { conversation_id });
      await call(s.url, 'POST', '/api/bot-response/', { token: bob, body: { conversation_id } });
    }
    const base = `/api/chat/conversations/${conversation_id}/messages/`;
    const all = (await call(s.url, 'GET', base, { token: bob })).body;
    assert.deepEqual(
      all.map((m: { seq: number }) => m.seq),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    assert.equal(all[1].type, 'bot');
    assert.equal(all[1].sender, null);
    assert.equal(all[1].sender_name, 'Bot');
    const after = (await call(s.url, 'GET', `${base}?after_seq=7&limit=2`, { token: bob })).body;
    assert.deepEqual(
      after.map((m: { seq: number }) => m.seq),
      [8, 9],
    );
    const beforeSeq = (await call(s.url, 'GET', `${base}?before_seq=4&limit=2`, { token: bob })).body;
    assert.deepEqual(
      beforeSeq.map((m: { seq: number }) => m.seq),
      [2, 3],
    );
    const offset = (await call(s.url, 'GET', `${base}?limit=3&offset=2`, { token: bob })).body;
    assert.deepEqual(
      offset.map((m: { seq: number }) => m.seq),
      [3, 4, 5],
    );
    const newest = (await call(s.url, 'GET', `${base}?limit=2`, { token: bob })).body;
    assert.deepEqual(
      newest.map((m: { seq: number }) => m.seq),
      [9, 10],
    );
    for (const q of ['limit=0', 'limit=201', 'limit=abc', 'after_seq=-1', 'offset=x']) {
      assert.equal((await call(s.url, 'GET', `${base}?${q}`, { token: bob })).status, 400, q);
    }
  });

  test('read marks the caller read up to a message and answers success', async () => {
    const { conversation_id, message_id } = await post(s.url, alice, 'read me');
    await call(s.url, 'POST', `/api/chat/conversations/${conversation_id}/participants/`, {
      token: alice,
      body: { username: 'bob' },
    });
    const r = await call(s.url, 'POST', `/api/chat/messages/${message_id}/read/`, { token: bob });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { status: 'success' });
    const msgs = (await call(s.url, 'GET', `/api/chat/conversations/${conversation_id}/messages/`, { token: alice }))
      .body;
    assert.equal(msgs.find((m: { id: string }) => m.id === message_id).status, 'read');
    const conv = (await call(s.url, 'GET', `/api/chat/conversations/${conversation_id}/`, { token: alice })).body;
    assert.ok(conv.participants.find((p: { username: string }) => p.username === 'bob').last_read_at);
    assert.equal((await call(s.url, 'POST', `/api/chat/messages/${message_id}/read/`, { token: carol })).status, 404);
    assert.equal((await call(s.url, 'POST', '/api/chat/messages/999999/read/', { token: bob })).status, 404);
  });

  test('typing over REST answers success and validates its fields', async () => {
    const { conversation_id } = await post(s.url, alice, 'typing');
    const ok = await call(s.url, 'POST', '/api/chat/typing/', {
      token: alice,
      body: { conversation_id, is_typing: true },
    });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body, { status: 'success' });
    const bad = await call(s.url, 'POST', '/api/chat/typing/', { token: alice, body: { conversation_id } });
    assert.equal(bad.status, 400);
    assert.ok(Array.isArray(bad.body.is_typing));
    assert.equal(
      (await call(s.url, 'POST', '/api/chat/typing/', { token: carol, body: { conversation_id, is_typing: true } }))
        .status,
      404,
    );
  });

  test('participants: owner adds (201, then 200), system message written, non-owner 403, unknown username 400', async () => {
    const { conversation_id } = await post(s.url, alice, 'team');
    const path = `/api/chat/conversations/${conversation_id}/participants/`;
    const add = await call(s.url, 'POST', path, { token: alice, body: { username: 'bob', role: 'agent' } });
    assert.equal(add.status, 201);
    assert.equal(add.body.username, 'bob');
    assert.equal(add.body.role, 'agent');
    assert.equal((await call(s.url, 'POST', path, { token: alice, body: { username: 'bob' } })).status, 200);
    const msgs = (await call(s.url, 'GET', `/api/chat/conversations/${conversation_id}/messages/`, { token: bob }))
      .body;
    assert.ok(msgs.some((m: { type: string; text: string }) => m.type === 'system' && m.text === 'bob joined'));
    const forbidden = await call(s.url, 'POST', path, { token: bob, body: { username: 'carol' } });
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.body.code, 'permission_denied');
    const unknown = await call(s.url, 'POST', path, { token: alice, body: { username: 'nobody' } });
    assert.equal(unknown.status, 400);
    assert.ok(Array.isArray(unknown.body.username));
    assert.equal((await call(s.url, 'POST', path, { token: carol, body: { username: 'carol' } })).status, 404);
  });

  test('a conversation the caller does not take part in answers 404, and malformed ids 404', async () => {
    const { conversation_id } = await post(s.url, alice, 'private');
    for (const path of [
      `/api/chat/conversations/${conversation_id}/`,
      `/api/chat/conversations/${conversation_id}/messages/`,
    ]) {
      const r = await call(s.url, 'GET', path, { token: carol });
      assert.equal(r.status, 404);
      assert.equal(r.body.code, 'not_found');
    }
    assert.equal(
      (await call(s.url, 'POST', '/api/user-response/', { token: carol, body: { message: 'x', conversation_id } }))
        .status,
      404,
    );
    for (const path of [
      '/api/chat/conversations/%E0%A4%A/',
      '/api/chat/conversations/abc/',
      '/api/chat/conversations/1e3/messages/',
      '/api/chat/messages/-1/read/',
      '/api/nope/',
    ]) {
      const method = path.includes('read') ? 'POST' : 'GET';
      assert.equal((await call(s.url, method, path, { token: alice })).status, 404, path);
    }
  });

  test('message validation: blank, too long, wrong types answer 400 field errors', async () => {
    const cases: [unknown, string][] = [
      [{ message: '   ' }, 'message'],
      [{}, 'message'],
      [{ message: 'x'.repeat(1001) }, 'message'],
      [{ message: 12 }, 'message'],
      [{ message: 'ok', conversation_id: 'abc' }, 'conversation_id'],
      [{ message: 'ok', client_id: 5 }, 'client_id'],
      [{ message: '', attachment_id: '999999' }, 'attachment_id'],
    ];
    for (const [body, field] of cases) {
      const r = await call(s.url, 'POST', '/api/user-response/', { token: alice, body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.ok(Array.isArray(r.body[field]), JSON.stringify(r.body));
    }
    const exact = await call(s.url, 'POST', '/api/user-response/', {
      token: alice,
      body: { message: '😀'.repeat(1000) },
    });
    assert.equal(exact.status, 201, '1000 code points are allowed');
  });

  test('malformed JSON answers 400, a body over 64 KiB 413, and missing auth 401', async () => {
    const bad = await call(s.url, 'POST', '/api/user-response/', { token: alice, body: '{"message": ' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'parse_error');
    const big = await call(s.url, 'POST', '/api/user-response/', {
      token: alice,
      body: { message: 'x'.repeat(70 * 1024) },
    });
    assert.equal(big.status, 413);
    const anon = await call(s.url, 'POST', '/api/user-response/', { body: { message: 'x' } });
    assert.equal(anon.status, 401);
    assert.equal(anon.body.code, 'not_authenticated');
  });

  test('a repeated client_id returns the original 201 body and stores nothing', async () => {
    const first = await post(s.url, bob, 'once', { client_id: 'c-123' });
    const again = await call(s.url, 'POST', '/api/user-response/', {
      token: bob,
      body: { message: 'different text', client_id: 'c-123' },
    });
    assert.equal(again.status, 201);
    assert.deepEqual(again.body, first);
    const msgs = (
      await call(s.url, 'GET', `/api/chat/conversations/${first.conversation_id}/messages/`, { token: bob })
    ).body;
    assert.equal(msgs.filter((m: { type: string }) => m.type === 'user').length, 1);
    assert.equal(msgs[0].client_id, 'c-123');
    // Another user may use the same client_id.
    const other = await post(s.url, alice, 'mine', { client_id: 'c-123' });
    assert.notEqual(other.message_id, first.message_id);
  });

  test('a failed request does not remember its client_id', async () => {
    const bad = await call(s.url, 'POST', '/api/user-response/', {
      token: bob,
      body: { message: '', client_id: 'c-fail' },
    });
    assert.equal(bad.status, 400);
    const good = await call(s.url, 'POST', '/api/user-response/', {
      token: bob,
      body: { message: 'now valid', client_id: 'c-fail' },
    });
    assert.equal(good.status, 201);
  });

  test('ws-ticket answers a ticket for a participant and 404 otherwise', async () => {
    const { conversation_id } = await post(s.url, alice, 'ticket');
    const r = await call(s.url, 'POST', '/api/chat/ws-ticket/', { token: alice, body: { conversation_id } });
    assert.equal(r.status, 200);
    assert.equal(typeof r.body.ticket, 'string');
    assert.equal(r.body.expires_in, 30);
    assert.equal(
      (await call(s.url, 'POST', '/api/chat/ws-ticket/', { token: carol, body: { conversation_id } })).status,
      404,
    );
    assert.equal((await call(s.url, 'POST', '/api/chat/ws-ticket/', { token: alice, body: {} })).status, 400);
  });
});

describe('write limits', () => {
  test('50 messages within 15 s are not rate limited', async () => {
    const s = await startServer({ botDelayMs: 0 });
    try {
      const { token } = await login(s.url, 'alice');
      const { conversation_id } = await post(s.url, token, 'start');
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          call(s.url, 'POST', '/api/user-response/', {
            token,
            body: { message: `burst ${i}`, conversation_id, client_id: `b${i}` },
          }),
        ),
      );
      assert.deepEqual(
        results.map((r) => r.status),
        Array(50).fill(201),
      );
      const msgs = (
        await call(s.url, 'GET', `/api/chat/conversations/${conversation_id}/messages/?limit=200`, { token })
      ).body;
      const seqs = msgs.map((m: { seq: number }) => m.seq);
      assert.deepEqual(
        seqs,
        Array.from({ length: seqs.length }, (_, i) => i + 1),
        'seq has no gaps',
      );
    } finally {
      await s.stop();
    }
  });

  test('writes beyond the per-user limit answer 429 rate_limited with Retry-After', async () => {
    const s = await startServer({ rateLimits: { writes: 3, writeWindowMs: 60_000 } });
    try {
      const { token } = await login(s.url, 'alice');
      for (let i = 0; i < 3; i++) await post(s.url, token, `w${i}`);
      const r = await call(s.url, 'POST', '/api/user-response/', { token, body: { message: 'one too many' } });
      assert.equal(r.status, 429);
      assert.equal(r.body.code, 'rate_limited');
      assert.ok(Number(r.headers.get('retry-after')) > 0);
      const { token: bob } = await login(s.url, 'bob');
      assert.equal(
        (await call(s.url, 'POST', '/api/user-response/', { token: bob, body: { message: 'other user' } })).status,
        201,
      );
    } finally {
      await s.stop();
    }
  });

  test('socket tickets are limited per user on a budget of their own', async () => {
    const s = await startServer({ rateLimits: { writes: 3, writeWindowMs: 60_000 } });
    try {
      const { token } = await login(s.url, 'alice');
      const { conversation_id } = await post(s.url, token, 'w0');
      const ticket = () => call(s.url, 'POST', '/api/chat/ws-ticket/', { token, body: { conversation_id } });
      for (let i = 0; i < 3; i++) assert.equal((await ticket()).status, 200);
      const r = await ticket();
      assert.equal(r.status, 429);
      assert.equal(r.body.code, 'rate_limited');
      assert.equal(
        (await call(s.url, 'POST', '/api/user-response/', { token, body: { message: 'w1', conversation_id } })).status,
        201,
      );
    } finally {
      await s.stop();
    }
  });
});
