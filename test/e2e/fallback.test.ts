/**
 * The seed guide's scenario 3, "WebSocket fallback": with the WebSocket blocked before the page
 * loads, sending works over HTTP and the bot still answers; once unblocked, the client goes back to
 * the WebSocket by itself, without a reload, and no message ever shows twice.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WebSocketRoute } from 'playwright-core';
import { clientView, openPage, sendText, shownMessages, signIn, storeMessages } from './support/browser.js';
import { eventually } from './support/eventually.js';
import { useServerAndBrowser } from './support/scenario.js';

const scenario = useServerAndBrowser();

test(
  'with the WebSocket blocked it chats over HTTP, and once unblocked it returns to the socket without reload or duplicates',
  { timeout: 180_000 },
  async () => {
    const context = await scenario.browser.newContext();
    let blocked = true;
    let blockedAttempts = 0;
    const framesToServer: string[] = [];
    // Every chat socket goes through this route: refused (closed before any frame) while blocked,
    // otherwise passed through to the real server, recording what the page sends.
    await context.routeWebSocket(/\/ws\/chat\//, (ws: WebSocketRoute) => {
      if (blocked) {
        blockedAttempts += 1;
        void ws.close({ code: 1008, reason: 'blocked by the test' });
        return;
      }
      const upstream = ws.connectToServer();
      ws.onMessage((frame) => {
        framesToServer.push(String(frame));
        upstream.send(frame);
      });
    });
    const restSends: string[] = [];
    context.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/user-response/') {
        // The body is not visible to Playwright (the client streams it): count the requests.
        restSends.push(request.url());
      }
    });

    try {
      const page = await openPage(context, scenario.server.url);
      await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
      await signIn(page, 'alice', 'alice123');

      await sendText(page, 'Hello');
      await eventually(
        'the client to fall back to HTTP',
        () => clientView(page),
        (view) => view.state === 'fallback' && view.transport === 'http',
        { timeout: 90_000 },
      );
      await eventually(
        '"Hello" to be sent and the bot to answer "Hello!" while the socket is blocked',
        () => shownMessages(page),
        (shown) =>
          shown.some(
            (m) => m.type === 'user' && m.text === 'Hello' && m.status !== 'pending' && m.status !== 'failed',
          ) && shown.some((m) => m.type === 'bot' && m.text.startsWith('Hello!')),
        { timeout: 60_000 },
      );
      assert.ok(blockedAttempts > 0, 'the page did try the socket');
      assert.ok(restSends.length > 0, 'the message went over REST (POST /api/user-response/)');

      blocked = false;
      await eventually(
        'the client to be back on the WebSocket by itself (backoff cap 30 s plus one probe)',
        () => clientView(page),
        (view) => view.state === 'open' && view.transport === 'websocket' && view.socketOpen,
        { timeout: 90_000 },
      );
      assert.equal(
        await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument),
        true,
        'the page was not reloaded',
      );

      const restBefore = restSends.length;
      await sendText(page, 'Back on the socket');
      await eventually(
        'the bot to answer the message sent over the socket',
        () => shownMessages(page),
        (shown) => shown.filter((m) => m.type === 'bot').length === 2,
        { timeout: 60_000 },
      );
      assert.ok(
        framesToServer.some((frame) => frame.includes('"type":"message"') && frame.includes('Back on the socket')),
        'the second message went over the WebSocket',
      );
      assert.equal(restSends.length, restBefore, 'nothing more was posted over REST');

      // No message twice: not in the client's store, not in the DOM.
      const store = await storeMessages(page);
      const ids = store.map((m) => m.id);
      assert.equal(new Set(ids).size, ids.length, `duplicate ids in the store: ${JSON.stringify(ids)}`);
      const shown = await shownMessages(page);
      assert.deepEqual(
        shown.filter((m) => m.type === 'user').map((m) => m.text),
        ['Hello', 'Back on the socket'],
        'each user message shown once, in order',
      );
      assert.equal(shown.filter((m) => m.type === 'bot').length, 2, 'one bot reply per message, each shown once');
    } finally {
      await context.close();
    }
  },
);
