/**
 * `/api/schema/` against the server itself: every REST route is called for real (successes and
 * the errors a client meets), and each answer must be listed in the OpenAPI document with a body
 * that validates. A route or a field that changes on one side only fails here.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PNG } from '../../e2e/support/files.js';
import { call, login, startServer, type TestServer } from './helpers.js';
import { ContractChecker, type OpenApiDocument } from './openapi-support.js';

let s: TestServer;
let doc: OpenApiDocument;
let contract: ContractChecker;
let alice: string;
let bob: string;
let carol: string;

/** Calls `method path` (with `{id}`-style values filled in) and checks the answer against `template`. */
async function checked(
  method: string,
  template: string,
  opts: Parameters<typeof call>[3] & { params?: Record<string, string>; query?: string } = {},
) {
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => opts.params![name]!) + (opts.query ?? '');
  const reply = await call(s.url, method.toUpperCase(), path, opts);
  contract.conforms(method, template, reply);
  return reply;
}

const upload = (data: Buffer, name: string, type: string) => {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(data)], { type }), name);
  return form;
};

before(async () => {
  s = await startServer({ botDelayMs: 0 });
  const r = await call(s.url, 'GET', '/api/schema/');
  assert.equal(r.status, 200);
  doc = r.body as OpenApiDocument;
  contract = new ContractChecker(doc);
  alice = (await login(s.url, 'alice')).token;
  bob = (await login(s.url, 'bob')).token;
  carol = (await login(s.url, 'carol')).token;
});

after(() => s?.stop());

test('/api/schema/ is an OpenAPI 3.1 document whose server is the origin it was fetched from', () => {
  assert.match(doc.openapi, /^3\.1\./);
  assert.deepEqual(doc.servers, [{ url: s.url }]);
  assert.ok(contract.compileAll().length > 20);
});

test('auth routes answer as documented: login, refresh, me, logout and their errors', async () => {
  await checked('post', '/api/auth/login', { body: {} });
  await checked('post', '/api/auth/login', { body: { username: 'alice', password: 'wrong' } });
  const pair = (await checked('post', '/api/auth/login', { body: { username: 'alice', password: 'alice123' } })).body;
  await checked('post', '/api/auth/refresh', { body: {} });
  await checked('post', '/api/auth/refresh', { body: { refresh: 'not-a-token' } });
  const next = (await checked('post', '/api/auth/refresh', { body: { refresh: pair.refresh } })).body;
  await checked('get', '/api/auth/me');
  await checked('get', '/api/auth/me', { token: next.token });
  await checked('post', '/api/auth/logout', { body: { refresh: next.refresh } });
});

