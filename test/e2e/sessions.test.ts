/**
 * One person's chat stays theirs (issue 10, scenarios 1, 2 and 11): a session that ends hands the
 * page to the next user with nothing of the previous one shown or sent; tabs agree on who is
 * signed in; and the keyboard focus follows the sign-in.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  clientView,
  focusedInWidget,
  openPage,
  openPanel,
  part,
  sendText,
  shownMessages,
  sentIn,
  signIn,
  signInForm,
  signOut,
  storedSession,
} from './support/browser.js';
import { eventually } from './support/eventually.js';
import { routeOutage } from './support/outage.js';
import { listConversations, loginToken, revokeRefresh, storedUserTexts } from './support/rest.js';
import { useServerAndBrowser } from './support/scenario.js';

const scenario = useServerAndBrowser();

test(
  "after alice's session ends, bob signing in on that page sees and sends nothing of hers, and her unsent message leaves when she is back",
  { timeout: 240_000 },
  async () => {
    const { url } = scenario.server;
    const context = await scenario.browser.newContext();
    try {
      const outage = await routeOutage(context);
      // Routes added later are asked first; `fallback` hands the request on to the outage.
      let sendsHeld = false;
      let ticketsRefused = false;
      await context.route('**/api/user-response/', (route) =>
        sendsHeld ? route.abort('internetdisconnected') : route.fallback(),
      );
      await context.route('**/api/chat/ws-ticket/', (route) =>
        ticketsRefused
          ? route.fulfill({ status: 401, json: { detail: 'Token expired', code: 'token_not_valid' } })
          : route.fallback(),
      );
      const page = await openPage(context, url);
      await signIn(page, 'alice', 'alice123');
      await sendText(page, 'Hello from alice');
      const aliceConversation = await sentIn(page, 'Hello from alice');

      // Alice writes while the network is down: her message waits in the outbox.
      outage.set(true);
      sendsHeld = true;
      await sendText(page, 'Alice, unsent');
      await eventually(
        'the unsent message to wait in the outbox',
        () => clientView(page),
        (view) => view.outbox === 1,
      );

      // Her session ends for good: the refresh token is revoked and the access token refused.
      const session = await storedSession(page);
      assert.ok(session, 'alice has a stored session');
      await revokeRefresh(url, session.refresh);
      ticketsRefused = true;
      outage.set(false);
      await page.evaluate(() =>
        (document.querySelector('parley-chat') as unknown as { client: { retryNow(): void } }).client.retryNow(),
      );
      await signInForm(page).locator('[role="alert"]').waitFor({ state: 'visible', timeout: 60_000 });
      const afterExpiry = await clientView(page);
      assert.equal(afterExpiry.conversationId, null, "alice's conversation is no longer followed");
      assert.equal(afterExpiry.socketOpen, false);
      assert.deepEqual(
        await page.evaluate(() =>
          (document.querySelector('parley-chat') as unknown as { client: { messages(): unknown[] } }).client.messages(),
        ),
        [],
        "nothing of alice's is held any more",
      );

      // Bob signs in on the same page.
      sendsHeld = false;
      ticketsRefused = false;
      await signIn(page, 'bob', 'bob123');
      await sendText(page, 'Hello from bob');
      const bobConversation = await sentIn(page, 'Hello from bob');
      assert.notEqual(bobConversation, aliceConversation, "bob's message went to a conversation of his own");
      const bobSees = (await shownMessages(page)).map((m) => m.text);
      assert.ok(
        !bobSees.some((text) => /alice/i.test(text)),
        `bob sees nothing of alice's: ${JSON.stringify(bobSees)}`,
      );
      assert.equal((await clientView(page)).outbox, 0, "alice's queued send is not bob's");

      const aliceToken = await loginToken(url, 'alice', 'alice123');
      const bobToken = await loginToken(url, 'bob', 'bob123');
      assert.deepEqual(await storedUserTexts(url, aliceToken, aliceConversation), ['alice: Hello from alice']);
      assert.deepEqual(await storedUserTexts(url, bobToken, bobConversation), ['bob: Hello from bob']);
      assert.deepEqual(
        (await listConversations(url, bobToken)).map((c) => c.id),
        [bobConversation],
        "bob is in one conversation, his own: alice's was never posted to with his token",
      );

      // Bob signs out; alice signs in again and her unsent message leaves, once, as hers.
      await signOut(page);
      await signIn(page, 'alice', 'alice123');
      await sentIn(page, 'Alice, unsent');
      await eventually(
        "alice's unsent message to be stored once, in her conversation, as hers",
        () => storedUserTexts(url, aliceToken, aliceConversation),
        (texts) => JSON.stringify(texts) === JSON.stringify(['alice: Hello from alice', 'alice: Alice, unsent']),
      );
      assert.deepEqual(await storedUserTexts(url, bobToken, bobConversation), ['bob: Hello from bob']);
    } finally {
      await context.close();
    }
  },
);

