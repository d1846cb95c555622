/**
 * The /chat-test page a newcomer learns from: its live panel follows the widget, its event log
 * records the widget's events, its switches really force the HTTP fallback and an offline outbox,
 * and both embed examples it links to work.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { openPage, sendText, shownMessages, signIn } from './support/browser.js';
import { eventually } from './support/eventually.js';
import { useServerAndBrowser } from './support/scenario.js';

const scenario = useServerAndBrowser();

const text = (page: Page, id: string) => page.locator(`#${id}`).innerText();

/** Collects Content-Security-Policy violations: the page must need no inline script or style. */
function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

test(
  'the chat test page shows live status and events, and its switches force the HTTP fallback and an offline outbox',
  { timeout: 240_000 },
  async () => {
    const context = await scenario.browser.newContext();
    try {
      const page = await context.newPage();
      const csp = watchCsp(page);
      await page.goto(new URL('/chat-test', scenario.server.url).href);
      await page.waitForFunction(() => customElements.get('parley-chat') !== undefined);

      await signIn(page, 'alice', 'alice123');
      await sendText(page, 'Hello');
      await eventually(
        'the panel to show alice connected over the WebSocket',
        async () => ({
          user: await text(page, 'status-user'),
          state: await page.locator('#status-state').getAttribute('data-state'),
          transport: await page.locator('#status-transport').getAttribute('data-transport'),
        }),
        (s) => s.user === 'alice' && s.state === 'open' && s.transport === 'websocket',
      );
      await eventually(
        'the event log to show the widget events',
        () => page.locator('#log .log-type').allInnerTexts(),
        (types) =>
          ['parley-connection-change', 'parley-conversation-change', 'parley-message'].every((t) => types.includes(t)),
      );
      assert.notEqual(await text(page, 'status-conversation'), 'none');

      // Block the WebSocket: the client falls back to HTTP and still sends.
      await page.locator('#block-ws').check();
      await eventually(
        'the panel to show the HTTP fallback',
        async () => ({
          state: await page.locator('#status-state').getAttribute('data-state'),
          transport: await page.locator('#status-transport').getAttribute('data-transport'),
        }),
        (s) => s.state === 'fallback' && s.transport === 'http',
        { timeout: 90_000 },
      );
      await sendText(page, 'Over HTTP');
      await eventually(
        '"Over HTTP" to be sent',
        () => shownMessages(page),
        (shown) => shown.some((m) => m.text === 'Over HTTP' && m.status !== 'pending' && m.status !== 'failed'),
        { timeout: 60_000 },
      );
      await page.locator('#block-ws').uncheck();
      await eventually(
        'the panel to show the WebSocket again',
        async () => page.locator('#status-transport').getAttribute('data-transport'),
        (transport) => transport === 'websocket',
        { timeout: 90_000 },
      );

      // Go offline: a send waits in the outbox, visible in the panel, and leaves when back online.
      await page.locator('#go-offline').check();
      await sendText(page, 'Queued while offline');
      await eventually(
        'the outbox depth to show 1',
        () => text(page, 'status-outbox'),
        (depth) => depth === '1',
      );
      await page.locator('#go-offline').uncheck();
      await eventually(
        'the outbox to drain when back online',
        () => text(page, 'status-outbox'),
        (depth) => depth === '0',
        {
          timeout: 90_000,
        },
      );
      await eventually(
        '"Queued while offline" to be sent once',
        () => shownMessages(page),
        (shown) => shown.filter((m) => m.text === 'Queued while offline' && m.status !== 'pending').length === 1,
      );
      assert.deepEqual(csp, [], 'no Content-Security-Policy violation');
    } finally {
      await context.close();
    }
  },
);

test(
  'the script-tag and ES-module examples linked from the chat test page both chat with the server',
  { timeout: 120_000 },
  async () => {
    const context = await scenario.browser.newContext();
    try {
      const testPage = await openPage(context, scenario.server.url, '/chat-test');
      const hrefs = await testPage
        .locator('a[href^="/examples/"]')
        .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      assert.deepEqual(hrefs.sort(), ['/examples/esm.html', '/examples/script-tag.html']);

      const plain = await openPage(context, scenario.server.url, '/examples/script-tag.html');
      const plainCsp = watchCsp(plain);
      await signIn(plain, 'bob', 'bob123');
      await sendText(plain, 'Hello');
      await eventually(
        'the bot to greet on the script-tag example',
        () => shownMessages(plain),
        (shown) => shown.some((m) => m.type === 'bot' && m.text.startsWith('Hello!')),
      );
      assert.deepEqual(plainCsp, []);

      const esm = await context.newPage();
      const esmCsp = watchCsp(esm);
      await esm.goto(new URL('/examples/esm.html', scenario.server.url).href);
      await esm.locator('#login input[name="username"]').fill('carol');
      await esm.locator('#login input[name="password"]').fill('carol123');
      await esm.locator('#login button[type="submit"]').click();
      await esm.locator('#chat').waitFor({ state: 'visible', timeout: 30_000 });
      await esm.locator('#composer input[name="text"]').fill('Hello');
      await esm.locator('#composer input[name="text"]').press('Enter');
      await eventually(
        'the headless client example to show the bot greeting',
        () => esm.locator('#messages li[data-type="bot"]').allInnerTexts(),
        (texts) => texts.some((t) => t.includes('Hello!')),
      );
      assert.equal(await esm.locator('#error').innerText(), '', 'no error shown');
      assert.deepEqual(esmCsp, []);
    } finally {
      await context.close();
    }
  },
);
