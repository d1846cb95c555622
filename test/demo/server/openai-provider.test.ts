/**
 * `BOT_PROVIDER=openai` against a local scripted endpoint that speaks the chat-completions
 * streaming format (`scripted-llm.ts`): the reply streams, carries the conversation as context,
 * fails with a short human text when the provider stalls or errors, survives a slow start, and a
 * stop closes the provider's HTTP request. A failing provider never blocks other conversations.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ERROR_NOTE, TIMEOUT_NOTE } from '../../../demo/server/bot/generate.js';
import { DEFAULT_SYSTEM_PROMPT } from '../../../demo/server/bot/openai-bot.js';
import { botFromEnv, botTimeoutFromEnv } from '../../../demo/server/bot/providers.js';
import type { Message } from '../../../src/types.js';
import { TestSocket, call, login, post, startServer, type TestServer } from './helpers.js';
import { startScriptedLlm, type ScriptedLlm } from './scripted-llm.js';
import { textSeen } from './stream-support.js';

describe('the openai provider', () => {
  let llm: ScriptedLlm;
  let s: TestServer;
  let alice: string;

  before(async () => {
    llm = await startScriptedLlm({ slowStartMs: 800 });
    const bot = botFromEnv({ BOT_PROVIDER: 'openai', LLM_BASE_URL: llm.baseURL, LLM_MODEL: 'scripted-model' });
    s = await startServer({ botDelayMs: 0, bot, botTimeoutMs: 1500 });
    alice = (await login(s.url, 'alice')).token;
  });
  after(async () => {
    await s?.stop();
    await llm?.close();
  });

  /** A new conversation with a socket on it. */
  async function chat() {
    const conv = (await call(s.url, 'POST', '/api/chat/conversations/', { token: alice, body: {} })).body.id as string;
    return { conv, sock: await TestSocket.open(s.url, conv, `token=${alice}`) };
  }

  /** Asks `text` and resolves to the reply as the socket ends up holding it. */
  async function ask(sock: TestSocket, conv: string, text: string): Promise<Message> {
    const { message_id } = await post(s.url, alice, text, { conversation_id: conv });
    return sock.botReply((m) => m.type === 'bot' && +m.id > +message_id);
  }

  /** Asks `text` in a new conversation and resolves to the reply as its socket ended up holding it. */
  async function replyTo(text: string): Promise<Message> {
    const { conv, sock } = await chat();
    try {
      return await ask(sock, conv, text);
    } finally {
      await sock.close();
    }
  }

  test("streams the endpoint's chunks into the reply, with the conversation's recent messages as context", async () => {
    const { conv, sock } = await chat();
    try {
      const first = await ask(sock, conv, 'Hi there');
      assert.equal(first.stream_state, 'complete');
      assert.equal(first.text, 'Hello, world!');
      assert.equal(textSeen(sock, first.id), 'Hello, world!');
      await ask(sock, conv, 'And again?');
      const request = llm.requests.at(-1)!.body;
      assert.equal(request.model, 'scripted-model');
      assert.equal(request.stream, true);
      assert.deepEqual(request.messages, [
        { role: 'system', content: DEFAULT_SYSTEM_PROMPT },
        { role: 'user', content: 'Hi there' },
        { role: 'assistant', content: 'Hello, world!' },
        { role: 'user', content: 'And again?' },
      ]);
      const stored = (await call(s.url, 'GET', `/api/chat/messages/${first.id}/`, { token: alice })).body;
      assert.equal(stored.text, 'Hello, world!');
    } finally {
      await sock.close();
    }
  });

  test('a provider that stalls ends the reply failed after the timeout, keeping its text with a short human note, and its request is closed', async () => {
    const reply = await replyTo('stall');
    assert.equal(reply.stream_state, 'failed');
    assert.equal(reply.text, `Let me think\n\n${TIMEOUT_NOTE}`);
    await llm.requests.at(-1)!.closed;
    assert.equal(llm.requests.at(-1)!.closedEarly, true);
  });

  test('a provider that errors mid-stream ends the reply failed: the partial text is kept, followed by a short human note', async () => {
    const reply = await replyTo('error');
    assert.equal(reply.stream_state, 'failed');
    assert.equal(reply.text, `Partial answer\n\n${ERROR_NOTE}`);
    const stored = (await call(s.url, 'GET', `/api/chat/messages/${reply.id}/`, { token: alice })).body;
    assert.deepEqual([stored.stream_state, stored.text], ['failed', reply.text]);
  });

  test('a provider answering HTTP 500 fails the reply with the short human note alone', async () => {
    const reply = await replyTo('http 500');
    assert.equal(reply.stream_state, 'failed');
    assert.equal(reply.text, ERROR_NOTE);
  });

  test('a provider slow to start (within the timeout) still completes the reply', async () => {
    const reply = await replyTo('slow start');
    assert.equal(reply.stream_state, 'complete');
    assert.equal(reply.text, 'Hello, world!');
  });

  test("stopping a reply closes the provider's HTTP request, and a stalled conversation never blocks another", async () => {
    const stalled = await chat();
    const forever = await chat();
    try {
      const { message_id } = await post(s.url, alice, 'stall', { conversation_id: stalled.conv });
      const start = await forever.sock.next('hello').then(async () => {
        await post(s.url, alice, 'forever', { conversation_id: forever.conv });
        return forever.sock.next('message:delta', (f) => f.text.includes('more'));
      });
      // While "stall" hangs, another conversation is answered in full.
      assert.equal((await replyTo('Hi')).text, 'Hello, world!');
      const request = llm.requests.find((r) => r.body.messages.at(-1)?.content === 'forever')!;
      const r = await call(s.url, 'POST', `/api/chat/messages/${start.message_id}/cancel/`, { token: alice });
      assert.equal(r.status, 200);
      assert.equal(r.body.stream_state, 'stopped');
      await request.closed;
      assert.equal(request.closedEarly, true, 'the provider saw its request closed');
      const end = await forever.sock.next('message:end', (f) => f.message_id === start.message_id);
      assert.equal(end.stream_state, 'stopped');
      assert.match(end.text, /^(more )+$/);
      await stalled.sock.botReply((m) => +m.id > +message_id);
    } finally {
      await Promise.all([stalled.sock.close(), forever.sock.close()]);
    }
  });

  test('BOT_PROVIDER picks the bot: rules by default, openai needs LLM_MODEL, anything else is a clear error; LLM_TIMEOUT_MS is checked', () => {
    assert.equal(botFromEnv({}).constructor.name, 'RuleBot');
    assert.throws(() => botFromEnv({ BOT_PROVIDER: 'openai' }), /LLM_MODEL/);
    assert.throws(() => botFromEnv({ BOT_PROVIDER: 'gpt' }), /BOT_PROVIDER must be one of rules, openai/);
    assert.equal(botTimeoutFromEnv({ LLM_TIMEOUT_MS: '5000' }), 5000);
    assert.equal(botTimeoutFromEnv({}), undefined);
    assert.throws(() => botTimeoutFromEnv({ LLM_TIMEOUT_MS: 'soon' }), /LLM_TIMEOUT_MS must be a positive number/);
  });
});
