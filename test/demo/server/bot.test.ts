import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RuleBot, collectReply, type BotInput } from '../../../demo/server/bot/bot.js';
import { TestSocket, call, login, post, startServer, type TestServer } from './helpers.js';

const ask = (text: string) =>
  new RuleBot().answer({
    message: {
      id: '1',
      seq: 1,
      conversation_id: '1',
      conversation: '1',
      client_id: null,
      type: 'user',
      text,
      sender: 'alice',
      sender_name: 'Alice',
      attachment: null,
      status: 'sent',
      created_at: '',
    },
    user: { id: '1', username: 'alice', display_name: 'Alice' },
  } satisfies Pick<BotInput, 'message' | 'user'>);

describe('rule bot', () => {
  test('greets with a reply that starts with "Hello!" for hello, hi and hey in any case', () => {
    for (const t of ['hello', 'Hi!', 'HEY there', 'Hello, bot!']) assert.match(ask(t), /^Hello!/, t);
  });

  test('matches whole words, not substrings: "this" and "high" are not "hi"', () => {
    for (const t of ['this is it', 'high five', 'they said so', 'shipment?']) assert.doesNotMatch(ask(t), /^Hello!/, t);
  });

  test('answers help, orders, delivery, products, thanks and bye with their own replies, none starting with Hello!', () => {
    const replies = [
      'help me',
      'where is my order',
      'delivery time',
      'show me products',
      'thanks a lot',
      'bye now',
    ].map(ask);
    assert.equal(new Set(replies).size, replies.length);
    for (const r of replies) assert.doesNotMatch(r, /^Hello!/);
    assert.match(ask('help'), /• Orders/);
  });

  test('the default reply quotes the user', () => {
    const r = ask('purple elephants dance');
    assert.match(r, /purple elephants dance/);
    assert.doesNotMatch(r, /^Hello!/);
  });

  test('collectReply joins streamed chunks', async () => {
    async function* chunks() {
      yield 'Hel';
      yield 'lo!';
    }
    assert.equal(await collectReply(chunks()), 'Hello!');
  });
});

describe('bot in the server', () => {
  let s: TestServer;
  let token: string;
  before(async () => {
    s = await startServer({ botDelayMs: 300 });
    token = (await login(s.url, 'alice')).token;
  });
  after(() => s.stop());

  test('bot-response waits for a reply still being written, and asking twice gives one reply', async () => {
    const { conversation_id } = await post(s.url, token, 'where is my order?');
    const [r1, r2] = await Promise.all([
      call(s.url, 'POST', '/api/bot-response/', { token, body: { conversation_id } }),
      call(s.url, 'POST', '/api/bot-response/', { token, body: { conversation_id } }),
    ]);
    assert.equal(r1.status, 200);
    assert.deepEqual(r2.body, r1.body);
    const r3 = await call(s.url, 'POST', '/api/bot-response/', { token, body: { conversation_id } });
    assert.deepEqual(r3.body, r1.body);
    const msgs = (await call(s.url, 'GET', `/api/chat/conversations/${conversation_id}/messages/`, { token })).body;
    assert.deepEqual(
      msgs.map((m: { type: string }) => m.type),
      ['user', 'bot'],
    );
    assert.doesNotMatch(r1.body.message, /^Hello!/);
  });

  test('the bot answers a REST message on the socket with typing as user bot, true then false, exactly once', async () => {
    const { conversation_id } = await post(s.url, token, 'first');
    // bot-response waits for the reply to "first": the bot is idle in this conversation again.
    await call(s.url, 'POST', '/api/bot-response/', { token, body: { conversation_id } });
    const sock = await TestSocket.open(s.url, conversation_id, `token=${token}`);
    try {
      const { message_id } = await post(s.url, token, 'hi', { conversation_id });
      await sock.next('typing', (f) => f.username === 'bot' && f.is_typing === true && f.user_id === null);
      const reply = await sock.botReply((m) => m.type === 'bot' && m.text.startsWith('Hello!'));
      assert.equal(reply.sender, null);
      assert.equal(reply.sender_name, 'Bot');
      assert.equal(reply.stream_state, 'complete');
      await sock.next(
        'typing',
        (f) => f.username === 'bot' && f.is_typing === false && sock.frames.indexOf(f) > sock.startOf(reply.id),
      );
      const r = await call(s.url, 'POST', '/api/bot-response/', { token, body: { conversation_id } });
      assert.equal(r.body.message_id, reply.id);
      assert.equal(r.body.message, reply.text);
      await sock.flush();
      assert.equal(
        sock.count('message:new', (f) => f.message.type === 'bot' && Number(f.message.id) > Number(message_id)),
        1,
      );
      assert.equal(
        sock.count('message:end', (f) => f.message_id === reply.id),
        1,
      );
      assert.ok(Number(reply.id) > Number(message_id));
    } finally {
      await sock.close();
    }
  });

  test('bot-response answers the newest user message, whoever sent it', async () => {
    const { conversation_id } = await post(s.url, token, 'thanks');
    await call(s.url, 'POST', `/api/chat/conversations/${conversation_id}/participants/`, {
      token,
      body: { username: 'bob' },
    });
    const bob = (await login(s.url, 'bob')).token;
    await post(s.url, bob, 'bye', { conversation_id });
    const r = await call(s.url, 'POST', '/api/bot-response/', { token, body: { conversation_id } });
    assert.match(r.body.message, /^Goodbye!/);
  });
});

describe('bot typing during a burst', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ botDelayMs: 1500 });
  });
  after(async () => {
    await s.stop();
  });

  test('five messages while the bot is busy get five replies under one typing true and one typing false', async () => {
    const { token } = await login(s.url, 'alice');
    const { conversation_id } = await post(s.url, token, 'first');
    const sock = await TestSocket.open(s.url, conversation_id, `token=${token}`);
    try {
      // The reply to "first" may still be pending: let it finish before counting.
      await sock.next('message:new', (f) => f.message.type === 'bot', 10_000);
      await sock.next('typing', (f) => f.username === 'bot' && f.is_typing === false, 10_000);
      const from = sock.frames.length;
      // Posted together, so all five are scheduled well within the bot's 3 s typing refresh.
      await Promise.all(
        ['one', 'two', 'three', 'four', 'five'].map((text) => post(s.url, token, text, { conversation_id })),
      );
      await sock.next(
        'typing',
        (f) => f.username === 'bot' && f.is_typing === false && sock.frames.indexOf(f) >= from,
        15_000,
      );
      const burst = sock.frames.slice(from);
      const botTyping = burst.filter((f) => f.type === 'typing' && f.username === 'bot');
      assert.deepEqual(
        botTyping.map((f) => f.is_typing as boolean),
        [true, false],
      );
      const replies = burst.filter((f) => f.type === 'message:new' && f.message.type === 'bot');
      assert.equal(replies.length, 5);
      assert.ok(
        burst.indexOf(botTyping[1]!) > burst.indexOf(replies.at(-1)!),
        'typing false comes after the last reply',
      );
    } finally {
      await sock.close();
    }
  });
});
