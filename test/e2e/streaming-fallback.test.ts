/**
 * A streamed bot reply (PROTOCOL §8) whose socket is blocked in the middle: the client falls back
 * to HTTP and the reply keeps growing from `GET` polls (at least once a second), then ends equal to
 * what the server stored. The bot types 2 words a second, so the reply outlasts the fallback ladder.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WebSocketRoute } from 'playwright-core';
import { clientView, openPage, signIn, sendText } from './support/browser.js';
import { eventually } from './support/eventually.js';
import { useServerAndBrowser } from './support/scenario.js';
import { allowNamedFunctions, lastBotBubble, LONG_QUESTION, storedReply, storeReplies } from './support/streaming.js';

const scenario = useServerAndBrowser({ botWordsPerSecond: 2 });

test(
  'with the socket blocked in the middle of a reply, the reply still grows over HTTP and ends as stored',
  { timeout: 180_000 },
  async () => {
    const context = await scenario.browser.newContext();
    await allowNamedFunctions(context);
    let blocked = false;
    const open = new Set<WebSocketRoute>();
    await context.routeWebSocket(/\/ws\/chat\//, (ws: WebSocketRoute) => {
      if (blocked) {
        void ws.close({ code: 1008, reason: 'blocked by the test' });
        return;
      }
      open.add(ws);
      ws.connectToServer();
    });
    try {
      const page = await openPage(context, scenario.server.url);
      await signIn(page, 'alice', 'alice123');
      await sendText(page, LONG_QUESTION);
      await eventually(
        'the reply to start growing over the socket',
        () => lastBotBubble(page),
        (b) => b?.stream === 'streaming' && b.text.length > 0,
      );
      blocked = true;
      for (const ws of open) void ws.close({ code: 1006, reason: 'cut by the test' });
      open.clear();
      await eventually(
        'the client to fall back to HTTP',
        () => clientView(page),
        (view) => view.state === 'fallback',
        { timeout: 60_000 },
      );
      // Every length the bubble shows while in fallback and still streaming, sampled often.
      const lengths: number[] = [];
      const ended = await eventually(
        'the reply to end while the socket stays blocked',
        async () => {
          const [view, bubble] = [await clientView(page), await lastBotBubble(page)];
          if (view.state === 'fallback' && bubble?.stream === 'streaming' && lengths.at(-1) !== bubble.text.length)
            lengths.push(bubble.text.length);
          return bubble;
        },
        (b) => b?.stream === 'complete',
        { timeout: 90_000, interval: 50 },
      );
      assert.ok(
        lengths.length >= 3 && lengths.every((n, i) => i === 0 || n > lengths[i - 1]!),
        `the reply grew through several lengths over HTTP: ${JSON.stringify(lengths)}`,
      );
      assert.equal((await clientView(page)).transport, 'http', 'the socket stayed blocked to the end');
      const conversationId = (await clientView(page)).conversationId!;
      const stored = await storedReply(scenario.server.url, 'alice', 'alice123', conversationId);
      assert.equal(stored.stream_state, 'complete');
      assert.equal(ended?.text, stored.text);
      assert.deepEqual((await storeReplies(page)).at(-1), { id: stored.id, text: stored.text, stream: 'complete' });
    } finally {
      await context.close();
    }
  },
);
