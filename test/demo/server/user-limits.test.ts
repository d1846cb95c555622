import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RateLimitOptions } from '../../../demo/server/options.js';
import { TestSocket, call, closeCodeOf, login, post, startServer, wsUrl, type TestServer } from './helpers.js';

/** A budget that does not refill during a test: 20 writes per 10 minutes. */
const WRITES = 20;

/** A server with these limits, and a conversation of alice's that bob takes part in. */
async function aliceAndBob(rateLimits: RateLimitOptions) {
  const s = await startServer({ botDelayMs: 60_000, rateLimits });
  const [alice, bob] = await Promise.all(['alice', 'bob'].map(async (u) => (await login(s.url, u)).token));
  const conv = (await post(s.url, alice!, 'setup')).conversation_id;
  await call(s.url, 'POST', `/api/chat/conversations/${conv}/participants/`, {
    token: alice,
    body: { username: 'bob' },
  });
  return { s, alice: alice!, bob: bob!, conv };
}

describe('per-user limits', () => {
  let s: TestServer;
  let alice: string;
  let bob: string;
  let conv: string;
  before(async () => {
    ({ s, alice, bob, conv } = await aliceAndBob({ writes: WRITES, writeWindowMs: 600_000 }));
  });
  after(() => s.stop());

  test('more sockets never buy more writes: REST and every socket of a user share one budget, another user still sends', async () => {
    const sockets = await Promise.all(Array.from({ length: 10 }, () => TestSocket.open(s.url, conv, `token=${alice}`)));
    for (const [i, sock] of sockets.entries())
      for (let j = 0; j < 4; j++) sock.send({ type: 'message', text: `flood ${i}.${j}`, client_id: `f${i}.${j}` });
    // Every send is answered: an ack, or an error frame naming its client_id.
    const answers = await Promise.all(
      sockets.flatMap((sock, i) =>
        Array.from({ length: 4 }, (_, j) =>
          Promise.race([
            sock.next('message:ack', (f) => f.client_id === `f${i}.${j}`).then(() => 'stored'),
            sock.next('error', (f) => f.client_id === `f${i}.${j}`).then((f) => f.code as string),
          ]),
        ),
      ),
    );
    const stored = answers.filter((a) => a === 'stored').length;
    assert.ok(stored <= WRITES - 2, `${stored} stored past a budget of ${WRITES} (2 spent on setup)`);
    assert.deepEqual(new Set(answers.filter((a) => a !== 'stored')), new Set(['rate_limited']));

    const rest = await call(s.url, 'POST', '/api/user-response/', {
      token: alice,
      body: { message: 'one more', conversation_id: conv },
    });
    assert.equal(rest.status, 429);
    assert.equal(rest.body.code, 'rate_limited');
    assert.ok(Number(rest.headers.get('retry-after')) >= 1);

    const { body: messages } = await call(s.url, 'GET', `/api/chat/conversations/${conv}/messages/?limit=200`, {
      token: bob,
    });
    const fromAlice = (messages as { sender: string; type: string }[]).filter(
      (m) => m.type === 'user' && m.sender === 'alice',
    );
    assert.ok(fromAlice.length <= WRITES, `${fromAlice.length} messages of alice stored`);

    // Bob's budget is his own.
    assert.equal((await post(s.url, bob, 'bob is unaffected', { conversation_id: conv })).conversation_id, conv);
    const b = await TestSocket.open(s.url, conv, `token=${bob}`);
    b.send({ type: 'message', text: 'bob over the socket', client_id: 'bob-1' });
    await b.next('message:ack', (f) => f.client_id === 'bob-1');
    await Promise.all([...sockets, b].map((x) => x.close()));
  });
});

describe('sockets per user', () => {
  let s: TestServer;
  let alice: string;
  let bob: string;
  let conv: string;
  before(async () => {
    ({ s, alice, bob, conv } = await aliceAndBob({ socketsPerUser: 20 }));
  });
  after(() => s.stop());

  test("a user's socket beyond 20 is closed with 1013, another user still connects, and closed sockets free their slots", async () => {
    const twenty = await Promise.all(Array.from({ length: 20 }, () => TestSocket.open(s.url, conv, `token=${alice}`)));
    assert.equal(await closeCodeOf(wsUrl(s.url, conv, `token=${alice}`)), 1013);
    const b = await TestSocket.open(s.url, conv, `token=${bob}`);

    await Promise.all(twenty.map((x) => x.close()));
    // user_left is sent once the server has seen the last of alice's sockets close.
    await b.next('user_left', (f) => f.username === 'alice');
    const again = await Promise.all(Array.from({ length: 20 }, () => TestSocket.open(s.url, conv, `token=${alice}`)));
    await Promise.all([...again, b].map((x) => x.close()));
  });
});
