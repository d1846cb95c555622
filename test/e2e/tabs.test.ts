/**
 * One connection per browser (issue 15): the tabs of one browser signed in as the same user share
 * one socket held by a leader tab; when it closes another takes over at once; a read in one tab
 * clears the badge in all; a page without Web Locks still chats on its own.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  clientView,
  expectShownOnceInOrder,
  openPage,
  openPanel,
  part,
  sendText,
  sentIn,
  shownMessages,
  signIn,
} from './support/browser.js';
import { eventually } from './support/eventually.js';
import { loginToken, storedUserTexts } from './support/rest.js';
import { useServerAndBrowser } from './support/scenario.js';
import { badge, leaderOf, openSockets, openTabs, queue, tabRole } from './support/tabs.js';

const scenario = useServerAndBrowser();

test('four tabs of one user hold one socket on the server, and every tab shows the same conversation', async () => {
  const { url } = scenario.server;
  const context = await scenario.browser.newContext();
  try {
    const before = await openSockets(url);
    const { tabs } = await openTabs(context, url, 4, (tab) => sendText(tab, 'Four tabs'));
    await leaderOf(tabs);
    await eventually(
      'one socket on the server for the four tabs',
      () => openSockets(url),
      (n) => n === before + 1,
    );
    for (const tab of tabs) await expectShownOnceInOrder(tab, ['Four tabs']);
  } finally {
    await context.close();
  }
});

test(
  'closing the leader tab: another tab leads within a second, and a message sent meanwhile arrives once in every tab',
  { timeout: 120_000 },
  async () => {
    const { url } = scenario.server;
    const context = await scenario.browser.newContext();
    try {
      const sockets = await openSockets(url);
      const { tabs, conversationId } = await openTabs(context, url, 3, (tab) => sendText(tab, 'Before the handoff'));
      const leader = await leaderOf(tabs);
      const rest = tabs.filter((t) => t !== leader);
      // Each remaining tab notes when it starts leading (epoch ms, same clock as this process).
      for (const tab of rest)
        await tab.evaluate(() => {
          const el = document.querySelector('parley-chat') as unknown as { client: { tabRole: string } };
          const timer = setInterval(() => {
            if (el.client.tabRole !== 'leader') return;
            (window as unknown as { ledAt: number }).ledAt = Date.now();
            clearInterval(timer);
          }, 5);
        });
      const closedAt = Date.now();
      const closing = leader.close();
      await queue(rest[0]!, ['During the handoff']);
      await closing;
      const next = await leaderOf(rest);
      const ledAt = await next.evaluate(() => (window as unknown as { ledAt: number }).ledAt);
      assert.ok(ledAt - closedAt <= 1000, `a new leader within 1 s of the close (took ${ledAt - closedAt} ms)`);
      await eventually(
        'the new leader to be connected',
        () => clientView(next),
        (view) => view.state === 'open' && view.conversationId === conversationId,
      );
      for (const tab of rest) await expectShownOnceInOrder(tab, ['Before the handoff', 'During the handoff']);
      const token = await loginToken(url, 'alice', 'alice123');
      const stored = await storedUserTexts(url, token, conversationId);
      assert.deepEqual(
        stored.filter((t) => /handoff/.test(t)),
        ['alice: Before the handoff', 'alice: During the handoff'],
        'stored once each, in order',
      );
      await eventually(
        'one socket on the server again',
        () => openSockets(url),
        (n) => n === sockets + 1,
      );
    } finally {
      await context.close();
    }
  },
);

test('reading in one tab clears the unread badge in the other three', { timeout: 120_000 }, async () => {
  const { url } = scenario.server;
  const context = await scenario.browser.newContext();
  try {
    const { tabs } = await openTabs(context, url, 4, async (tab) => {
      await sendText(tab, 'Badge test');
      await sentIn(tab, 'Badge test');
    });
    // Every panel closed, a bot reply arrives: each launcher counts it.
    for (const tab of tabs) {
      if (await part(tab, 'panel').isVisible()) await part(tab, 'launcher').click();
    }
    await queue(tabs[0]!, ['Answer me while closed']);
    for (const tab of tabs)
      await eventually(
        'an unread badge on every tab',
        () => badge(tab),
        (n) => n >= 1,
      );
    // Tab A opens its panel: it marks the reply read, and the read reaches every tab.
    await openPanel(tabs[0]!);
    for (const tab of tabs.slice(1))
      await eventually(
        'the badge to clear in the other tabs',
        () => badge(tab),
        (n) => n === 0,
      );
  } finally {
    await context.close();
  }
});

test('typing in one tab shows in the other tabs, never in the tab that types', { timeout: 120_000 }, async () => {
  const { url } = scenario.server;
  const context = await scenario.browser.newContext();
  try {
    const { tabs } = await openTabs(context, url, 3, (tab) => sendText(tab, 'Typing test'));
    const leader = await leaderOf(tabs);
    // A follower types: the leader and the third tab show it.
    const typist = tabs.find((t) => t !== leader)!;
    await openPanel(typist);
    for (const tab of tabs) await openPanel(tab);
    await part(typist, 'input').pressSequentially('Typing from a follower', { delay: 30 });
    for (const tab of tabs.filter((t) => t !== typist))
      await eventually(
        'the other tabs to show "Alice is typing"',
        () => part(tab, 'typing').innerText(),
        (text) => /alice/i.test(text),
      );
    assert.doesNotMatch(await part(typist, 'typing').innerText(), /alice/i, 'a tab never shows its own typing');
    await part(typist, 'input').press('Enter');
    for (const tab of tabs) await expectShownOnceInOrder(tab, ['Typing test', 'Typing from a follower']);
  } finally {
    await context.close();
  }
});

test('a page without Web Locks chats on its own', { timeout: 120_000 }, async () => {
  const { url } = scenario.server;
  const context = await scenario.browser.newContext();
  try {
    // A string, not a function: the test's compiler would wrap a function's inner arrows in its own helpers.
    await context.addInitScript({ content: "Object.defineProperty(navigator, 'locks', { value: undefined });" });
    const page = await openPage(context, url);
    await signIn(page, 'alice', 'alice123');
    await sendText(page, 'No locks here');
    await sentIn(page, 'No locks here');
    await eventually(
      'the bot to answer',
      () => shownMessages(page),
      (shown) => shown.some((m) => m.type === 'bot'),
    );
    assert.equal(await tabRole(page), 'solo');
    await expectShownOnceInOrder(page, ['No locks here']);
  } finally {
    await context.close();
  }
});
