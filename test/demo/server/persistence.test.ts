import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { TestSocket, call, login, post, startServer, tempDir } from './helpers.js';
import { ENGINE, sqlOn } from './test-database.js';

/** The seed guide's debugging queries, exactly as the guide writes them. */
const SEED_SQL = {
  conversations: 'SELECT * FROM chat_conversation ORDER BY updated_at DESC LIMIT 10',
  messages: `SELECT c.title, m.text, m.type, m.created_at
FROM chat_message m
JOIN chat_conversation c ON m.conversation_id = c.id
ORDER BY m.created_at DESC LIMIT 20`,
  participants: `SELECT c.title, p.role, u.username, p.joined_at
FROM chat_participant p
JOIN chat_conversation c ON p.conversation_id = c.id
JOIN accounts_user u ON p.user_id = u.id`,
};

/** Runs the seed guide's queries through `run` and checks what a one-message chat shows. */
async function checkSeedSql(run: (sql: string) => Promise<Record<string, unknown>[]>): Promise<void> {
  assert.equal((await run(SEED_SQL.conversations)).length, 1);
  const msgs = await run(SEED_SQL.messages);
  assert.deepEqual(msgs.map((m) => m.type).sort(), ['bot', 'user']);
  const parts = await run(SEED_SQL.participants);
  assert.deepEqual(
    parts.map((p) => [p.username, p.role]),
    [['alice', 'owner']],
  );
}

test('a restart on the same data keeps users, messages and seq', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const first = await startServer({
    dataDir: dir,
    botDelayMs: 0,
    users: [{ username: 'dave', password: 'dave-pass-1', display_name: 'Dave' }],
  });
  const dave = (await login(first.url, 'dave', 'dave-pass-1')).token;
  const { conversation_id } = await post(first.url, dave, 'before restart', { client_id: 'persist-1' });
  await call(first.url, 'POST', '/api/bot-response/', { token: dave, body: { conversation_id } });
  await first.close();

  const second = await startServer({ dataDir: dir, botDelayMs: 0 });
  try {
    assert.deepEqual(second.demoUsers, [], 'demo users are not created again');
    const token = (await login(second.url, 'dave', 'dave-pass-1')).token;
    assert.equal((await login(second.url, 'alice')).username, 'alice');
    const repeat = await call(second.url, 'POST', '/api/user-response/', {
      token,
      body: { message: 'before restart', client_id: 'persist-1' },
    });
    assert.equal(repeat.body.conversation_id, conversation_id, 'idempotency keys survive a restart');
    const sock = await TestSocket.open(second.url, conversation_id, `token=${token}`);
    assert.equal((await sock.next('hello')).last_seq, 2);
    sock.send({ type: 'message', text: 'after restart' });
    const ack = await sock.next('message:ack');
    assert.equal(ack.seq, 3);
    await sock.next('message:new', (f) => f.message.type === 'bot' && f.message.seq === 4);
    await sock.close();
    const msgs = (await call(second.url, 'GET', `/api/chat/conversations/${conversation_id}/messages/`, { token }))
      .body;
    assert.deepEqual(
      msgs.map((m: { seq: number; text: string }) => m.seq),
      [1, 2, 3, 4],
    );
    assert.equal(msgs[0].text, 'before restart');
    // Tokens signed before the restart still verify (the secret is kept).
    assert.equal((await call(second.url, 'GET', '/api/auth/me', { token: dave })).status, 200);
  } finally {
    await second.close();
  }
});

