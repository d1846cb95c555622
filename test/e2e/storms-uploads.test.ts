/**
 * Storms and slow uploads (issue 10, scenarios 7 and 8): page signals do not hammer a socket that
 * keeps failing; an upload is timed by its progress, not as a whole, and can be cancelled in a
 * browser without `AbortSignal.any`.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { clientView, openPage, openPanel, sendText, signIn } from './support/browser.js';
import { eventually } from './support/eventually.js';
import { PNG } from './support/files.js';
import { loginToken } from './support/rest.js';
import { useServerAndBrowser } from './support/scenario.js';

const scenario = useServerAndBrowser();

/**
 * A slow link in front of the real server: it reads request bodies a chunk every 40 ms (about
 * 1.5 MB/s at most), and under `/stall/` it stops reading and never answers.
 */
let slowLink: Server;
let slowUrl = '';
before(async () => {
  slowLink = createServer((req, res) => {
    if (req.url?.startsWith('/stall/')) return void req.pause();
    void forward(req).then(
      async (answer) => {
        const headers = Object.fromEntries(
          [...answer.headers].filter(([name]) => !['content-encoding', 'content-length'].includes(name)),
        );
        res.writeHead(answer.status, headers);
        res.end(Buffer.from(await answer.arrayBuffer()));
      },
      () => res.destroy(),
    );
  });
  await new Promise<void>((resolve) => slowLink.listen(0, '127.0.0.1', resolve));
  slowUrl = `http://127.0.0.1:${(slowLink.address() as AddressInfo).port}`;
});
after(() => {
  slowLink.closeAllConnections();
  return new Promise<void>((resolve) => slowLink.close(() => resolve()));
});

async function forward(req: IncomingMessage): Promise<Response> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers))
    if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name)) headers.set(name, value);
  return fetch(new URL(req.url ?? '/', scenario.server.url), {
    method: req.method,
    headers,
    body: chunks.length ? Buffer.concat(chunks) : undefined,
  });
}

/** A PNG of `size` bytes (a real signature, then zeros): the server accepts it by its content. */
const pngOf = (size: number): string => {
  const bytes = Buffer.alloc(size, 0);
  PNG.copy(bytes);
  return bytes.toString('base64');
};

/** tsx names the functions of a page script with esbuild's `__name` helper: give the page a no-op one. */
const NAME_HELPER = 'globalThis.__name = (target) => target;';

interface UploadOutcome {
  ok: boolean;
  code: string | null;
  progressEvents: number;
}

test('page signals do not reconnect at once, or reset the backoff, while the socket keeps failing', async () => {
  const context = await scenario.browser.newContext();
  try {
    // Every ticket the page asks for is one socket attempt.
    await context.addInitScript(() => {
      const w = window as unknown as { __tickets: number };
      w.__tickets = 0;
      const original = window.fetch.bind(window);
      window.fetch = (input, init) => {
        const url = input instanceof Request ? input.url : String(input);
        if (url.includes('/api/chat/ws-ticket/')) w.__tickets++;
        return original(input, init);
      };
    });
    await context.routeWebSocket(/\/ws\/chat\//, (ws) => void ws.close({ code: 1006, reason: 'blocked by a proxy' }));
    const page = await openPage(context, scenario.server.url);
    await signIn(page, 'alice', 'alice123');
    await sendText(page, 'Over HTTP');
    await eventually(
      'the fallback to HTTP',
      () => clientView(page),
      (v) => v.state === 'fallback',
      { timeout: 90_000 },
    );
    const attempts = await page.evaluate(async () => {
      const w = window as unknown as { __tickets: number };
      const client = (
        document.querySelector('parley-chat') as unknown as { client: { getPrompts(): Promise<unknown> } }
      ).client;
      const before = w.__tickets;
      for (let i = 0; i < 20; i++) {
        window.dispatchEvent(new Event('online'));
        document.dispatchEvent(new Event('visibilitychange'));
      }
      // A request started after the storm: every attempt the storm started has asked for its ticket by its end.
      await client.getPrompts();
      return w.__tickets - before;
    });
    assert.ok(attempts <= 1, `40 page signals started ${attempts} socket attempts`);
    assert.equal((await clientView(page)).state, 'fallback');
  } finally {
    await context.close();
  }
});

test('an upload slower than the request timeout succeeds while it moves, and one that stalls fails as stalled', async () => {
  // The slow link is another origin, which the demo page's CSP (`connect-src 'self'`) would refuse.
  const context = await scenario.browser.newContext({ bypassCSP: true });
  try {
    await context.addInitScript(NAME_HELPER);
    const page = await openPage(context, scenario.server.url);
    const token = await loginToken(scenario.server.url, 'bob', 'bob123');
    const upload = (apiUrl: string, timing: Record<string, number>): Promise<UploadOutcome> =>
      page.evaluate(
        async ({ apiUrl, timing, token, png }) => {
          const { ChatClient } = (window as unknown as { Parley: { ChatClient: new (o: object) => any } }).Parley;
          const client = new ChatClient({ apiUrl, token, timing });
          const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
          let progressEvents = 0;
          try {
            await client.uploadAttachment(new File([bytes], 'big.png', { type: 'image/png' }), {
              onProgress: () => progressEvents++,
            });
            return { ok: true, code: null, progressEvents };
          } catch (error) {
            return { ok: false, code: (error as { code?: string }).code ?? String(error), progressEvents };
          } finally {
            client.destroy();
          }
        },
        { apiUrl, timing, token, png: pngOf(3 * 1024 * 1024) },
      );

    // 3 MiB through the slow link takes well over the one second the client allows a request.
    const slow = await upload(slowUrl, { requestTimeoutMs: 1000 });
    assert.deepEqual(slow, { ok: true, code: null, progressEvents: slow.progressEvents });
    const stalled = await upload(`${slowUrl}/stall`, { requestTimeoutMs: 600_000, uploadStallMs: 1500 });
    assert.equal(stalled.ok, false);
    assert.equal(stalled.code, 'stalled');
  } finally {
    await context.close();
  }
});

test('uploads work and can be cancelled in a browser without AbortSignal.any', async () => {
  const context = await scenario.browser.newContext();
  try {
    await context.addInitScript(NAME_HELPER);
    await context.addInitScript(() => {
      delete (AbortSignal as unknown as { any?: unknown }).any;
    });
    const page = await openPage(context, scenario.server.url);
    await signIn(page, 'carol', 'carol123');
    await openPanel(page);
    const outcome = await page.evaluate(async (png) => {
      const client = (
        document.querySelector('parley-chat') as unknown as {
          client: { uploadAttachment(f: File, o: { signal: AbortSignal }): Promise<{ attachment_id: string }> };
        }
      ).client;
      const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
      const file = () => new File([bytes], 'dot.png', { type: 'image/png' });
      const uploaded = await client.uploadAttachment(file(), { signal: new AbortController().signal }).then(
        (a) => a.attachment_id,
        (e: { code?: string }) => `failed: ${e.code ?? e}`,
      );
      const controller = new AbortController();
      const cancelled = client.uploadAttachment(file(), { signal: controller.signal });
      controller.abort();
      const code = await cancelled.then(
        () => 'not cancelled',
        (e: { code?: string }) => e.code ?? String(e),
      );
      return { uploaded, code, hasAny: 'any' in AbortSignal };
    }, PNG.toString('base64'));
    assert.equal(outcome.hasAny, false);
    assert.match(outcome.uploaded, /^\d+$/);
    assert.equal(outcome.code, 'aborted');
  } finally {
    await context.close();
  }
});
