/**
 * Storage that fails (issue 10, scenarios 3 and 5): `localStorage` refused outright or failing on a
 * write, IndexedDB failing to open or to write. The widget goes on in memory for the page, says so
 * once (`parley-storage-unavailable`), and never loses or duplicates a message.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { clientView, openPage, part, sendText, sentIn, shownMessages, signIn } from './support/browser.js';
import { eventually } from './support/eventually.js';
import { loginToken, storedUserTexts } from './support/rest.js';
import { useServerAndBrowser } from './support/scenario.js';

const scenario = useServerAndBrowser();

/** A context whose pages record every `parley-storage-unavailable` and run `breakStorage` first. */
async function contextWith(breakStorage: string): Promise<BrowserContext> {
  const context = await scenario.browser.newContext();
  await context.addInitScript(`
    window.__unavailable = [];
    document.addEventListener('parley-storage-unavailable', (e) => window.__unavailable.push(e.detail.store));
    ${breakStorage}
  `);
  return context;
}

const unavailable = (page: Page): Promise<string[]> =>
  page.evaluate(() => (window as unknown as { __unavailable: string[] }).__unavailable);

/** Sends `text` from the composer and waits until it is stored; returns its conversation. */
async function sendAndWait(page: Page, text: string): Promise<string> {
  await sendText(page, text);
  return sentIn(page, text);
}

async function storedFor(username: string, conversationId: string): Promise<string[]> {
  const { url } = scenario.server;
  return storedUserTexts(url, await loginToken(url, username, `${username}123`), conversationId);
}

test('with localStorage refused (a sandboxed iframe), alice still signs in and chats, told once', async () => {
  const context = await contextWith(`
    Object.defineProperty(window, 'localStorage', {
      configurable: true,
      get() { throw new DOMException('The operation is insecure.', 'SecurityError'); },
    });
  `);
  try {
    const page = await openPage(context, scenario.server.url);
    await signIn(page, 'alice', 'alice123');
    const conversation = await sendAndWait(page, 'Hello without storage');
    await eventually(
      'the bot to answer',
      () => shownMessages(page),
      (shown) => shown.some((m) => m.type === 'bot'),
    );
    assert.deepEqual(await unavailable(page), ['credentials']);
    assert.deepEqual(await storedFor('alice', conversation), ['alice: Hello without storage']);
  } finally {
    await context.close();
  }
});

test('when saving the session fails after a refresh, the next refresh uses the new refresh token, not the stale stored one', async () => {
  const context = await contextWith(`
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key, value) {
      if (window.__failWrites) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return setItem.call(this, key, value);
    };
  `);
  try {
    const page = await openPage(context, scenario.server.url);
    await signIn(page, 'bob', 'bob123');
    const refreshedWith: string[] = [];
    await page.route('**/api/auth/refresh', (route) => {
      refreshedWith.push(String((route.request().postDataJSON() as { refresh?: unknown } | null)?.refresh));
      return route.continue();
    });
    await page.evaluate(() => ((window as unknown as { __failWrites: boolean }).__failWrites = true));
    // Twice: the access token is refused once (as when it expires), so the client refreshes.
    for (let i = 0; i < 2; i++) {
      await page.route(
        '**/api/auth/me',
        (route) => route.fulfill({ status: 401, json: { detail: 'Token expired', code: 'token_not_valid' } }),
        { times: 1 },
      );
      await page.evaluate(() =>
        (document.querySelector('parley-chat') as unknown as { client: { me(): Promise<unknown> } }).client.me(),
      );
    }
    assert.equal(refreshedWith.length, 2);
    assert.notEqual(refreshedWith[1], refreshedWith[0], 'the rotated refresh token was used, not the stale one');
    assert.deepEqual(await unavailable(page), ['credentials']);
    const conversation = await sendAndWait(page, 'Still signed in after two refreshes');
    assert.ok((await storedFor('bob', conversation)).includes('bob: Still signed in after two refreshes'));
  } finally {
    await context.close();
  }
});

for (const [what, breakIdb] of [
  [
    'fails to write',
    `const put = IDBObjectStore.prototype.put;
     IDBObjectStore.prototype.put = function (...args) {
       if (window.__failIdb) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
       return put.apply(this, args);
     };`,
  ],
  [
    'fails to open',
    `IDBFactory.prototype.open = function () {
       const request = {};
       setTimeout(() => {
         request.error = new DOMException('Access to IndexedDB was denied.', 'UnknownError');
         request.onerror?.(new Event('error'));
       });
       return request;
     };
     window.__failIdb = true;`,
  ],
] as const) {
  test(`when IndexedDB ${what}, a message is sent once, the composer does not give it back, and the page is told once`, async () => {
    const context = await contextWith(breakIdb);
    try {
      const page = await openPage(context, scenario.server.url);
      await signIn(page, 'carol', 'carol123');
      await page.evaluate(() => ((window as unknown as { __failIdb: boolean }).__failIdb = true));
      const text = `Only once (IndexedDB ${what})`;
      const conversation = await sendAndWait(page, text);
      assert.equal(await part(page, 'input').inputValue(), '', 'the composer did not give the text back');
      // A barrier: a later send is stored after the first, so anything left to send has gone by then.
      await sendAndWait(page, `After (IndexedDB ${what})`);
      const stored = await eventually(
        'both messages stored',
        () => storedFor('carol', conversation),
        (texts) => texts.includes(`carol: After (IndexedDB ${what})`),
      );
      assert.equal(stored.filter((t) => t === `carol: ${text}`).length, 1, `stored once: ${JSON.stringify(stored)}`);
      assert.deepEqual(await unavailable(page), ['outbox']);
      assert.equal((await clientView(page)).outbox, 0);
    } finally {
      await context.close();
    }
  });
}
