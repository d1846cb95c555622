/**
 * Streamed replies across restarts (PROTOCOL §8, "Durability"): a reply left `streaming` by a
 * crash or a shutdown is finished once the server is back, continuing from the stored text when
 * the bot's new answer starts with it, otherwise ended `failed` and followed by a new reply.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RuleBot } from '../../../demo/server/bot/bot.js';
import type { Message } from '../../../src/types.js';
import { TestSocket, call, login, post, startServer, tempDir } from './helpers.js';
import { instance } from './instances.js';
import { freePort } from './redis-process.js';
import { ScriptedBot, letters, textSeen } from './stream-support.js';
import { databaseUrlFor, sqlOn } from './test-database.js';

const HELP = new RuleBot().answer({
  message: { text: 'help', attachment: null } as Message,
  user: null,
});

/** The stored row of a reply. */
async function row(dir: string, id: string) {
  const [r] = await sqlOn(dir, `SELECT text, stream_state, stream_owner FROM chat_message WHERE id = ${id}`);
  return { text: String(r!.text), state: r!.stream_state as string | null, owner: r!.stream_owner as string | null };
}

/** Resolves once the reply's stored text is at least `length` long (read from the database). */
async function storedAtLeast(dir: string, id: string, length: number): Promise<string> {
  for (;;) {
    const r = await row(dir, id);
    if (r.text.length >= length) return r.text;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Polls one message until its reply is no longer streaming. */
async function ended(url: string, token: string, id: string): Promise<Message> {
  for (let i = 0; ; i++) {
    const m = (await call(url, 'GET', `/api/chat/messages/${id}/`, { token })).body as Message;
    if (m.stream_state !== 'streaming') return m;
    if (i > 400) throw new Error(`reply ${id} still streaming: ${JSON.stringify(m)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The first bot reply of the conversation, once it is stored. */
async function firstReply(url: string, token: string, conversationId: string): Promise<Message> {
  for (;;) {
    const [reply] = await botReplies(url, token, conversationId);
    if (reply) return reply;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The conversation's bot replies, in order. */
async function botReplies(url: string, token: string, conversationId: string): Promise<Message[]> {
  const list = (await call(url, 'GET', `/api/chat/conversations/${conversationId}/messages/`, { token }))
    .body as Message[];
  return list.filter((m) => m.type === 'bot');
}

test('a reply cut by a crash (SIGKILL) is finished after the restart with the same final text, once, with no duplicated text', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const env: Record<string, string> = {
    PARLEY_DATA_DIR: dir,
    BOT_DELAY_MS: '0',
    BOT_WORDS_PER_SEC: '12',
    BOT_STALE_MS: '1000',
  };
  const databaseUrl = await databaseUrlFor(dir);
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const server = instance(await freePort(), env);
  const url = `http://127.0.0.1:${server.port}`;
  t.after(() => server.stop());
  await server.start();
  const token = (await login(url, 'alice')).token;
  const conv = (await call(url, 'POST', '/api/chat/conversations/', { token, body: {} })).body.id as string;
  const before = await TestSocket.open(url, conv, `token=${token}`);
  const question = await post(url, token, 'help', { conversation_id: conv });
  const start = (await before.next('message:new', (f) => f.message.type === 'bot')).message as Message;
  const cut = await storedAtLeast(dir, start.id, 40);
  await server.kill();
  await before.closed;
  const atCrash = await row(dir, start.id);
  assert.equal(atCrash.state, 'streaming', 'the crash left the reply streaming');
  assert.ok(atCrash.text.length < HELP.length, 'cut part way');
  assert.ok(atCrash.text.startsWith(cut));

  await server.start();
  const after = await TestSocket.open(url, conv, `token=${token}`);
  try {
    after.send({ type: 'sync', after_seq: start.seq! - 1 });
    const reply = await ended(url, token, start.id);
    assert.equal(reply.stream_state, 'complete');
    assert.equal(reply.text, HELP, 'the same final text, nothing repeated');
    // The sync brings the reply (streaming, or already ended); a streaming one then ends on the socket.
    const caught = await after.next('message:new', (f) => f.message.id === start.id);
    if (caught.message.stream_state === 'streaming') await after.next('message:end', (f) => f.message_id === start.id);
    await after.flush();
    assert.equal(textSeen(after, start.id), HELP, 'what the socket saw adds up to the final text');
    for (const f of after.frames.filter((x) => x.type === 'message:delta'))
      assert.ok(f.offset >= atCrash.text.length, 'continued after the stored text, not written again');
    const replies = await botReplies(url, token, conv);
    assert.deepEqual(
      replies.map((m) => m.id),
      [start.id],
      'one reply',
    );
    const answer = await call(url, 'POST', '/api/bot-response/', { token, body: { conversation_id: conv } });
    assert.deepEqual(answer.body, { message: HELP, message_id: start.id });
    assert.ok(Number(question.message_id) < Number(start.id));
  } finally {
    await after.close();
  }
});

test('a graceful shutdown in the middle of a reply leaves it streaming, and the next start continues it from the stored text', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const first = await startServer({ dataDir: dir, botDelayMs: 0, botWordsPerSecond: 12 }, true);
  const token = (await login(first.url, 'alice')).token;
  const { conversation_id } = await post(first.url, token, 'help');
  const start = await firstReply(first.url, token, conversation_id);
  await storedAtLeast(dir, start.id, 30);
  await first.close();
  const left = await row(dir, start.id);
  assert.equal(left.state, 'streaming');
  assert.equal(left.owner, null, 'released for the next start');
  assert.ok(left.text.length >= 30 && HELP.startsWith(left.text));

  const second = await startServer({ dataDir: dir, botDelayMs: 0, botWordsPerSecond: 12 }, true);
  const [x, y] = [0, 1].map(() => TestSocket.open(second.url, conversation_id, `token=${token}`));
  try {
    // A socket that joins while the continued reply grows is caught up to what was already sent.
    const first = await x!;
    const delta = await first.next('message:delta', (f) => f.message_id === start.id);
    const late = await y!;
    late.send({ type: 'sync', after_seq: start.seq });
    const caught = await late.next('message:new', (f) => f.message.id === start.id);
    if (caught.message.stream_state === 'streaming') {
      const sent = delta.offset + delta.text.length;
      assert.ok(caught.message.text.length >= sent, 'the catch-up has the text already sent');
      await late.next('message:end', (f) => f.message_id === start.id);
    }
    const reply = await ended(second.url, token, start.id);
    assert.equal(reply.stream_state, 'complete');
    assert.equal(reply.text, HELP);
    assert.equal(textSeen(late, start.id), HELP, 'no gap, nothing twice');
    assert.equal((await botReplies(second.url, token, conversation_id)).length, 1);
  } finally {
    await Promise.all([x, y].map(async (sock) => (await sock)?.close()));
    await second.close();
  }
});

test('a reply the bot answers differently after a restart ends failed with its stored text, and a new reply follows', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const firstBot = new ScriptedBot(() => ({ chunks: letters(60, 2), gapMs: 40 }));
  const first = await startServer({ dataDir: dir, botDelayMs: 0, bot: firstBot }, true);
  const token = (await login(first.url, 'alice')).token;
  const { conversation_id } = await post(first.url, token, 'tell me something');
  const start = await firstReply(first.url, token, conversation_id);
  await storedAtLeast(dir, start.id, 6);
  await first.close();
  const left = await row(dir, start.id);

  const secondBot = new ScriptedBot(() => ({ chunks: ['A ', 'different ', 'answer.'], gapMs: 5 }));
  const second = await startServer({ dataDir: dir, botDelayMs: 0, bot: secondBot }, true);
  try {
    const old = await ended(second.url, token, start.id);
    assert.equal(old.stream_state, 'failed');
    assert.equal(old.text, left.text, 'the stored text is kept');
    let replies: Message[] = [];
    for (let i = 0; i < 200 && replies.at(-1)?.stream_state !== 'complete'; i++) {
      replies = await botReplies(second.url, token, conversation_id);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.deepEqual(
      replies.map((m) => [m.stream_state, m.text]),
      [
        ['failed', left.text],
        ['complete', 'A different answer.'],
      ],
    );
    const answer = await call(second.url, 'POST', '/api/bot-response/', { token, body: { conversation_id } });
    assert.equal(answer.body.message, 'A different answer.');
  } finally {
    await second.close();
  }
});
