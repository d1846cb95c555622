import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TestSocket, call, login, post, startServer, type TestServer } from './helpers.js';

let s: TestServer;
before(async () => {
  s = await startServer({ botDelayMs: 60_000 });
});
after(async () => {
  await s.stop();
});

async function statusOf(token: string, conversationId: string, text: string): Promise<string> {
  const { body } = await call(s.url, 'GET', `/api/chat/conversations/${conversationId}/messages/`, { token });
  return (body as { text: string; status: string }[]).find((m) => m.text === text)!.status;
}

async function eventuallyStatus(token: string, conversationId: string, text: string, want: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  let seen = '';
  while (Date.now() < deadline) {
    seen = await statusOf(token, conversationId, text);
    if (seen === want) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`"${text}" stayed ${seen}, expected ${want}`);
}

test('a message is sent until it reaches another participant socket, then delivered for every reader', async () => {
  const alice = (await login(s.url, 'alice')).token;
  const bob = (await login(s.url, 'bob')).token;
  const conv = (await post(s.url, alice, 'before bob is here')).conversation_id as string;
  await call(s.url, 'POST', `/api/chat/conversations/${conv}/participants/`, {
    token: alice,
    body: { username: 'bob' },
  });
  assert.equal(await statusOf(alice, conv, 'before bob is here'), 'sent');

  const bobSocket = await TestSocket.open(s.url, conv, `token=${bob}`);
  try {
    await bobSocket.next('hello');
    await post(s.url, alice, 'bob is here now', { conversation_id: conv });
    const frame = await bobSocket.next('message:new');
    assert.equal(frame.message.text, 'bob is here now');
    // Marks are written together after the broadcast: both of alice's messages are now behind bob's socket.
    await eventuallyStatus(alice, conv, 'bob is here now', 'delivered');
    assert.equal(await statusOf(alice, conv, 'before bob is here'), 'delivered');
    assert.equal(await statusOf(bob, conv, 'bob is here now'), 'delivered');
  } finally {
    await bobSocket.close();
  }
});

test("a message is not delivered by its sender's own socket; a sync that hands it over delivers it", async () => {
  const alice = (await login(s.url, 'alice')).token;
  const carol = (await login(s.url, 'carol')).token;
  const conv = (await post(s.url, alice, 'hello carol')).conversation_id as string;
  await call(s.url, 'POST', `/api/chat/conversations/${conv}/participants/`, {
    token: alice,
    body: { username: 'carol' },
  });
  await post(s.url, carol, 'carol wrote while alice was away', { conversation_id: conv });

  const aliceSocket = await TestSocket.open(s.url, conv, `token=${alice}`);
  try {
    // Alice's socket gets her own message back, not carol's: carol's stays sent.
    aliceSocket.send({ type: 'message', text: 'alice is back', client_id: 'alice-back' });
    await aliceSocket.next('message:new', (f) => f.message.client_id === 'alice-back');
    await aliceSocket.flush();
    assert.equal(await statusOf(carol, conv, 'carol wrote while alice was away'), 'sent');

    aliceSocket.send({ type: 'sync', after_seq: 0 });
    await aliceSocket.next('synced');
    await eventuallyStatus(carol, conv, 'carol wrote while alice was away', 'delivered');
  } finally {
    await aliceSocket.close();
  }
});
