/**
 * Outage across a reload: with the API and the socket unreachable, five messages are sent; the page
 * is reloaded while still cut off; once the server is reachable again, all five are stored and shown
 * exactly once, in order (the durable outbox survived the reload).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  clientView,
  expectShownOnceInOrder,
  openPage,
  openPanel,
  sendText,
  shownMessages,
  signIn,
} from './support/browser.js';
import { eventually } from './support/eventually.js';
import { routeOutage } from './support/outage.js';
import { loginToken, storedMessages } from './support/rest.js';
import { useServerAndBrowser } from './support/scenario.js';

const scenario = useServerAndBrowser();

test(
  'five messages sent while the server is unreachable survive a reload and are stored and shown once, in order',
  { timeout: 240_000 },
  async () => {
    const context = await scenario.browser.newContext();
    // The outage: API requests fail as if the network dropped and sockets are cut, while the page and
    // /parley.js still load (so the page can be reloaded during the outage).
    const outage = await routeOutage(context);

    try {
      let page = await openPage(context, scenario.server.url);
      await signIn(page, 'alice', 'alice123');
      await sendText(page, 'Before the outage');
      await eventually(
        '"Before the outage" to be sent and answered',
        () => shownMessages(page),
        (shown) =>
          shown.some((m) => m.type === 'bot') &&
          shown.some((m) => m.text === 'Before the outage' && m.status !== 'pending'),
      );
      const { conversationId } = await clientView(page);
      assert.ok(conversationId);

      outage.set(true);

      const texts = ['Outage 1', 'Outage 2', 'Outage 3', 'Outage 4', 'Outage 5'];
      for (const text of texts) await sendText(page, text);
      await eventually(
        'five pending bubbles and five entries in the durable outbox',
        async () => ({ view: await clientView(page), shown: await shownMessages(page) }),
        ({ view, shown }) =>
          view.outbox === 5 && shown.filter((m) => texts.includes(m.text) && m.status === 'pending').length === 5,
      );

      await page.reload();
      await page.waitForFunction(() => customElements.get('parley-chat') !== undefined);
      page = context.pages()[0]!;
      await eventually(
        'the outbox to still hold five after the reload',
        () => clientView(page),
        (view) => view.outbox === 5,
      );

      outage.set(false);
      await openPanel(page);
      await eventually(
        'the outbox to drain once the server is reachable again',
        () => clientView(page),
        (view) => view.outbox === 0,
        { timeout: 120_000 },
      );
      await expectShownOnceInOrder(page, ['Before the outage', ...texts], { timeout: 60_000 });

      const token = await loginToken(scenario.server.url, 'alice', 'alice123');
      const stored = (await storedMessages(scenario.server.url, token, conversationId))
        .filter((m) => m.type === 'user')
        .map((m) => m.text);
      assert.deepEqual(stored, ['Before the outage', ...texts], 'stored exactly once each, in order');
    } finally {
      await context.close();
    }
  },
);
