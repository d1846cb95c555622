import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sweepUploads } from '../../../demo/server/routes/upload-routes.js';
import { TestSocket, call, login, post, startServer, type TestServer } from './helpers.js';
import { ENGINE, sqlOn } from './test-database.js';

// A valid 1x1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
// An ELF header: an executable whatever its name says.
const EXE = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120)]);

function form(data: Buffer, name: string, type: string, fields: Record<string, string> = {}): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  f.append('file', new Blob([new Uint8Array(data)], { type }), name);
  return f;
}

describe('uploads', () => {
  let s: TestServer;
  let alice: string;
  let bob: string;
  const stored = () => readdirSync(join(s.dataDir, 'uploads')).filter((n) => n !== 'tmp');
  const tmp = () => readdirSync(join(s.dataDir, 'uploads', 'tmp'));

  before(async () => {
    s = await startServer({ botDelayMs: 0 });
    alice = (await login(s.url, 'alice')).token;
    bob = (await login(s.url, 'bob')).token;
  });
  after(() => s.stop());

  test('a PNG upload answers 201 and is served with its type, nosniff and an unguessable name', async () => {
    const r = await call(s.url, 'POST', '/api/chat/upload/', { token: alice, body: form(PNG, 'dot.png', 'image/png') });
    assert.equal(r.status, 201);
    assert.equal(r.body.content_type, 'image/png');
    assert.equal(r.body.file_name, 'dot.png');
    assert.equal(r.body.file_size, PNG.length);
    assert.match(r.body.file_url, /^\/uploads\/[0-9a-f]{32}$/);
    const got = await fetch(s.url + r.body.file_url);
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('content-type'), 'image/png');
    assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
    assert.deepEqual(Buffer.from(await got.arrayBuffer()), PNG);
  });

  test('a PDF upload answers 201 and is served as an attachment', async () => {
    const r = await call(s.url, 'POST', '/api/chat/upload/', {
      token: alice,
      body: form(PDF, 'report.pdf', 'application/pdf'),
    });
    assert.equal(r.status, 201);
    assert.equal(r.body.content_type, 'application/pdf');
    const got = await fetch(s.url + r.body.file_url);
    assert.equal(got.headers.get('content-type'), 'application/pdf');
    assert.match(got.headers.get('content-disposition') ?? '', /^attachment/);
  });

  test('a stored file that cannot be read (gone or replaced under the server) ends that answer, not the server', async () => {
    const r = await call(s.url, 'POST', '/api/chat/upload/', {
      token: alice,
      body: form(PNG, 'gone.png', 'image/png'),
    });
    const name: string = r.body.file_url.split('/').pop();
    if (ENGINE === 'postgres') {
      // The bytes are a row on PostgreSQL: gone, the upload answers 404.
      await sqlOn(s.dataDir, `DELETE FROM chat_upload_data WHERE stored_name = '${name}'`);
      assert.equal((await fetch(s.url + r.body.file_url)).status, 404);
    } else {
      // A directory where the file was: stat succeeds, reading fails (as a file swept mid-request does).
      const path = join(s.dataDir, 'uploads', name);
      rmSync(path);
      mkdirSync(path);
      await fetch(s.url + r.body.file_url)
        .then((res) => res.arrayBuffer())
        .catch(() => undefined);
    }
    assert.equal((await call(s.url, 'GET', '/healthz')).status, 200);
  });

  test('an executable named .png answers 415 and leaves nothing on disk', async () => {
    const before = stored().length;
    const r = await call(s.url, 'POST', '/api/chat/upload/', {
      token: alice,
      body: form(EXE, 'cute.png', 'image/png'),
    });
    assert.equal(r.status, 415);
    assert.equal(r.body.code, 'unsupported_media_type');
    const svg = await call(s.url, 'POST', '/api/chat/upload/', {
      token: alice,
      body: form(
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        'x.svg',
        'image/svg+xml',
      ),
    });
    assert.equal(svg.status, 415);
    assert.equal(stored().length, before);
    assert.deepEqual(tmp(), []);
  });

  test('an 11 MiB file answers 413 and leaves nothing on disk', async () => {
    const before = stored().length;
    const big = Buffer.concat([PNG, Buffer.alloc(11 * 1024 * 1024)]);
    const r = await call(s.url, 'POST', '/api/chat/upload/', { token: alice, body: form(big, 'big.png', 'image/png') });
    assert.equal(r.status, 413);
    assert.equal(stored().length, before);
    assert.deepEqual(tmp(), []);
  });

  test('no file answers 400 and uploads need auth', async () => {
    const f = new FormData();
    f.append('conversation_id', '1');
    const r = await call(s.url, 'POST', '/api/chat/upload/', { token: alice, body: f });
    assert.equal(r.status, 400);
    assert.ok(Array.isArray(r.body.file));
    assert.equal(
      (await call(s.url, 'POST', '/api/chat/upload/', { body: form(PNG, 'a.png', 'image/png') })).status,
      401,
    );
  });

  test('an attachment is usable by its uploader only, in its conversation, once', async () => {
    const { conversation_id } = await post(s.url, alice, 'with file');
    const up = await call(s.url, 'POST', '/api/chat/upload/', {
      token: alice,
      body: form(PNG, 'p.png', 'image/png', { conversation_id }),
    });
    assert.equal(up.status, 201);
    const id = up.body.attachment_id;
    const other = await post(s.url, alice, 'elsewhere');
    const wrongConv = await call(s.url, 'POST', '/api/user-response/', {
      token: alice,
      body: { message: '', attachment_id: id, conversation_id: other.conversation_id },
    });
    assert.equal(wrongConv.status, 400);
    assert.ok(Array.isArray(wrongConv.body.attachment_id));
    const wrongUser = await call(s.url, 'POST', '/api/user-response/', {
      token: bob,
      body: { message: 'mine?', attachment_id: id },
    });
    assert.equal(wrongUser.status, 400);
    const sock = await TestSocket.open(s.url, conversation_id, `token=${alice}`);
    const ok = await call(s.url, 'POST', '/api/user-response/', {
      token: alice,
      body: { message: '', attachment_id: id, conversation_id },
    });
    assert.equal(ok.status, 201);
    const m = await sock.next('message:new', (f) => f.message.id === ok.body.message_id);
    assert.deepEqual(m.message.attachment, {
      attachment_id: id,
      file_url: up.body.file_url,
      file_name: 'p.png',
      file_size: PNG.length,
      content_type: 'image/png',
    });
    assert.equal(m.message.text, '');
    await sock.close();
    const again = await call(s.url, 'POST', '/api/user-response/', {
      token: alice,
      body: { message: 'again', attachment_id: id, conversation_id },
    });
    assert.equal(again.status, 400);
  });

  test('the sweep deletes unattached uploads past their age and keeps attached ones', async () => {
    const loose = await call(s.url, 'POST', '/api/chat/upload/', {
      token: alice,
      body: form(PNG, 'loose.png', 'image/png'),
    });
    const kept = await call(s.url, 'POST', '/api/chat/upload/', {
      token: alice,
      body: form(PNG, 'kept.png', 'image/png'),
    });
    await post(s.url, alice, 'keep it', { attachment_id: kept.body.attachment_id });
    assert.equal(await sweepUploads(s.context, 24 * 3600_000), 0, 'fresh uploads stay');
    assert.ok((await sweepUploads(s.context, -1000)) >= 1);
    assert.equal((await fetch(s.url + loose.body.file_url)).status, 404);
    assert.equal((await fetch(s.url + kept.body.file_url)).status, 200);
    assert.equal((await fetch(`${s.url}/uploads/not-a-name`)).status, 404);
  });

  test('an upload attached just before the sweep keeps its file; one swept first can no longer be attached (400)', async () => {
    const upload = () =>
      call(s.url, 'POST', '/api/chat/upload/', { token: alice, body: form(PNG, 'x.png', 'image/png') });
    const raced = await upload();
    const swept = await upload();
    const storage = s.context.storage;
    const sweepStep = storage.deleteUnattachedBefore.bind(storage);
    // The message attaching the upload lands between the sweep's start and its delete.
    storage.deleteUnattachedBefore = async (beforeIso) => {
      await post(s.url, alice, 'attached in time', { attachment_id: raced.body.attachment_id });
      return sweepStep(beforeIso);
    };
    try {
      await sweepUploads(s.context, -1000);
    } finally {
      storage.deleteUnattachedBefore = sweepStep;
    }
    assert.equal((await fetch(s.url + raced.body.file_url)).status, 200, 'the attached file is still there');
    assert.equal((await fetch(s.url + swept.body.file_url)).status, 404);
    const late = await call(s.url, 'POST', '/api/user-response/', {
      token: alice,
      body: { message: 'too late', attachment_id: swept.body.attachment_id },
    });
    assert.equal(late.status, 400);
    assert.ok(late.body.attachment_id);
  });
});
