/**
 * One outbox per browser under stress (issue 15): 200 sends spread over two tabs of one user,
 * each tab reloaded in the middle and the server killed and restarted once: every message is
 * stored and shown once, and each tab's messages keep the order they were sent in.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { clientView, launchBrowser, storeMessages } from './support/browser.js';
import { eventually } from './support/eventually.js';
import { loginToken, storedUserTexts } from './support/rest.js';
import { ServerProcess } from './support/server.js';
import { openTabs, queue } from './support/tabs.js';

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

const texts = (tab: string, from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => `${tab}-${String(from + i).padStart(3, '0')}`);

/** Reloads a tab and waits until it follows the conversation again (as leader or follower). */
async function reload(page: Page, conversationId: string): Promise<void> {
  await page.reload();
  await page.waitForFunction(() => customElements.get('parley-chat') !== undefined);
  await eventually(
    'the reloaded tab to follow the conversation again',
    () => clientView(page),
    (view) => view.conversationId === conversationId,
    { timeout: 60_000 },
  );
}

/** Each expected text exactly once, in this order, among `actual`. */
function onceInOrder(actual: string[], expected: string[]): string | null {
  const seen = actual.filter((t) => expected.includes(t));
  const duplicated = seen.filter((t, i) => seen.indexOf(t) !== i);
  if (duplicated.length) return `duplicated: ${duplicated.slice(0, 5).join(', ')}`;
  const lost = expected.filter((t) => !seen.includes(t));
  if (lost.length) return `lost: ${lost.slice(0, 5).join(', ')} (${lost.length})`;
  return seen.join() === expected.join() ? null : `out of order: ${seen.slice(0, 8).join(', ')}…`;
}

test(
  '200 sends from two tabs, each tab reloaded and the server restarted once: none lost, none twice, each tab in order',
  { timeout: 600_000 },
  async () => {
    const context = await browser.newContext();
    try {
      const { tabs, conversationId } = await openTabs(context, server.url, 2, (tab) => queue(tab, ['Start']));
      const [a, b] = tabs as [Page, Page];
      const sentA = texts('A', 1, 100);
      const sentB = texts('B', 1, 100);

      await Promise.all([queue(a, sentA.slice(0, 30)), queue(b, sentB.slice(0, 30))]);
      await reload(a, conversationId);
      await Promise.all([queue(a, sentA.slice(30, 50)), queue(b, sentB.slice(30, 50))]);
      await server.kill();
      await Promise.all([queue(a, sentA.slice(50, 70)), queue(b, sentB.slice(50, 70))]);
      await server.start(); // same port, same data
      await reload(b, conversationId);
      await Promise.all([queue(a, sentA.slice(70)), queue(b, sentB.slice(70))]);

      for (const tab of tabs)
        await eventually(
          'the shared outbox to drain',
          () => clientView(tab),
          (view) => view.outbox === 0,
          { timeout: 180_000 },
        );
      const token = await loginToken(server.url, 'alice', 'alice123');
      const stored = (await storedUserTexts(server.url, token, conversationId)).map((t) => t.replace(/^alice: /, ''));
      assert.equal(onceInOrder(stored, sentA), null, "tab A's messages stored once each, in order");
      assert.equal(onceInOrder(stored, sentB), null, "tab B's messages stored once each, in order");
      assert.equal(stored.length, 201);
      for (const tab of tabs) {
        const shown = await eventually(
          'every tab to show the 201 messages, sent',
          async () => (await storeMessages(tab)).filter((m) => m.type === 'user'),
          (list) => list.length === 201 && list.every((m) => m.status !== 'pending'),
          { timeout: 60_000 },
        );
        const shownTexts = shown.map((m) => m.text);
        assert.equal(onceInOrder(shownTexts, sentA), null, 'tab A messages shown once each, in order');
        assert.equal(onceInOrder(shownTexts, sentB), null, 'tab B messages shown once each, in order');
      }
    } finally {
      await context.close();
    }
  },
);
