/**
 * Streamed bot replies (issue 11, PROTOCOL §8) in Chromium against the real server: the reply
 * grows in its bubble, Stop stops it on the server and in every tab, a reload mid-reply picks it up
 * in place, and the live region says it once. The server's rule-based bot types slowly here
 * (`botWordsPerSecond`) so each reply streams for several seconds.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page, WebSocketRoute } from 'playwright-core';
import { clientView, openPage, openPanel, part, sendText, signIn } from './support/browser.js';
import { eventually } from './support/eventually.js';
import { useServerAndBrowser } from './support/scenario.js';
import {
  allowNamedFunctions,
  grewThrough,
  lastBotBubble,
  LONG_QUESTION,
  replyEnded,
  replyStarted,
  storedReply,
  storeReplies,
  streamEvents,
  watched,
  watchReply,
  watchStreamEvents,
} from './support/streaming.js';

const scenario = useServerAndBrowser({ botWordsPerSecond: 5 });

async function conversationOf(page: Page): Promise<string> {
  const view = await eventually(
    'the tab to have a conversation',
    () => clientView(page),
    (v) => !!v.conversationId,
  );
  return view.conversationId!;
}

async function signedInTab(username = 'alice', password = 'alice123') {
  const context = await scenario.browser.newContext();
  await allowNamedFunctions(context);
  const page = await openPage(context, scenario.server.url);
  await signIn(page, username, password);
  return { context, page };
}

test(
  'a streamed reply grows in its bubble through several lengths and ends equal to what the server stored',
  { timeout: 120_000 },
  async () => {
    const { context, page } = await signedInTab();
    try {
      await watchReply(page);
      await sendText(page, LONG_QUESTION);
      const busy = await replyStarted(page);
      assert.equal(busy?.busy, 'true', 'the growing bubble is aria-busy');
      const ended = await replyEnded(page, 'complete');
      assert.equal(ended?.busy, null, 'an ended bubble is no longer busy');
      const { lengths } = await watched(page);
      assert.ok(grewThrough(lengths, 5), `the bubble grew through several lengths: ${JSON.stringify(lengths)}`);
      const stored = await storedReply(scenario.server.url, 'alice', 'alice123', await conversationOf(page));
      assert.equal(stored.stream_state, 'complete');
      assert.equal(ended?.text, stored.text, 'the bubble shows what the server stored');
      const held = (await storeReplies(page)).at(-1);
      assert.deepEqual(held, { id: stored.id, text: stored.text, stream: 'complete' });
    } finally {
      await context.close();
    }
  },
);

test('Stop makes the server store the reply as stopped, and no more text arrives', { timeout: 120_000 }, async () => {
  const { context, page } = await signedInTab();
  try {
    await sendText(page, LONG_QUESTION);
    await replyStarted(page, 10);
    await part(page, 'stop').click();
    const stopped = await replyEnded(page, 'stopped', 15_000);
    assert.match(stopped?.marked ?? '', /Stopped/, 'the bubble says it was stopped');
    await part(page, 'send').waitFor({ state: 'visible', timeout: 5_000 });
    const conversationId = await conversationOf(page);
    const stored = await storedReply(scenario.server.url, 'alice', 'alice123', conversationId);
    assert.equal(stored.stream_state, 'stopped');
    assert.equal(stopped?.text, stored.text, 'the bubble shows the text the server kept');
    assert.ok(stored.text.length < 200, `the reply was cut short: ${JSON.stringify(stored.text)}`);
    // Absence of growth: the bot types 5 words a second, so 2 s would have brought about ten more.
    await sleep(2_000);
    assert.equal((await lastBotBubble(page))?.text, stored.text, 'no more text arrived in the bubble');
    const later = await storedReply(scenario.server.url, 'alice', 'alice123', conversationId);
    assert.deepEqual([later.id, later.text, later.stream_state], [stored.id, stored.text, 'stopped']);
  } finally {
    await context.close();
  }
});

test(
  'a reload in the middle of a reply resumes it in place and ends it once, with no duplicated text',
  { timeout: 120_000 },
  async () => {
    const { context, page } = await signedInTab();
    try {
      await sendText(page, LONG_QUESTION);
      const before = await replyStarted(page, 20);
      const conversationId = await conversationOf(page);
      await page.reload();
      await openPanel(page);
      await part(page, 'input').waitFor({ state: 'visible', timeout: 30_000 });
      await watchStreamEvents(page);
      await watchReply(page);
      const resumed = await eventually(
        'the reply to be shown again after the reload',
        () => lastBotBubble(page),
        (b) => !!b && b.text.length >= (before?.text.length ?? 0),
      );
      assert.equal(resumed?.stream, 'streaming', 'the reload came back while the reply was still being written');
      assert.ok(resumed!.text.startsWith(before!.text), 'the reply continues from the text shown before the reload');
      const ended = await replyEnded(page, 'complete');
      const stored = await storedReply(scenario.server.url, 'alice', 'alice123', conversationId);
      assert.equal(ended?.text, stored.text, 'the bubble ends with exactly the stored text (nothing twice)');
      const replies = (await storeReplies(page)).filter((m) => m.id === stored.id);
      assert.deepEqual(replies, [{ id: stored.id, text: stored.text, stream: 'complete' }], 'one copy of the reply');
      const { lengths } = await watched(page);
      assert.ok(grewThrough(lengths, 2), `it kept growing after the reload: ${JSON.stringify(lengths)}`);
      const { ends } = await streamEvents(page);
      assert.deepEqual(ends, [stored.id], 'the reply ended once');
      const bots = await page.locator('parley-chat [part~="message"][data-type="bot"]').count();
      const storedBots = (await storeReplies(page)).length;
      assert.equal(bots, storedBots, 'one bubble per bot reply');
    } finally {
      await context.close();
    }
  },
);

test('the live region announces a streamed reply once, when it ends', { timeout: 120_000 }, async () => {
  const { context, page } = await signedInTab('bob', 'bob123');
  try {
    await watchReply(page);
    await sendText(page, LONG_QUESTION);
    await replyStarted(page, 10);
    const ended = await replyEnded(page, 'complete');
    // The announcement is set when the end is applied; the bubble may render first.
    const { said } = await eventually(
      'the live region to announce the reply',
      () => watched(page),
      (w) => w.said.length > 0,
      { timeout: 5_000 },
    );
    assert.equal(said.length, 1, `one announcement: ${JSON.stringify(said)}`);
    assert.ok(said[0]!.includes(ended!.text), `it says the whole reply: ${JSON.stringify(said[0])}`);
  } finally {
    await context.close();
  }
});

test('Stop in one tab stops the reply in another tab of the same user', { timeout: 120_000 }, async () => {
  const { context, page: tab1 } = await signedInTab('carol', 'carol123');
  try {
    await sendText(tab1, 'Opening the conversation');
    await replyEnded(tab1, 'complete');
    const conversationId = await conversationOf(tab1);
    const tab2 = await openPage(context, scenario.server.url);
    await openPanel(tab2);
    await part(tab2, 'input').waitFor({ state: 'visible', timeout: 30_000 });
    await eventually(
      'tab 2 to be connected to the same conversation',
      () => clientView(tab2),
      (v) => v.conversationId === conversationId && v.state === 'open',
    );
    await sendText(tab1, LONG_QUESTION);
    await replyStarted(tab2, 10);
    await part(tab2, 'stop').waitFor({ state: 'visible', timeout: 5_000 });
    await part(tab1, 'stop').click();
    const [one, two] = [await replyEnded(tab1, 'stopped', 15_000), await replyEnded(tab2, 'stopped', 15_000)];
    const stored = await storedReply(scenario.server.url, 'carol', 'carol123', conversationId);
    assert.equal(stored.stream_state, 'stopped');
    assert.equal(one?.text, stored.text);
    assert.equal(two?.text, stored.text, 'the other tab shows the same stopped text');
    await part(tab2, 'send').waitFor({ state: 'visible', timeout: 5_000 });
  } finally {
    await context.close();
  }
});

test(
  'a reply that ends while the socket is cut is shown ended after the reconnect, fetched since the sync does not bring it',
  { timeout: 120_000 },
  async () => {
    const context = await scenario.browser.newContext();
    await allowNamedFunctions(context);
    // Frames from the server reach the page unless the line is cut: then they are lost, as on a
    // dead connection, until the test closes the socket and the client reconnects.
    let cut = false;
    const open = new Set<WebSocketRoute>();
    await context.routeWebSocket(/\/ws\/chat\//, (ws: WebSocketRoute) => {
      open.add(ws);
      const server = ws.connectToServer();
      server.onMessage((frame) => {
        if (!cut) ws.send(frame);
      });
    });
    try {
      const page = await openPage(context, scenario.server.url);
      await signIn(page, 'alice', 'alice123');
      await sendText(page, LONG_QUESTION);
      await replyStarted(page, 10);
      const conversationId = await conversationOf(page);
      cut = true;
      await eventually(
        'the server to finish the reply while the page hears nothing',
        () => storedReply(scenario.server.url, 'alice', 'alice123', conversationId),
        (m) => m.stream_state === 'complete',
        { timeout: 60_000 },
      );
      assert.equal((await lastBotBubble(page))?.stream, 'streaming', 'the page still holds the reply as streaming');
      cut = false;
      for (const ws of open) void ws.close({ code: 1006, reason: 'cut by the test' });
      open.clear();
      const ended = await replyEnded(page, 'complete', 30_000);
      const stored = await storedReply(scenario.server.url, 'alice', 'alice123', conversationId);
      assert.equal(ended?.text, stored.text);
      assert.equal((await clientView(page)).transport, 'websocket', 'caught up over the socket, not by falling back');
    } finally {
      await context.close();
    }
  },
);
