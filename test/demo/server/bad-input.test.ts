/**
 * Wrong JSON types in every REST write body and every socket frame: a 400 with a field error (or
 * the seed's `{error}` for bot-response) and an `error` frame on the socket, never a 500, a silent
 * drop or a silently different meaning.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestSocket, call, login, post, startServer, type TestServer } from './helpers.js';

const WRONG = [1.5, -1, true, [], ['1'], { a: 1 }, 'abc', '-1', '1e3'] as const;

describe('bad input', () => {
  let s: TestServer;
  let token: string;
  let conv: string;

  before(async () => {
    s = await startServer({ rateLimits: { writes: 10_000 } });
    token = (await login(s.url)).token;
    conv = (await post(s.url, token, 'setup')).conversation_id;
  });
  after(() => s.stop());

  // [path, valid body, fields that must be ids (digit strings or integers), fields of another type]
  const writes = (): [string, Record<string, unknown>, string[], Record<string, readonly unknown[]>][] => [
    [
      '/api/user-response/',
      { message: 'x', conversation_id: conv },
      ['conversation_id', 'attachment_id'],
      { message: [1, true, [], {}], client_id: [1, true, [], {}, ''] },
    ],
    ['/api/chat/conversations/', { title: 't' }, [], { title: [1, true, [], {}] }],
    [
      `/api/chat/conversations/${conv}/participants/`,
      { username: 'bob' },
      [],
      { username: [1, true, [], {}], role: [1, true, [], {}, 'admin'] },
    ],
    [
      '/api/chat/typing/',
      { conversation_id: conv, is_typing: true },
      ['conversation_id'],
      { is_typing: [1, 'true', null, [], {}] },
    ],
    ['/api/chat/ws-ticket/', { conversation_id: conv }, ['conversation_id'], {}],
    [
      '/api/auth/login',
      { username: 'alice', password: 'alice123' },
      [],
      { username: [1, true, [], {}], password: [1, true, [], {}] },
    ],
    ['/api/auth/refresh', { refresh: 'x' }, [], { refresh: [1, true, [], {}] }],
  ];

  test('wrong types in every REST write body answer 400 with a field error, never 500', async () => {
    for (const [path, valid, idFields, others] of writes()) {
      const cases: [string, unknown][] = [
        ...idFields.flatMap((f) =>
          WRONG.filter((w) => !(typeof w === 'string' && /^\d+$/.test(w))).map((w): [string, unknown] => [f, w]),
        ),
        ...Object.entries(others).flatMap(([f, ws]) => ws.map((w): [string, unknown] => [f, w])),
      ];
      for (const [field, value] of cases) {
        const r = await call(s.url, 'POST', path, { token, body: { ...valid, [field]: value } });
        const what = `${path} ${field}=${JSON.stringify(value)}`;
        assert.equal(r.status, 400, `${what} answered ${r.status} ${JSON.stringify(r.body)}`);
        assert.ok(Array.isArray(r.body[field]), `${what} has no field error: ${JSON.stringify(r.body)}`);
      }
    }
    for (const w of WRONG) {
      const r = await call(s.url, 'POST', '/api/bot-response/', { token, body: { conversation_id: w } });
      assert.equal(r.status, 400, `bot-response conversation_id=${JSON.stringify(w)}`);
      assert.equal(typeof r.body.error, 'string');
    }
  });

  test('non-object JSON bodies and huge or negative paging values answer 4xx, never 500', async () => {
    for (const body of ['[]', '[1]', '"x"', '1', 'null', 'true']) {
      for (const [path] of writes()) {
        const r = await call(s.url, 'POST', path, { token, body });
        assert.ok(r.status >= 400 && r.status < 500, `${path} ${body} answered ${r.status}`);
      }
    }
    for (const q of [
      'limit=-1',
      'limit=0',
      'limit=201',
      'limit=1e3',
      'after_seq=-1',
      'after_seq=99999999999999999999',
      'before_seq=1.5',
      'offset=x',
    ]) {
      const r = await call(s.url, 'GET', `/api/chat/conversations/${conv}/messages/?${q}`, { token });
      assert.equal(r.status, 400, q);
      assert.ok(Array.isArray(r.body[q.split('=')[0]!]), q);
    }
  });

  test('wrong types in every socket frame get an error frame, change nothing, and the socket stays open', async () => {
    const sock = await TestSocket.open(s.url, conv, `token=${token}`);
    const frames: Record<string, unknown>[] = [
      ...[1.5, true, [], ['1'], { a: 1 }].map((text) => ({ type: 'message', text })),
      ...[1, true, [], { a: 1 }].map((client_id) => ({ type: 'message', text: 'x', client_id })),
      ...[1.5, -1, true, [], ['1'], { a: 1 }, 'abc'].map((attachment_id) => ({
        type: 'message',
        text: 'x',
        attachment_id,
      })),
      ...[1, 'true', null, [], { a: 1 }].map((is_typing) => ({ type: 'typing', is_typing })),
      ...[1, '1', null, { a: 1 }].map((message_ids) => ({ type: 'read', message_ids })),
      ...[1.5, -1, '3', [], { a: 1 }, 1e300].map((after_seq) => ({ type: 'sync', after_seq })),
    ];
    for (const frame of frames) {
      sock.frames.length = 0;
      sock.send(frame);
      await sock.flush();
      const got = sock.frames.filter((f) => f.type !== 'pong').map((f) => `${f.type}:${f.code ?? ''}`);
      assert.equal(got.length, 1, `${JSON.stringify(frame)} got ${JSON.stringify(got)}`);
      assert.match(got[0]!, /^error:(invalid_message|invalid_attachment)$/, JSON.stringify(frame));
    }
    assert.equal(sock.ws.readyState, sock.ws.OPEN);
    await sock.close();
  });
});