test('chat routes answer as documented: messages, the bot, conversations, participants, reads, typing, tickets', async () => {
  await checked('get', '/api/bot-prompts/', { token: alice });
  await checked('post', '/api/user-response/', { token: alice, body: { message: '' } });
  await checked('post', '/api/user-response/', { token: alice, body: { message: 'Hi', conversation_id: '999999' } });
  await checked('post', '/api/user-response/', { token: alice, body: { message: 'x'.repeat(70_000) } });
  const sent = (
    await checked('post', '/api/user-response/', { token: alice, body: { message: 'Hello', client_id: 'c-1' } })
  ).body;
  const conversation = { id: sent.conversation_id };
  await checked('post', '/api/bot-response/', { token: alice, body: {} });
  await checked('post', '/api/bot-response/', { token: bob, body: { conversation_id: sent.conversation_id } });
  await checked('post', '/api/bot-response/', { token: alice, body: { conversation_id: sent.conversation_id } });

  await checked('get', '/api/chat/conversations/', { token: alice });
  await checked('get', '/api/chat/conversations/', { token: alice, query: '?cursor=nonsense' });
  await checked('post', '/api/chat/conversations/', { token: alice, body: { title: 42 } });
  const created = (await checked('post', '/api/chat/conversations/', { token: alice, body: { title: 'Support' } }))
    .body;
  await checked('post', '/api/chat/conversations/', { token: alice });
  assert.equal(created.title, 'Support');
  await checked('get', '/api/chat/conversations/{id}/', { token: alice, params: conversation });
  await checked('get', '/api/chat/conversations/{id}/', { token: bob, params: conversation });
  const list = await checked('get', '/api/chat/conversations/{id}/messages/', { token: alice, params: conversation });
  assert.ok(list.body.some((m: { type: string }) => m.type === 'bot'));
  await checked('get', '/api/chat/conversations/{id}/messages/', {
    token: alice,
    params: conversation,
    query: '?limit=0',
  });
  await checked('get', '/api/chat/conversations/{id}/messages/', { token: bob, params: conversation });

  const participants = '/api/chat/conversations/{id}/participants/';
  await checked('post', participants, { token: alice, params: conversation, body: { username: 'nobody' } });
  await checked('post', participants, { token: alice, params: conversation, body: { username: 'bob' } });
  await checked('post', participants, { token: alice, params: conversation, body: { username: 'bob' } });
  await checked('post', participants, { token: bob, params: conversation, body: { username: 'carol' } });
  await checked('post', participants, { token: alice, params: { id: '999999' }, body: { username: 'bob' } });

  const reply = (
    await checked('post', '/api/bot-response/', { token: alice, body: { conversation_id: sent.conversation_id } })
  ).body;
  const one = (await checked('get', '/api/chat/messages/{id}/', { token: alice, params: { id: reply.message_id } }))
    .body;
  assert.equal(one.stream_state, 'complete');
  await checked('get', '/api/chat/messages/{id}/', { token: alice, params: { id: 'abc' } });
  await checked('get', '/api/chat/messages/{id}/', { token: carol, params: { id: reply.message_id } });
  const cancelled = await checked('post', '/api/chat/messages/{id}/cancel/', {
    token: alice,
    params: { id: reply.message_id },
  });
  assert.deepEqual(cancelled.body, one, 'cancelling an ended reply changes nothing');
  await checked('post', '/api/chat/messages/{id}/cancel/', { token: carol, params: { id: reply.message_id } });
  await checked('post', '/api/chat/messages/{id}/read/', { token: bob, params: { id: sent.message_id } });
  await checked('post', '/api/chat/messages/{id}/read/', { token: bob, params: { id: 'abc' } });
  await checked('post', '/api/chat/typing/', { token: alice, body: { conversation_id: sent.conversation_id } });
  await checked('post', '/api/chat/typing/', {
    token: alice,
    body: { conversation_id: sent.conversation_id, is_typing: true },
  });
  await checked('post', '/api/chat/ws-ticket/', { token: alice, body: {} });
  await checked('post', '/api/chat/ws-ticket/', { token: alice, body: { conversation_id: sent.conversation_id } });
  await checked('post', '/api/chat/ws-ticket/', { token: alice, body: { conversation_id: created.id } });
});

test('uploads answer as documented: a PNG is stored and served, text is refused, a missing file is a field error', async () => {
  await checked('post', '/api/chat/upload/', { token: alice, body: new FormData() });
  await checked('post', '/api/chat/upload/', {
    token: alice,
    body: upload(Buffer.from('plain text'), 'a.txt', 'text/plain'),
  });
  const stored = (
    await checked('post', '/api/chat/upload/', { token: alice, body: upload(PNG, 'dot.png', 'image/png') })
  ).body;
  const name = stored.file_url.split('/').pop();
  const file = await call(s.url, 'GET', stored.file_url);
  assert.equal(file.status, 200);
  contract.conforms('get', '/uploads/{name}', { ...file, body: null });
  await checked('get', '/uploads/{name}', { params: { name: name.replace(/./g, '0') } });
  await checked('get', '/healthz');
});

test('every operation of the document was called and answered as documented', () => {
  assert.deepEqual(contract.unchecked(), []);
});
