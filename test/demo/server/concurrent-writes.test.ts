import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, login, post, startServer, type TestServer } from './helpers.js';

// A valid 1x1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

let s: TestServer;
let alice: string;
before(async () => {
  s = await startServer({ botDelayMs: 60_000 });
  alice = (await login(s.url, 'alice')).token;
});
after(() => s.stop());

test('concurrent sends are each stored once, in consecutive seqs; a repeat in the same moment gets the original; one failing send fails alone', async () => {
  const conv = (await post(s.url, alice, 'first')).conversation_id;
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'x.png');
  const upload = (await call(s.url, 'POST', '/api/chat/upload/', { token: alice, body: form })).body;
  const send = (body: Record<string, unknown>) =>
    call(s.url, 'POST', '/api/user-response/', { token: alice, body: { conversation_id: conv, ...body } });
  const answers = await Promise.all([
    ...Array.from({ length: 20 }, (_, i) => send({ message: `m${i}`, client_id: `cw-${i}` })),
    ...Array.from({ length: 5 }, () => send({ message: 'repeated', client_id: 'cw-repeat' })),
    // Both pass the first check; only one can take the upload.
    send({ message: 'with the file', attachment_id: upload.attachment_id }),
    send({ message: 'with the file too', attachment_id: upload.attachment_id }),
  ]);
  const statuses = answers.map((a) => a.status);
  assert.deepEqual(statuses.slice(0, 25), Array(25).fill(201));
  assert.deepEqual(statuses.slice(25).sort(), [201, 400]);
  assert.equal(new Set(answers.slice(20, 25).map((a) => a.body.message_id)).size, 1, 'one row for the repeats');

  const { body: messages } = await call(s.url, 'GET', `/api/chat/conversations/${conv}/messages/?limit=200`, {
    token: alice,
  });
  const seqs = (messages as { seq: number }[]).map((m) => m.seq);
  assert.deepEqual(
    seqs,
    Array.from({ length: 23 }, (_, i) => i + 1),
  );
  const withFile = (messages as { attachment: unknown }[]).filter((m) => m.attachment);
  assert.equal(withFile.length, 1);
});
