/**
 * Streamed bot replies (PROTOCOL §8) on a real server: the wire (start, deltas, end), coalescing,
 * stop by anyone, stop after the end, the database kept up to date while a reply grows, and the
 * catch-up on `sync`. Restarts are in `streaming-restart.test.ts`, providers in
 * `openai-provider.test.ts`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Message } from '../../../src/types.js';
import { TestSocket, call, login, post, startServer, type TestServer } from './helpers.js';
import { ScriptedBot, letters, replyFrames, textSeen, type Script } from './stream-support.js';
import { sqlOn } from './test-database.js';

/** What the test bot writes, by question. */
function script(question: string): Script {
  if (question === 'fast') return { chunks: letters(600), gapMs: 1 };
  if (question.startsWith('slow')) return { chunks: letters(80, 3), gapMs: 40 };
  return { chunks: ['Short ', 'and ', 'sweet.'], gapMs: 5 };
}

describe('streamed replies', () => {
  let s: TestServer;
  let bot: ScriptedBot;
  let alice: string;
  let bob: string;
  let carol: string;
  let conv: string;
  const sockets: TestSocket[] = [];
  const open = async (token: string, id = conv) => {
    const sock = await TestSocket.open(s.url, id, `token=${token}`);
    sockets.push(sock);
    return sock;
  };
  /** Posts `text` and resolves to the bot reply's `message:new` on `sock` (stored `streaming`). */
  const ask = async (sock: TestSocket, token: string, text: string) => {
    const { message_id } = await post(s.url, token, text, { conversation_id: conv });
    const start = await sock.next('message:new', (f) => f.message.type === 'bot' && +f.message.id > +message_id);
    return start.message as Message;
  };

  before(async () => {
    bot = new ScriptedBot(({ message }) => script(message.text));
    s = await startServer({ botDelayMs: 0, bot, rateLimits: { writes: 10_000 } });
    [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map(async (u) => (await login(s.url, u)).token));
    conv = (await call(s.url, 'POST', '/api/chat/conversations/', { token: alice, body: {} })).body.id;
    await call(s.url, 'POST', `/api/chat/conversations/${conv}/participants/`, {
      token: alice,
      body: { username: 'bob' },
    });
  });
  after(async () => {
    await Promise.all(sockets.map((x) => x.close()));
    await s.stop();
  });

  test('a reply starts as message:new streaming with its seq, grows by deltas in order, and ends with the text the server stored', async () => {
    const a = await open(alice);
    const start = await ask(a, alice, 'hello');
    assert.equal(start.stream_state, 'streaming');
    assert.equal(start.text, '');
    assert.equal(typeof start.seq, 'number');
    const end = await a.next('message:end', (f) => f.message_id === start.id);
    assert.equal(end.stream_state, 'complete');
    assert.equal(end.text, 'Short and sweet.');
    assert.equal(end.conversation_id, conv);
    const { deltas } = replyFrames(a, start.id);
    let offset = 0;
    for (const d of deltas) {
      assert.equal(d.offset, offset, 'each delta goes where the one before ended');
      assert.equal(d.conversation_id, conv);
      offset += d.text.length;
    }
    assert.equal(textSeen(a, start.id), end.text);
    const stored = await call(s.url, 'GET', `/api/chat/messages/${start.id}/`, { token: bob });
    assert.equal(stored.status, 200);
    assert.equal(stored.body.text, end.text);
    assert.equal(stored.body.stream_state, 'complete');
    assert.equal(stored.body.seq, start.seq);
    const list = (await call(s.url, 'GET', `/api/chat/conversations/${conv}/messages/`, { token: alice })).body;
    for (const m of list as Message[]) assert.equal(m.stream_state, m.type === 'bot' ? 'complete' : null, m.text);
    const bo = await call(s.url, 'POST', '/api/bot-response/', { token: alice, body: { conversation_id: conv } });
    assert.deepEqual(bo.body, { message: end.text, message_id: start.id });
  });

  test('deltas of a fast provider are coalesced to at most 20 frames a second per socket, and still add up to the end text', async () => {
    const a = await open(alice);
    const b = await open(bob);
    const start = await ask(a, alice, 'fast');
    const end = await a.next('message:end', (f) => f.message_id === start.id);
    await b.next('message:end', (f) => f.message_id === start.id);
    assert.equal(end.text, letters(600).join(''));
    for (const sock of [a, b]) {
      const { deltas } = replyFrames(sock, start.id);
      // The provider wrote 600 chunks over `took` ms: one delta per 50 ms at most, plus the first.
      const took = bot.progress.at(-1)!.at - bot.progress.at(-600)!.at;
      assert.ok(deltas.length <= Math.ceil(took / 50) + 1, `${deltas.length} deltas in ${took} ms`);
      assert.ok(deltas.length < 600 / 5, `${deltas.length} deltas for 600 chunks: coalesced`);
      assert.equal(textSeen(sock, start.id), end.text);
    }
  });

  test('another participant stops a reply: the generation is aborted, the server stores stopped, and every socket gets message:end', async () => {
    const a = await open(alice);
    const b = await open(bob);
    const abortedBefore = bot.aborted;
    const start = await ask(a, alice, 'slow, please');
    await b.next('message:delta', (f) => f.message_id === start.id);
    b.send({ type: 'cancel', message_id: start.id });
    const [endA, endB] = await Promise.all([
      a.next('message:end', (f) => f.message_id === start.id),
      b.next('message:end', (f) => f.message_id === start.id),
    ]);
    assert.equal(endA.stream_state, 'stopped');
    assert.deepEqual(endB, endA);
    assert.ok(endA.text.length > 0 && endA.text.length < 240, 'stopped part way');
    assert.equal(bot.aborted, abortedBefore + 1, 'the generation itself was aborted');
    assert.equal(bot.yieldedAfterAbort, 0);
    const stored = (await call(s.url, 'GET', `/api/chat/messages/${start.id}/`, { token: alice })).body;
    assert.equal(stored.stream_state, 'stopped');
    assert.equal(stored.text, endA.text);
    // Nothing grows after the end, on any socket and in the database.
    await Promise.all([a.flush(), b.flush()]);
    for (const sock of [a, b]) {
      const frames = replyFrames(sock, start.id).all;
      assert.equal(frames.at(-1)!.type, 'message:end');
      assert.equal(frames.filter((f) => f.type === 'message:end').length, 1);
    }
    const row = await sqlOn(s.dataDir, `SELECT text, stream_state FROM chat_message WHERE id = ${start.id}`);
    assert.deepEqual({ ...row[0] }, { text: endA.text, stream_state: 'stopped' });
  });

  test('stopping a reply that already ended changes nothing: REST answers 200 with the ended message, the socket answers not_streaming', async () => {
    const a = await open(alice);
    const start = await ask(a, alice, 'hello again');
    const end = await a.next('message:end', (f) => f.message_id === start.id);
    const r = await call(s.url, 'POST', `/api/chat/messages/${start.id}/cancel/`, { token: bob });
    assert.equal(r.status, 200);
    assert.equal(r.body.id, start.id);
    assert.equal(r.body.stream_state, 'complete');
    assert.equal(r.body.text, end.text);
    a.send({ type: 'cancel', message_id: start.id });
    const error = await a.next('error', (f) => f.code === 'not_streaming');
    assert.equal(error.client_id, undefined);
    await a.flush();
    assert.equal(replyFrames(a, start.id).ends.length, 1, 'no second end');
    // A user message is not a streamed reply either.
    const { message_id } = await post(s.url, alice, 'plain', { conversation_id: conv });
    a.send({ type: 'cancel', message_id });
    await a.next('error', (f) => f.code === 'not_streaming' && a.frames.indexOf(f) > a.frames.indexOf(error));
    a.send({ type: 'cancel', message_id: 'abc' });
    await a.next('error', (f) => f.code === 'invalid_message');
  });

  test('a stop over REST ends the reply stopped for the sockets; outsiders and malformed ids get 404', async () => {
    const a = await open(alice);
    const start = await ask(a, alice, 'slow again');
    await a.next('message:delta', (f) => f.message_id === start.id);
    assert.equal((await call(s.url, 'POST', `/api/chat/messages/${start.id}/cancel/`, { token: carol })).status, 404);
    assert.equal((await call(s.url, 'GET', `/api/chat/messages/${start.id}/`, { token: carol })).status, 404);
    assert.equal((await call(s.url, 'GET', '/api/chat/messages/12abc/', { token: alice })).status, 404);
    assert.equal((await call(s.url, 'POST', '/api/chat/messages/999999/cancel/', { token: alice })).status, 404);
    const r = await call(s.url, 'POST', `/api/chat/messages/${start.id}/cancel/`, { token: bob });
    assert.equal(r.status, 200);
    assert.equal(r.body.stream_state, 'stopped');
    const end = await a.next('message:end', (f) => f.message_id === start.id);
    assert.equal(end.stream_state, 'stopped');
    assert.equal(end.text, r.body.text);
  });

  test('a reply grows in the database at least every 250 ms while it is written', async () => {
    const a = await open(alice);
    const from = bot.progress.length;
    const start = await ask(a, alice, 'slow, to read the database');
    const samples: { at: number; length: number }[] = [];
    while (!a.frames.some((f) => f.type === 'message:end' && f.message_id === start.id)) {
      const at = Date.now();
      const [row] = await sqlOn(s.dataDir, `SELECT text FROM chat_message WHERE id = ${start.id}`);
      samples.push({ at, length: String(row!.text).length });
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    const written = bot.progress.slice(from);
    const mid = samples.filter((x) => x.at > written[0]!.at + 250 && x.at < written.at(-1)!.at);
    assert.ok(mid.length >= 5, `${mid.length} reads in the middle of the reply`);
    for (const sample of mid) {
      // Whatever was written 250 ms before the read is in the database.
      const due = written.filter((w) => w.at <= sample.at - 250).at(-1)?.length ?? 0;
      assert.ok(sample.length >= due, `at +${sample.at - written[0]!.at} ms: ${sample.length} stored, ${due} due`);
    }
    assert.ok(
      samples.some((x) => x.length > 0 && x.length < 240),
      'read part-written',
    );
  });

  test('the conversation list and the conversation show a reply being written with the text sent so far', async () => {
    const a = await open(alice);
    const start = await ask(a, alice, 'slow for the list');
    const delta = await a.next('message:delta', (f) => f.message_id === start.id && f.offset > 0);
    const sent = delta.offset + delta.text.length;
    type Listed = { id: string; last_message: { id: string; text: string } | null };
    const list = (await call(s.url, 'GET', '/api/chat/conversations/', { token: alice })).body as { results: Listed[] };
    const listed = list.results.find((c) => c.id === conv)!;
    assert.equal(listed.last_message?.id, start.id);
    assert.ok(listed.last_message.text.length >= sent, `listed ${listed.last_message.text.length} of ${sent} sent`);
    const one = (await call(s.url, 'GET', `/api/chat/conversations/${conv}/`, { token: alice })).body as Listed;
    assert.ok(one.last_message!.text.length >= sent);
    await a.next('message:end', (f) => f.message_id === start.id);
  });

  test('sync sends a reply still streaming, with its text so far, before synced, and its deltas go on from there', async () => {
    const a = await open(alice);
    const start = await ask(a, alice, 'slow for the catch-up');
    await a.next('message:delta', (f) => f.message_id === start.id && f.offset > 0);
    const b = await open(bob);
    // Everything up to and including the reply is held: only the catch-up brings it again.
    b.send({ type: 'sync', after_seq: start.seq });
    const synced = await b.next('synced');
    const caught = b.frames.filter((f) => f.type === 'message:new' && f.message.id === start.id);
    assert.equal(caught.length, 1);
    assert.ok(b.frames.indexOf(caught[0]) < b.frames.indexOf(synced));
    assert.equal(caught[0].message.stream_state, 'streaming');
    assert.ok(caught[0].message.text.length > 0);
    const end = await b.next('message:end', (f) => f.message_id === start.id);
    assert.equal(textSeen(b, start.id), end.text, 'no gap, no duplicated text');
    assert.equal(end.text, letters(80, 3).join(''));
  });
});
