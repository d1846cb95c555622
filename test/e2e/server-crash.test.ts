/**
 * Server crash: the server process is killed (SIGKILL) in the middle of a burst of 50 sends and
 * started again on the same port and data; all 50 messages end up stored and shown exactly once,
 * in order.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  clientView,
  expectShownOnceInOrder,
  launchBrowser,
  openPage,
  sendText,
  shownMessages,
  signIn,
  storeMessages,
} from './support/browser.js';
import { eventually } from './support/eventually.js';
import { loginToken, storedMessages } from './support/rest.js';
import { ServerProcess } from './support/server.js';

let server: ServerProcess;
let browser: Browser;

before(async () => {
  server = new ServerProcess();
  await server.start();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Queues messages through the element's public `send()` (each resolves once durably queued). */
async function queue(page: Page, texts: string[]): Promise<void> {
  await page.evaluate(async (list) => {
    const el = document.querySelector('parley-chat') as unknown as { send(text: string): Promise<unknown> };
    for (const text of list) await el.send(text);
  }, texts);
}

test(
  'a burst of 50 sends survives a server crash and restart: all stored and shown once, in order',
  { timeout: 300_000 },
  async () => {
    const context = await browser.newContext();
    try {
      const page = await openPage(context, server.url);
      await signIn(page, 'alice', 'alice123');
      await sendText(page, 'Before the crash');
      await eventually(
        '"Before the crash" to be sent',
        () => shownMessages(page),
        (shown) => shown.some((m) => m.text === 'Before the crash' && m.status !== 'pending' && m.status !== 'failed'),
      );
      const { conversationId } = await clientView(page);
      assert.ok(conversationId);

      const burst = Array.from({ length: 50 }, (_, i) => `Burst ${String(i + 1).padStart(2, '0')}`);
      await queue(page, burst.slice(0, 25));
      // Kill as soon as the burst is under way: the rest of it is sent while the server is dead.
      await eventually(
        'the first burst message to reach the server',
        () => storeMessages(page),
        (store) => store.some((m) => m.text === 'Burst 01' && m.status !== 'pending'),
        { interval: 10 },
      );
      await server.kill();
      await queue(page, burst.slice(25));
      const atCrash = await clientView(page);
      assert.ok(atCrash.outbox > 0, `messages were still queued when the server died (outbox ${atCrash.outbox})`);

      await server.start(); // same port, same data folder
      await eventually(
        'the outbox to drain after the restart',
        () => clientView(page),
        (view) => view.outbox === 0,
        { timeout: 120_000 },
      );
      await expectShownOnceInOrder(page, ['Before the crash', ...burst], { timeout: 60_000 });

      const token = await loginToken(server.url, 'alice', 'alice123');
      const stored = (await storedMessages(server.url, token, conversationId))
        .filter((m) => m.type === 'user')
        .map((m) => m.text);
      assert.deepEqual(stored, ['Before the crash', ...burst], 'stored exactly once each, in order');
    } finally {
      await context.close();
    }
  },
);
