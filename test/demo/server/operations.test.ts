import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { TestSocket, call, login, post, startServer, tempDir, type TestServer } from './helpers.js';
import { databaseUrlFor } from './test-database.js';

describe('operations', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ botDelayMs: 0 });
  });
  after(() => s.stop());

  test('healthz answers {ok: true} without auth', async () => {
    const r = await call(s.url, 'GET', '/healthz');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { ok: true });
  });

  test('metrics are Prometheus text with sockets, messages, fan-out, requests, bot replies and upload bytes', async () => {
    const { token } = await login(s.url, 'alice');
    const { conversation_id } = await post(s.url, token, 'count me');
    const sock = await TestSocket.open(s.url, conversation_id, `token=${token}`);
    await call(s.url, 'POST', '/api/bot-response/', { token, body: { conversation_id } });
    const res = await fetch(`${s.url}/metrics`);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await res.text();
    for (const name of [
      'parley_open_sockets 1',
      'parley_messages_stored_total',
      'parley_messages_fanned_out_total',
      'parley_bot_replies_total',
      'parley_upload_bytes_total',
      'parley_http_requests_total{status="201"}',
    ]) {
      assert.ok(text.includes(name), name);
    }
    assert.ok(!text.includes('alice'), 'no personal data');
    await sock.close();
  });

  test('security headers: CSP allowing scripts from self only, nosniff, and the widget script embeddable cross-origin', async () => {
    const res = await fetch(`${s.url}/chat-test`);
    assert.equal(res.status, 200);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    const js = await fetch(`${s.url}/parley.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
    assert.equal(js.headers.get('cross-origin-resource-policy'), 'cross-origin');
  });

  test('CORS allows any origin by default, with preflight', async () => {
    const pre = await fetch(`${s.url}/api/user-response/`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://anywhere.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), '*');
    assert.match(pre.headers.get('access-control-allow-headers') ?? '', /Authorization/i);
  });
});

test("npm start's entry prints the URL and demo accounts, logs JSON without tokens, query strings or upload names, and shuts down with 1012", async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const child = spawn(process.execPath, ['--import', 'tsx', 'demo/server/main.ts'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      PARLEY_DATA_DIR: dir,
      DATABASE_URL: (await databaseUrlFor(dir)) ?? '',
      LOG_LEVEL: 'info',
      JWT_SECRET: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Parley reference server: (http:\/\/localhost:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', () => reject(new Error(`server exited: ${out}`)));
  });
  try {
    assert.match(out, /alice \/ alice123/);
    const { token, refresh } = await login(url, 'alice');
    const { conversation_id } = await post(url, token, 'Hello, bot!');
    await call(url, 'GET', `/api/chat/conversations/${conversation_id}/messages/?limit=5&secret=query-marker`, {
      token,
    });
    const upload = new FormData();
    upload.append(
      'file',
      new Blob([new Uint8Array(Buffer.from('%PDF-1.4\n%%EOF\n'))], { type: 'application/pdf' }),
      'a.pdf',
    );
    const { body: attachment } = await call(url, 'POST', '/api/chat/upload/', { token, body: upload });
    const secretName = String(attachment.file_url).split('/').pop()!;
    assert.equal((await fetch(url + attachment.file_url)).status, 200);
    const sock = await TestSocket.open(url, conversation_id, `token=${token}`);
    child.kill('SIGTERM');
    assert.equal((await sock.closed).code, 1012);
    assert.equal(await exited, 0);
    assert.ok(!out.includes(token) && !out.includes(refresh), 'no tokens in the logs');
    assert.ok(!out.includes('query-marker') && !out.includes('token='), 'no query strings in the logs');
    assert.ok(!out.includes(secretName), 'no upload names (their unguessable URLs are their only key) in the logs');
    const jsonLines = out.split('\n').filter((l) => l.startsWith('{'));
    assert.ok(jsonLines.length > 3);
    for (const l of jsonLines) JSON.parse(l);
    assert.match(out, /JWT_SECRET is not set/);
    assert.match(out, /any origin/);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
