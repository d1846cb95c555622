/**
 * The seed guide's scenario 2, "Real-time features": two tabs of the same user in the same
 * conversation. A message from tab 1 shows in tab 2 without a reload; typing in tab 1 shows the
 * indicator in tab 2, which clears when tab 1 sends.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientView, openPage, openPanel, part, sendText, shownMessages, signIn } from './support/browser.js';
import { eventually } from './support/eventually.js';
import { useServerAndBrowser } from './support/scenario.js';

const scenario = useServerAndBrowser();

test(
  'a message and typing in one tab show live in a second tab of the same user and conversation',
  { timeout: 120_000 },
  async () => {
    // One browser context = one browser profile: the two pages are two tabs sharing the sign-in.
    const context = await scenario.browser.newContext();
    try {
      const tab1 = await openPage(context, scenario.server.url);
      await signIn(tab1, 'alice', 'alice123');
      await sendText(tab1, 'Opening the conversation');
      const conversationId = await eventually(
        'tab 1 to have a conversation',
        async () => (await clientView(tab1)).conversationId,
      );

      const tab2 = await openPage(context, scenario.server.url);
      await openPanel(tab2);
      await part(tab2, 'input').waitFor({ state: 'visible', timeout: 30_000 });
      await eventually(
        `tab 2 to resume conversation ${conversationId} and be connected`,
        () => clientView(tab2),
        (view) => view.conversationId === conversationId && view.state === 'open',
      );

      const reloads: string[] = [];
      tab2.on('framenavigated', (frame) => {
        if (frame === tab2.mainFrame()) reloads.push(frame.url());
      });

      await sendText(tab1, 'Live from tab 1');
      await eventually(
        'tab 2 to show "Live from tab 1" without a reload',
        () => shownMessages(tab2),
        (shown) => shown.filter((m) => m.type === 'user' && m.text === 'Live from tab 1').length === 1,
      );

      // Typing: the indicator names the user (tab 2 is another tab, so it shows; tab 1 never shows itself).
      const typing2 = part(tab2, 'typing');
      await part(tab1, 'input').pressSequentially('Still typing', { delay: 30 });
      await eventually(
        'tab 2 to show "Alice is typing"',
        () => typing2.innerText(),
        (text) => /alice/i.test(text),
      );
      assert.doesNotMatch(await part(tab1, 'typing').innerText(), /alice/i, 'a tab never shows its own typing');

      // Sending clears it at once (is_typing:false right after a send), not only when it expires.
      await part(tab1, 'input').press('Enter');
      await eventually(
        'the typing indicator in tab 2 to clear after tab 1 sent',
        () => typing2.innerText(),
        (text) => !/alice/i.test(text),
        { timeout: 3_000 },
      );
      await eventually(
        'tab 2 to show "Still typing" once',
        () => shownMessages(tab2),
        (shown) => shown.filter((m) => m.type === 'user' && m.text === 'Still typing').length === 1,
      );
      assert.deepEqual(reloads, [], 'tab 2 was never reloaded');
    } finally {
      await context.close();
    }
  },
);
