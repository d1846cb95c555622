/**
 * The socket's auth and error frames (issue 10, scenarios 9 and 10): a 4001 is answered with a new
 * ticket, not a rotated refresh token; a fixed host token gets the one reconnect PROTOCOL §4 asks
 * for; an `error` frame fails only the send it names. Faults are made by proxying the chat socket
 * (Playwright's `routeWebSocket`) to the real server and closing or injecting what a server may send.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  clientView,
  openPage,
  openPanel,
  part,
  sendText,
  shownMessages,
  sentIn,
  signIn,
  signInForm,
  storedSession,
} from './support/browser.js';
import { eventually } from './support/eventually.js';
import { createConversation, login, storedUserTexts } from './support/rest.js';
import { useServerAndBrowser } from './support/scenario.js';

const scenario = useServerAndBrowser();

test('a socket closed with 4001 (a spent ticket) reconnects with a new ticket and keeps the refresh token', async () => {
  const context = await scenario.browser.newContext();
  try {
    let sockets = 0;
    await context.routeWebSocket(/\/ws\/chat\//, (ws) => {
      if (++sockets === 1) return void ws.close({ code: 4001, reason: 'ticket spent' });
      ws.connectToServer();
    });
    let refreshes = 0;
    await context.route('**/api/auth/refresh', (route) => {
      refreshes++;
      return route.continue();
    });
    const page = await openPage(context, scenario.server.url);
    await signIn(page, 'alice', 'alice123');
    const refreshAtSignIn = (await storedSession(page))?.refresh;
    await sendText(page, 'Hello');
    await sentIn(page, 'Hello');
    await eventually(
      'the socket to be open after the 4001',
      () => clientView(page),
      (v) => v.socketOpen,
    );
    assert.equal(sockets, 2);
    assert.equal(refreshes, 0, 'no refresh: a spent ticket is not an expired token');
    assert.equal((await storedSession(page))?.refresh, refreshAtSignIn);
  } finally {
    await context.close();
  }
});

test('with a fixed host token, the first 4001 reconnects instead of ending the session', async () => {
  const context = await scenario.browser.newContext();
  try {
    const { url } = scenario.server;
    const { token } = await login(url, 'bob', 'bob123');
    const conversation = await createConversation(url, token);
    let sockets = 0;
    await context.routeWebSocket(/\/ws\/chat\//, (ws) => {
      if (++sockets === 1) return void ws.close({ code: 4001, reason: 'ticket spent' });
      ws.connectToServer();
    });
    const page = await openPage(context, url);
    await page.evaluate(
      (t) => ((document.querySelector('parley-chat') as unknown as { token: string }).token = t),
      token,
    );
    await openPanel(page);
    await part(page, 'input').waitFor({ state: 'visible', timeout: 30_000 });
    await eventually(
      'the socket to be open after the 4001',
      () => clientView(page),
      (v) => v.socketOpen,
    );
    assert.equal(sockets, 2);
    assert.equal(await signInForm(page).isVisible(), false, 'the session did not end');
    await sendText(page, 'With a host token');
    assert.equal(await sentIn(page, 'With a host token'), String(conversation.id));
    assert.deepEqual(await storedUserTexts(url, token, String(conversation.id)), ['bob: With a host token']);
  } finally {
    await context.close();
  }
});

test('an error frame about something else leaves the send in flight alone; one naming a send fails only that one', async () => {
  const context = await scenario.browser.newContext();
  try {
    await context.routeWebSocket(/\/ws\/chat\//, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((data) => {
        const frame = JSON.parse(String(data)) as { type: string; text?: string; client_id?: string };
        if (frame.type === 'message' && frame.text === 'Keep me') {
          // As a refused typing frame would answer, just before the server's ack of this send.
          ws.send(
            JSON.stringify({ type: 'error', code: 'invalid_message', message: 'is_typing must be true or false.' }),
          );
        }
        if (frame.type === 'message' && frame.text === 'Refuse me') {
          ws.send(
            JSON.stringify({ type: 'error', code: 'invalid_message', message: 'Refused', client_id: frame.client_id }),
          );
          return;
        }
        server.send(data);
      });
    });
    const page = await openPage(context, scenario.server.url);
    await signIn(page, 'carol', 'carol123');
    await sendText(page, 'Opening');
    const conversation = await sentIn(page, 'Opening');
    await eventually(
      'the socket to be open',
      () => clientView(page),
      (v) => v.socketOpen,
    );

    await sendText(page, 'Keep me');
    await sentIn(page, 'Keep me');
    await eventually(
      'the outbox to be empty',
      () => clientView(page),
      (v) => v.outbox === 0,
    );

    await sendText(page, 'Refuse me');
    await sendText(page, 'Next one');
    await sentIn(page, 'Next one');
    await eventually(
      '"Refuse me" to be shown failed',
      () => shownMessages(page),
      (shown) => shown.some((m) => m.text === 'Refuse me' && m.status === 'failed'),
    );
    const shown = await shownMessages(page);
    assert.equal(shown.filter((m) => m.text === 'Keep me').length, 1);
    assert.equal(shown.find((m) => m.text === 'Keep me')?.status, 'sent');
    const { token } = await login(scenario.server.url, 'carol', 'carol123');
    assert.deepEqual(await storedUserTexts(scenario.server.url, token, conversation), [
      'carol: Opening',
      'carol: Keep me',
      'carol: Next one',
    ]);
  } finally {
    await context.close();
  }
});
