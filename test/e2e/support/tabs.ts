/** Several tabs of one browser (pages of one context): which one leads, the server's socket count, the badge. */
import type { BrowserContext, Page } from 'playwright-core';
import { clientView, openPage, openPanel, part, signIn } from './browser.js';
import { eventually } from './eventually.js';

/** `leader`, `follower` or `solo`: the tab's part in one connection per browser. */
export async function tabRole(page: Page): Promise<string> {
  return page.evaluate(
    () => (document.querySelector('parley-chat') as unknown as { client?: { tabRole: string } }).client?.tabRole ?? '',
  );
}

/** WebSocket connections open on the server now (its `/metrics` gauge). */
export async function openSockets(baseUrl: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', baseUrl))).text();
  const match = /^parley_open_sockets (\d+)$/m.exec(text);
  if (!match) throw new Error('no parley_open_sockets in /metrics');
  return Number(match[1]);
}

/** The launcher's unread badge: its number, 0 when there is none. */
export async function badge(page: Page): Promise<number> {
  // Read in one go: the badge may go between a count and a read (and a locator read would wait for it).
  const texts = await part(page, 'badge').evaluateAll((nodes) => nodes.map((n) => n.textContent ?? ''));
  return texts.length ? Number(texts[0]) : 0;
}

/**
 * Signs alice in on a first tab, starts a conversation, and opens `count - 1` more tabs that
 * resume it (the sign-in is shared). Resolves with the tabs and the conversation once all are open.
 */
export async function openTabs(
  context: BrowserContext,
  url: string,
  count: number,
  first: (page: Page) => Promise<void>,
): Promise<{ tabs: Page[]; conversationId: string }> {
  const tab = await openPage(context, url);
  await signIn(tab, 'alice', 'alice123');
  await first(tab);
  const conversationId = (await eventually('a conversation', async () => (await clientView(tab)).conversationId))!;
  const tabs = [tab];
  for (let i = 1; i < count; i++) {
    const page = await openPage(context, url);
    tabs.push(page);
  }
  for (const page of tabs) {
    await eventually(
      `every tab to follow ${conversationId}, connected`,
      () => clientView(page),
      (view) => view.conversationId === conversationId && view.state === 'open',
    );
  }
  return { tabs, conversationId };
}

/** The tab that leads now (there must be exactly one). */
export async function leaderOf(tabs: Page[]): Promise<Page> {
  const roles = await eventually(
    'exactly one leader among the tabs',
    () => Promise.all(tabs.map(tabRole)),
    (r) => r.filter((x) => x === 'leader').length === 1 && r.every((x) => x === 'leader' || x === 'follower'),
  );
  return tabs[roles.indexOf('leader')]!;
}

/** Queues messages through the element's public `send()` (each resolves once durably queued). */
export async function queue(page: Page, texts: string[]): Promise<void> {
  await page.evaluate(async (list) => {
    const el = document.querySelector('parley-chat') as unknown as { send(text: string): Promise<unknown> };
    for (const text of list) await el.send(text);
  }, texts);
}

export { openPanel };
