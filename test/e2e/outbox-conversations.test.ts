/**
 * The outbox and the first message (issue 10, scenarios 4 and 6): a conversation is created by the
 * first queued send, once, also offline and across a reload, also for a double click on a prompt;
 * and a message discarded in one tab is never sent by another.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientView, openPage, openPanel, part, sendText, shownMessages, sentIn, signIn } from './support/browser.js';
import { eventually } from './support/eventually.js';
import { routeOutage } from './support/outage.js';
import { listConversations, loginToken, storedUserTexts } from './support/rest.js';
import { useServerAndBrowser } from './support/scenario.js';

const scenario = useServerAndBrowser();

const tokenOf = (username: string) => loginToken(scenario.server.url, username, `${username}123`);

test(
  'a first message written offline survives a reload and creates one conversation when the server is back',
  { timeout: 180_000 },
  async () => {
    const context = await scenario.browser.newContext();
    try {
      const outage = await routeOutage(context);
      let page = await openPage(context, scenario.server.url);
      await signIn(page, 'carol', 'carol123');
      outage.set(true);
      await sendText(page, 'First, while offline');
      await eventually(
        'a pending bubble and one entry in the durable outbox',
        async () => ({ view: await clientView(page), shown: await shownMessages(page) }),
        ({ view, shown }) =>
          view.outbox === 1 && shown.some((m) => m.text === 'First, while offline' && m.status === 'pending'),
      );
      assert.equal(await part(page, 'input').inputValue(), '', 'the composer kept nothing back');

      await page.reload();
      page = context.pages()[0]!;
      await page.waitForFunction(() => customElements.get('parley-chat') !== undefined);
      await eventually(
        'the outbox to still hold it after the reload',
        () => clientView(page),
        (v) => v.outbox === 1,
      );
      outage.set(false);
      await openPanel(page);
      const conversation = await sentIn(page, 'First, while offline', { timeout: 60_000 });
      const token = await tokenOf('carol');
      assert.deepEqual(
        (await listConversations(scenario.server.url, token)).map((c) => c.id),
        [conversation],
      );
      assert.deepEqual(await storedUserTexts(scenario.server.url, token, conversation), [
        'carol: First, while offline',
      ]);
    } finally {
      await context.close();
    }
  },
);

test('a double click on a prompt chip makes one conversation holding both messages', { timeout: 120_000 }, async () => {
  const context = await scenario.browser.newContext();
  try {
    const page = await openPage(context, scenario.server.url);
    await signIn(page, 'bob', 'bob123');
    const chip = part(page, 'prompt').first();
    await chip.waitFor({ state: 'visible', timeout: 30_000 });
    const token = await tokenOf('bob');
    const prompts = (await (
      await fetch(new URL('/api/bot-prompts/', scenario.server.url), { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { text: string; order: number }[];
    const text = [...prompts].sort((a, b) => a.order - b.order)[0]!.text;
    // Both clicks land before the widget re-renders, as a quick double click does.
    await chip.evaluate((button: HTMLElement) => {
      button.click();
      button.click();
    });
    await eventually(
      'two sent bubbles of the prompt',
      () => shownMessages(page),
      (shown) => shown.filter((m) => m.type === 'user' && m.text === text && m.status !== 'pending').length === 2,
      { timeout: 60_000 },
    );
    const conversations = await listConversations(scenario.server.url, token);
    assert.equal(conversations.length, 1, 'one conversation');
    assert.deepEqual(await storedUserTexts(scenario.server.url, token, conversations[0]!.id), [
      `bob: ${text}`,
      `bob: ${text}`,
    ]);
  } finally {
    await context.close();
  }
});

test('a message discarded in one tab is not sent by another tab that loaded it', { timeout: 180_000 }, async () => {
  const context = await scenario.browser.newContext();
  try {
    const outage = await routeOutage(context);
    const tab1 = await openPage(context, scenario.server.url);
    await signIn(tab1, 'alice', 'alice123');
    await sendText(tab1, 'Before the discard');
    const conversation = await sentIn(tab1, 'Before the discard');
    let tab2 = await openPage(context, scenario.server.url);

    outage.set(true);
    await sendText(tab1, 'Discard me');
    await eventually(
      'tab 1 to queue it',
      () => clientView(tab1),
      (v) => v.outbox === 1,
    );
    // Tab 2 loads the outbox while the message waits in it.
    await tab2.reload();
    tab2 = context.pages()[1]!;
    await tab2.waitForFunction(() => customElements.get('parley-chat') !== undefined);
    await eventually(
      'tab 2 to have loaded it',
      () => clientView(tab2),
      (v) => v.outbox === 1,
    );

    await tab1.evaluate(async () => {
      const client = (
        document.querySelector('parley-chat') as unknown as {
          client: { messages(): { text: string; clientId: string | null }[]; discard(id: string): Promise<void> };
        }
      ).client;
      const queued = client.messages().find((m) => m.text === 'Discard me');
      if (queued?.clientId) await client.discard(queued.clientId);
    });
    assert.equal((await clientView(tab1)).outbox, 0);

    outage.set(false);
    await openPanel(tab2);
    await part(tab2, 'input').waitFor({ state: 'visible', timeout: 60_000 });
    await eventually(
      'tab 2 to follow the conversation',
      () => clientView(tab2),
      (v) => v.conversationId === conversation,
    );
    // Sends leave in order: once this one is stored, anything queued before it has gone (or never will).
    await sendText(tab2, 'After the discard');
    await sentIn(tab2, 'After the discard');
    const token = await tokenOf('alice');
    assert.deepEqual(await storedUserTexts(scenario.server.url, token, conversation), [
      'alice: Before the discard',
      'alice: After the discard',
    ]);
    assert.ok(!(await shownMessages(tab2)).some((m) => m.text === 'Discard me'), 'tab 2 no longer shows it');
    assert.equal((await clientView(tab2)).outbox, 0);
  } finally {
    await context.close();
  }
});
