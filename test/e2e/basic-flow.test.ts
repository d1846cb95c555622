/**
 * The seed guide's scenario 1, "Basic chat flow": sign in, open the chat, say "Hello", the bot greets,
 * the conversation is in the conversation list.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { messages, openPage, part, sendText, shownMessages, signIn, clientView } from './support/browser.js';
import { eventually } from './support/eventually.js';
import { listConversations, loginToken } from './support/rest.js';
import { useServerAndBrowser } from './support/scenario.js';

const scenario = useServerAndBrowser();

test(
  'a user signs in, says Hello, gets the bot greeting, and finds the conversation in the list',
  { timeout: 120_000 },
  async () => {
    const context = await scenario.browser.newContext();
    try {
      const page = await openPage(context, scenario.server.url);
      assert.equal(await part(page, 'panel').isVisible(), false, 'the panel starts closed');

      await signIn(page, 'alice', 'alice123');
      await sendText(page, 'Hello');

      await eventually(
        'the "Hello" bubble to be sent',
        () => shownMessages(page),
        (shown) =>
          shown.some(
            (m) => m.type === 'user' && m.text === 'Hello' && ['sent', 'delivered', 'read'].includes(m.status),
          ),
      );
      await eventually(
        'the bot to greet back with "Hello!"',
        () => shownMessages(page),
        (shown) => shown.some((m) => m.type === 'bot' && m.text.startsWith('Hello!')),
      );
      assert.equal(await messages(page, 'user').count(), 1, 'one user bubble');

      const { conversationId } = await clientView(page);
      assert.ok(conversationId, 'the widget knows its conversation');

      // In the widget's conversation list, marked as the current one, with its last message...
      await part(page, 'conversations-button').click();
      const current = part(page, 'conversations').locator('[aria-current="true"]');
      await current.waitFor({ state: 'visible', timeout: 15_000 });
      assert.match(await current.innerText(), /Hello/);

      // ...and in the server's list for that user.
      const token = await loginToken(scenario.server.url, 'alice', 'alice123');
      const listed = await listConversations(scenario.server.url, token);
      assert.ok(
        listed.some((c) => c.id === conversationId),
        `conversation ${conversationId} is in alice's list: ${JSON.stringify(listed.map((c) => c.id))}`,
      );
    } finally {
      await context.close();
    }
  },
);
