/**
 * Streamed bot replies (issue 11) in the tabs of one browser (issue 15): a follower tab has no
 * socket, yet a reply grows there as in the leader, Stop in a follower stops it for everyone, and a
 * leader closed mid-reply hands the reply to the next leader, which ends it once in every tab. The
 * rule-based bot types slowly here so each reply streams for several seconds.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { openPanel, part, sendText } from './support/browser.js';
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
import { leaderOf, openTabs } from './support/tabs.js';

const scenario = useServerAndBrowser({ botWordsPerSecond: 5 });

/**
 * `count` tabs of alice in one browser, following a new conversation whose first reply has ended,
 * each watching its newest bot bubble and its client's stream events.
 */
async function tabsWatchingReplies(
  count: number,
): Promise<{ context: BrowserContext; leader: Page; followers: Page[]; conversationId: string }> {
  const context = await scenario.browser.newContext();
  await allowNamedFunctions(context);
  const { tabs, conversationId } = await openTabs(context, scenario.server.url, count, (tab) =>
    sendText(tab, 'Opening the conversation'),
  );
  for (const tab of tabs) {
    await openPanel(tab);
    await replyEnded(tab, 'complete');
    await watchReply(tab);
    await watchStreamEvents(tab);
  }
  const leader = await leaderOf(tabs);
  return { context, leader, followers: tabs.filter((t) => t !== leader), conversationId };
}

/** What the server stored as alice's newest bot reply. */
function stored(conversationId: string) {
  return storedReply(scenario.server.url, 'alice', 'alice123', conversationId);
}

/** The reply ended once in `tab`, with the stored text, in one bubble and one copy, said once. */
async function endedOnceAsStored(tab: Page, reply: { id: string; text: string; stream_state?: string | null }) {
  const bubble = await lastBotBubble(tab);
  assert.equal(bubble?.stream, reply.stream_state);
  assert.equal(bubble?.text, reply.text, 'the bubble shows exactly the stored text (nothing twice)');
  assert.equal(bubble?.busy, null, 'an ended bubble is not busy');
  const copies = (await storeReplies(tab)).filter((m) => m.id === reply.id);
  assert.deepEqual(copies, [{ id: reply.id, text: reply.text, stream: reply.stream_state }], 'one copy of the reply');
  const { ends, stale } = await streamEvents(tab);
  assert.deepEqual(ends, [reply.id], 'message-end fired once');
  assert.deepEqual(stale, [], 'messages() held the text of every message-delta when it fired');
  // The announcement is set when the end is applied; the bubble may render first.
  const { said } = await eventually(
    'the live region to announce the reply',
    () => watched(tab),
    (w) => w.said.length > 0,
    { timeout: 5_000 },
  );
  assert.equal(said.length, 1, `one announcement: ${JSON.stringify(said)}`);
  assert.ok(said[0]!.includes(reply.text), `it says the whole reply: ${JSON.stringify(said[0])}`);
}

test(
  'a streamed reply grows in a follower tab and ends equal to what the server stored, once',
  { timeout: 120_000 },
  async () => {
    const { context, leader, followers, conversationId } = await tabsWatchingReplies(2);
    const follower = followers[0]!;
    try {
      await sendText(follower, LONG_QUESTION);
      const growing = await replyStarted(follower, 10);
      assert.equal(growing?.busy, 'true', 'the growing bubble is aria-busy in the follower');
      await part(follower, 'stop').waitFor({ state: 'visible', timeout: 5_000 });
      await replyEnded(follower, 'complete');
      await replyEnded(leader, 'complete');
      const reply = await stored(conversationId);
      assert.equal(reply.stream_state, 'complete');
      for (const tab of [follower, leader]) {
        await endedOnceAsStored(tab, reply);
        const { lengths } = await watched(tab);
        assert.ok(grewThrough(lengths, 5), `the bubble grew through several lengths: ${JSON.stringify(lengths)}`);
      }
      await part(follower, 'send').waitFor({ state: 'visible', timeout: 5_000 });
    } finally {
      await context.close();
    }
  },
);

test('Stop in a follower tab stops the reply on the server and in every tab', { timeout: 120_000 }, async () => {
  const { context, leader, followers, conversationId } = await tabsWatchingReplies(3);
  const tabs = [leader, ...followers];
  try {
    await sendText(leader, LONG_QUESTION);
    for (const tab of tabs) await replyStarted(tab, 10);
    await part(followers[1]!, 'stop').click();
    for (const tab of tabs) await replyEnded(tab, 'stopped', 15_000);
    const reply = await stored(conversationId);
    assert.equal(reply.stream_state, 'stopped');
    assert.ok(reply.text.length < 200, `the reply was cut short: ${JSON.stringify(reply.text)}`);
    for (const tab of tabs) {
      await endedOnceAsStored(tab, reply);
      assert.match((await lastBotBubble(tab))?.marked ?? '', /Stopped/, 'the bubble says it was stopped');
    }
    // Absence of growth: the bot types 5 words a second, so 2 s would have brought about ten more.
    await sleep(2_000);
    for (const tab of tabs) assert.equal((await lastBotBubble(tab))?.text, reply.text, 'no more text arrived');
    const later = await stored(conversationId);
    assert.deepEqual([later.id, later.text, later.stream_state], [reply.id, reply.text, 'stopped']);
  } finally {
    await context.close();
  }
});

test(
  'closing the leader mid-reply: the reply ends once in the remaining tabs with no duplicated text',
  { timeout: 120_000 },
  async () => {
    const { context, leader, followers, conversationId } = await tabsWatchingReplies(3);
    try {
      await sendText(followers[0]!, LONG_QUESTION);
      for (const tab of followers) await replyStarted(tab, 20);
      await leader.close();
      const next = await leaderOf(followers);
      const shown = (await lastBotBubble(next))?.text.length ?? 0;
      const grown = await eventually(
        'the reply to keep growing under the new leader',
        () => lastBotBubble(next),
        (b) => b?.stream !== 'streaming' || b.text.length >= shown + 20,
      );
      assert.equal(grown?.stream, 'streaming', 'the handoff came while the reply was still being written');
      for (const tab of followers) await replyEnded(tab, 'complete');
      const reply = await stored(conversationId);
      assert.equal(reply.stream_state, 'complete');
      for (const tab of followers) {
        await endedOnceAsStored(tab, reply);
        const { lengths } = await watched(tab);
        assert.ok(grewThrough(lengths, 5), `the bubble only ever grew: ${JSON.stringify(lengths)}`);
      }
    } finally {
      await context.close();
    }
  },
);