/** A message stored, the process gone before its bot job ran, the server down `downMs`: answered once after. */
async function answeredAfterRestart(t: TestContext, downMs: number): Promise<void> {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const first = await startServer({ dataDir: dir, botDelayMs: 0 });
  const token = (await login(first.url, 'alice')).token;
  const { conversation_id } = await post(first.url, token, 'first');
  await call(first.url, 'POST', '/api/bot-response/', { token, body: { conversation_id } });
  const alice = (await first.context.storage.findUserByUsername('alice'))!;
  const { message } = await first.context.storage.insertMessage({
    conversationId: conversation_id,
    senderId: alice.id,
    type: 'user',
    text: 'hello before the crash',
  });
  await first.close();
  // The outage: the message is `downMs` old when the server is back.
  await sqlOn(
    dir,
    `UPDATE chat_message SET created_at = '${new Date(Date.now() - downMs).toISOString()}' WHERE id = ${message.id}`,
  );
  const second = await startServer({ dataDir: dir, botDelayMs: 0 });
  try {
    const sock = await TestSocket.open(second.url, conversation_id, `token=${token}`);
    sock.send({ type: 'sync', after_seq: 0 });
    const reply = await sock.botReply((m) => m.type === 'bot' && m.seq === 4);
    assert.match(reply.text, /^Hello!/);
    await sock.close();
    const msgs = (await call(second.url, 'GET', `/api/chat/conversations/${conversation_id}/messages/`, { token }))
      .body;
    assert.deepEqual(
      msgs.map((m: { type: string }) => m.type),
      ['user', 'bot', 'user', 'bot'],
    );
  } finally {
    await second.close();
  }
}

test('a user message left unanswered by a crash is answered once after the restart', (t) => answeredAfterRestart(t, 0));

test('after an outage longer than 10 minutes, the message left unanswered is answered once the server is back', (t) =>
  answeredAfterRestart(t, 11 * 60_000));

test('a bot reply that fails while the database is unavailable is written once it is back, exactly once', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const s = await startServer({ dataDir: dir, botDelayMs: 0 });
  try {
    const token = (await login(s.url, 'alice')).token;
    const storage = s.context.storage;
    const insert = storage.insertMessage.bind(storage);
    let outages = 2;
    storage.insertMessage = async (input) => {
      if (input.type === 'bot' && outages > 0) {
        outages--;
        throw new Error('database unavailable');
      }
      return insert(input);
    };
    const conversation_id = (await call(s.url, 'POST', '/api/chat/conversations/', { token, body: {} })).body.id;
    const sock = await TestSocket.open(s.url, conversation_id, `token=${token}`);
    await post(s.url, token, 'hello during the outage', { conversation_id });
    const reply = await sock.botReply((m) => m.type === 'bot');
    assert.match(reply.text, /^Hello!/);
    assert.equal(outages, 0);
    await sock.flush();
    await sock.close();
    const msgs = (await call(s.url, 'GET', `/api/chat/conversations/${conversation_id}/messages/`, { token })).body;
    assert.deepEqual(
      msgs.map((m: { type: string }) => m.type),
      ['user', 'bot'],
    );
  } finally {
    await s.stop();
  }
});

test(`the seed guide's SQL runs as written against the ${ENGINE} database, and on SQLite against a backup taken while the server runs`, async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const s = await startServer({ dataDir: dir, botDelayMs: 0 });
  try {
    const token = (await login(s.url, 'alice')).token;
    const { conversation_id } = await post(s.url, token, 'Hello');
    await call(s.url, 'POST', '/api/bot-response/', { token, body: { conversation_id } });
    await checkSeedSql((sql) => sqlOn(dir, sql));
    // PostgreSQL is backed up with pg_dump (README, "Scaling out"); `npm run backup` is SQLite's.
    if (ENGINE !== 'sqlite') return;
    const file = join(dir, 'backup.db');
    const child = spawn(process.execPath, ['--import', 'tsx', 'demo/server/backup.ts', file], {
      env: { ...process.env, PARLEY_DATA_DIR: dir },
      stdio: 'pipe',
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 0);
    assert.ok(existsSync(file));
    const db = new Database(file, { readonly: true });
    try {
      await checkSeedSql(async (sql) => db.prepare(sql).all() as Record<string, unknown>[]);
    } finally {
      db.close();
    }
  } finally {
    await s.close();
  }
});

test('a DATABASE_URL that is not PostgreSQL stops the start with a clear error', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  await assert.rejects(startServer({ dataDir: dir, databaseUrl: 'mysql://localhost/parley' }), /postgres:\/\//);
});