test(
  'a sign-out in another tab shows the sign-in form here and closes the socket; a sign-in as bob there makes this tab bob',
  { timeout: 180_000 },
  async () => {
    const { url } = scenario.server;
    const context = await scenario.browser.newContext();
    try {
      const tab1 = await openPage(context, url);
      await signIn(tab1, 'carol', 'carol123');
      await sendText(tab1, 'Carol in tab 1');
      const carolConversation = await sentIn(tab1, 'Carol in tab 1');
      await eventually(
        'tab 1 to be connected',
        () => clientView(tab1),
        (view) => view.socketOpen,
      );

      const tab2 = await openPage(context, url);
      await openPanel(tab2);
      await part(tab2, 'input').waitFor({ state: 'visible', timeout: 30_000 });
      await signOut(tab2);

      await signInForm(tab1).waitFor({ state: 'visible', timeout: 30_000 });
      await eventually(
        'tab 1 to close its socket and forget the conversation',
        () => clientView(tab1),
        (view) => !view.socketOpen && view.conversationId === null,
      );
      assert.deepEqual(await shownMessages(tab1), [], 'no message is shown once signed out');

      await signIn(tab2, 'bob', 'bob123');
      await part(tab1, 'input').waitFor({ state: 'visible', timeout: 30_000 });
      await sendText(tab1, 'Bob from tab 1');
      const bobConversation = await sentIn(tab1, 'Bob from tab 1');
      assert.notEqual(bobConversation, carolConversation);
      assert.ok(
        !(await shownMessages(tab1)).some((m) => /carol/i.test(m.text)),
        "tab 1 shows nothing of carol's once bob signed in",
      );
      const carolToken = await loginToken(url, 'carol', 'carol123');
      const bobToken = await loginToken(url, 'bob', 'bob123');
      assert.deepEqual(await storedUserTexts(url, carolToken, carolConversation), ['carol: Carol in tab 1']);
      await eventually(
        "tab 1's message to be stored as bob's, in bob's conversation",
        () => storedUserTexts(url, bobToken, bobConversation),
        (texts) => texts.includes('bob: Bob from tab 1'),
      );
    } finally {
      await context.close();
    }
  },
);

test(
  'a keyboard user signing in lands in the composer, and Escape takes them back to the launcher',
  { timeout: 120_000 },
  async () => {
    const context = await scenario.browser.newContext();
    try {
      const page = await openPage(context, scenario.server.url);
      await part(page, 'launcher').focus();
      await page.keyboard.press('Enter');
      await eventually(
        'the username field to have the focus',
        () => focusedInWidget(page),
        (f) => f === 'username',
      );
      await page.keyboard.type('alice');
      await page.keyboard.press('Tab');
      await page.keyboard.type('alice123');
      await page.keyboard.press('Enter');
      await part(page, 'input').waitFor({ state: 'visible', timeout: 30_000 });
      await eventually(
        'the composer to have the focus',
        () => focusedInWidget(page),
        (f) => f === 'input',
      );
      await page.keyboard.press('Escape');
      await part(page, 'panel').waitFor({ state: 'hidden', timeout: 10_000 });
      assert.equal(await focusedInWidget(page), 'launcher');
    } finally {
      await context.close();
    }
  },
);
