/** Chromium (Debian's, through playwright-core) and the widget seen from a test: its parts and its client. */
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
// @ts-expect-error: a plain .mjs helper shared with the test harness, without type declarations.
import { chromiumArgs, requireChromium } from '../../../scripts/chromium.mjs';
import { eventually, type EventuallyOptions } from './eventually.js';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: requireChromium() as string,
    args: chromiumArgs as string[],
    headless: true,
  });
}

/** The page every scenario embeds the widget on: plain HTML with the script tag, served by the server. */
export const EMBED_PATH = '/examples/script-tag.html';

/** A widget part inside the (open) shadow root of `<parley-chat>`. */
export function part(page: Page, name: string): Locator {
  return page.locator(`parley-chat [part~="${name}"]`);
}

export function messages(page: Page, type?: 'user' | 'bot' | 'system'): Locator {
  return page.locator(`parley-chat [part~="message"]${type ? `[data-type="${type}"]` : ''}`);
}

export async function openPage(context: BrowserContext, baseUrl: string, path = EMBED_PATH): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[page error] ${err.message}`));
  await page.goto(new URL(path, baseUrl).href);
  await page.waitForFunction(() => customElements.get('parley-chat') !== undefined);
  return page;
}

/** Opens the panel if it is closed (the launcher toggles it). */
export async function openPanel(page: Page): Promise<void> {
  if (await part(page, 'panel').isVisible()) return;
  await part(page, 'launcher').click();
  await part(page, 'panel').waitFor({ state: 'visible', timeout: 15_000 });
}

/** Signs in through the widget's own form and waits for the composer. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await openPanel(page);
  const form = part(page, 'login');
  await form.locator('input[name="username"]').fill(username);
  await form.locator('input[name="password"]').fill(password);
  await form.locator('input[name="password"]').press('Enter');
  const composer = part(page, 'input');
  const error = form.locator('[role="alert"]');
  await composer.or(error).first().waitFor({ state: 'visible', timeout: 30_000 });
  if (await error.isVisible())
    throw new Error(`sign-in as ${username} failed in the widget: ${await error.innerText()}`);
  await composer.waitFor({ state: 'visible', timeout: 30_000 });
}

/** Types a message in the composer and sends it with Enter, as a user would. */
export async function sendText(page: Page, text: string): Promise<void> {
  const input = part(page, 'input');
  await input.fill(text);
  await input.press('Enter');
}

export interface ShownMessage {
  type: string;
  status: string;
  text: string;
}

/** The bubbles in the DOM, in order, with their text. */
export async function shownMessages(page: Page): Promise<ShownMessage[]> {
  return messages(page).evaluateAll((nodes) =>
    nodes.map((node) => ({
      type: node.getAttribute('data-type') ?? '',
      status: node.getAttribute('data-status') ?? '',
      text: (node.querySelector('.body') ?? node).textContent?.trim() ?? '',
    })),
  );
}

export interface StoreMessage {
  type: string;
  status: string;
  text: string;
  id: string | null;
  seq: number | null;
  clientId: string | null;
}

/** What the widget's client holds for the current conversation: ordered and deduplicated by the client. */
export async function storeMessages(page: Page): Promise<StoreMessage[]> {
  return page.evaluate(() => {
    const el = document.querySelector('parley-chat') as unknown as {
      client?: { messages(): readonly StoreMessage[] };
    };
    return (el.client?.messages() ?? []).map((m) => ({
      type: m.type,
      status: m.status,
      text: m.text,
      id: m.id,
      seq: m.seq,
      clientId: m.clientId,
    }));
  });
}

export interface ClientView {
  state: string;
  transport: string | null;
  conversationId: string | null;
  outbox: number;
  socketOpen: boolean;
}

/** The widget's connection as its public API reports it. */
export async function clientView(page: Page): Promise<ClientView> {
  return page.evaluate(async () => {
    const el = document.querySelector('parley-chat') as unknown as {
      connectionState?: string;
      getConversationId(): string | null;
      client?: {
        state: { status: string };
        transport: string | null;
        outboxSize(): Promise<number>;
        isConnected(): boolean;
      };
    };
    const client = el.client;
    return {
      state: String(el.connectionState ?? client?.state?.status ?? 'none'),
      transport: client?.transport ?? null,
      conversationId: el.getConversationId(),
      outbox: client ? await client.outboxSize() : -1,
      socketOpen: client?.isConnected() ?? false,
    };
  });
}

/** Waits until exactly `expected` user bubbles with these texts are shown once each, in this order. */
export async function expectShownOnceInOrder(
  page: Page,
  expected: readonly string[],
  options?: EventuallyOptions,
): Promise<void> {
  await eventually(
    `the user messages ${JSON.stringify(expected.length > 6 ? [...expected.slice(0, 3), '…', ...expected.slice(-2)] : expected)} shown once each, in order, and sent`,
    () => storeMessages(page),
    (store) =>
      onceInOrder(
        store.filter((m) => m.type === 'user' && m.status !== 'pending' && m.status !== 'failed').map((m) => m.text),
        expected,
      ),
    options,
  );
  // The store is what the list renders; the DOM must agree (the list is windowed, so only what is rendered).
  const shown = (await shownMessages(page))
    .filter((m) => m.type === 'user' && expected.includes(m.text))
    .map((m) => m.text);
  const duplicates = shown.filter((text, i) => shown.indexOf(text) !== i);
  if (duplicates.length > 0) throw new Error(`bubbles shown twice: ${JSON.stringify(duplicates)}`);
  const order = shown.map((text) => expected.indexOf(text));
  if (order.some((value, i) => i > 0 && value < order[i - 1]!))
    throw new Error(`bubbles out of order: ${JSON.stringify(shown)}`);
  if (!shown.includes(expected.at(-1)!))
    throw new Error(`the newest message "${expected.at(-1)}" is not rendered: ${JSON.stringify(shown)}`);
}

/** True when each expected text occurs exactly once in `texts` and in that relative order. */
export function onceInOrder(texts: readonly string[], expected: readonly string[]): boolean {
  const positions = expected.map((text) => {
    const first = texts.indexOf(text);
    return first !== -1 && texts.indexOf(text, first + 1) === -1 ? first : -1;
  });
  return positions.every((p, i) => p !== -1 && (i === 0 || p > positions[i - 1]!));
}

/** The sign-in form of the widget. */
export function signInForm(page: Page): Locator {
  return part(page, 'login');
}

/** Signs out with the header's button, as a user would. */
export async function signOut(page: Page): Promise<void> {
  await openPanel(page);
  await part(page, 'sign-out').click();
  await signInForm(page).waitFor({ state: 'visible', timeout: 30_000 });
}

/** What `localStorage` holds for the built-in sign-in (`parley:session`), or null. */
export async function storedSession(page: Page): Promise<{ token: string; refresh: string; username: string } | null> {
  return page.evaluate(() => JSON.parse(localStorage.getItem('parley:session') ?? 'null'));
}

/** Which element of the widget has the keyboard focus: its `part` or `name`, or null. */
export async function focusedInWidget(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const active = document.querySelector('parley-chat')?.shadowRoot?.activeElement;
    return active ? (active.getAttribute('part') ?? active.getAttribute('name') ?? active.tagName) : null;
  });
}

/** Waits until a user bubble with `text` is stored (neither pending nor failed); returns its conversation. */
export async function sentIn(page: Page, text: string, options?: EventuallyOptions): Promise<string> {
  await eventually(
    `"${text}" to be sent`,
    () => shownMessages(page),
    (shown) => shown.some((m) => m.type === 'user' && m.text === text && !['pending', 'failed'].includes(m.status)),
    options,
  );
  return (await eventually('a conversation', async () => (await clientView(page)).conversationId))!;
}
