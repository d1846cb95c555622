/** Watching a streamed bot reply in the widget (PROTOCOL §8), and reading it from the server. */
import type { BrowserContext, Page } from 'playwright-core';
import type { Message } from '../../../src/types.js';
import { eventually } from './eventually.js';
import { loginToken, storedMessages } from './rest.js';

/**
 * A user message the rule-based bot answers with its default reply, which quotes it: a reply of
 * about 50 words, long enough to be seen growing (and to be stopped, reloaded, or cut off) at the
 * slow bot speeds these tests start the server with. Plain words: the bubble's text is the reply's.
 */
export const LONG_QUESTION =
  'Tell me everything about alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu';

/** What the newest bot bubble shows: its stream state (`data-stream`), `aria-busy`, and its text. */
export interface BotBubble {
  stream: string | null;
  busy: string | null;
  text: string;
  marked: string | null;
}

/**
 * Lets functions given to `page.evaluate` run: tsx compiles with esbuild's keepNames, whose
 * `__name` helper the page does not have.
 */
export async function allowNamedFunctions(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: 'globalThis.__name = (target) => target;' });
}

export async function lastBotBubble(page: Page): Promise<BotBubble | null> {
  return page.evaluate(() => {
    const root = document.querySelector('parley-chat')?.shadowRoot;
    const bots = root?.querySelectorAll('[part~="message"][data-type="bot"]') ?? [];
    const last = bots[bots.length - 1];
    if (!last) return null;
    return {
      stream: last.getAttribute('data-stream'),
      busy: last.getAttribute('aria-busy'),
      text: last.querySelector('.body')?.textContent?.trim() ?? '',
      marked: last.querySelector('[part~="stream-end"]')?.textContent?.trim() ?? null,
    };
  });
}

/**
 * Records in the page every distinct text length of the newest bot bubble while it is marked
 * streaming (`window.__lengths`), and the live region's every non-empty text (`window.__said`).
 */
export async function watchReply(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __lengths: number[]; __said: string[] };
    w.__lengths = [];
    w.__said = [];
    const root = document.querySelector('parley-chat')!.shadowRoot!;
    const status = root.querySelector('[role="status"]')!;
    new MutationObserver(() => {
      const text = status.textContent?.trim();
      if (text) w.__said.push(text);
    }).observe(status, { subtree: true, childList: true, characterData: true });
    new MutationObserver(() => {
      const bots = root.querySelectorAll('[part~="message"][data-type="bot"]');
      const last = bots[bots.length - 1];
      if (last?.getAttribute('data-stream') !== 'streaming') return;
      const length = last.querySelector('.body')?.textContent?.trim().length ?? 0;
      if (w.__lengths[w.__lengths.length - 1] !== length) w.__lengths.push(length);
    }).observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

export async function watched(page: Page): Promise<{ lengths: number[]; said: string[] }> {
  return page.evaluate(() => {
    const w = window as unknown as { __lengths: number[]; __said: string[] };
    return { lengths: w.__lengths, said: w.__said };
  });
}

/** The newest bot reply as the server stored it (REST, as `username`). */
export async function storedReply(
  baseUrl: string,
  username: string,
  password: string,
  conversationId: string,
): Promise<Message> {
  const token = await loginToken(baseUrl, username, password);
  const bots = (await storedMessages(baseUrl, token, conversationId)).filter((m) => m.type === 'bot');
  const reply = bots.at(-1);
  if (!reply) throw new Error(`no bot reply stored in conversation ${conversationId}`);
  return reply;
}

/** The bot messages the widget's client holds for its conversation. */
export async function storeReplies(
  page: Page,
): Promise<Array<{ id: string | null; text: string; stream: string | null }>> {
  return page.evaluate(() => {
    const el = document.querySelector('parley-chat') as unknown as {
      client?: { messages(): readonly { type: string; id: string | null; text: string; streamState: string | null }[] };
    };
    return (el.client?.messages() ?? [])
      .filter((m) => m.type === 'bot')
      .map((m) => ({ id: m.id, text: m.text, stream: m.streamState }));
  });
}

/** True when `lengths` holds at least `count` distinct non-zero values, each longer than the one before. */
export function grewThrough(lengths: readonly number[], count: number): boolean {
  const seen = lengths.filter((n) => n > 0);
  return seen.length >= count && seen.every((n, i) => i === 0 || n > seen[i - 1]!);
}

/**
 * Records in the page the client's stream events (`window.__ends`: every `message-end`'s message id;
 * `window.__stale`: every `message-delta` whose text `messages()` did not hold when it fired).
 */
export async function watchStreamEvents(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __ends: string[]; __stale: string[] };
    w.__ends = [];
    w.__stale = [];
    type Change = { messageId: string; key: string; text: string };
    const el = document.querySelector('parley-chat') as unknown as {
      client: {
        on(event: string, listener: (change: Change) => void): void;
        messages(): readonly { key: string; text: string }[];
      };
    };
    el.client.on('message-end', (end) => w.__ends.push(end.messageId));
    el.client.on('message-delta', (delta) => {
      const held = el.client.messages().find((m) => m.key === delta.key)?.text;
      if (held !== delta.text) w.__stale.push(`${delta.text.length} held ${held?.length ?? 'none'}`);
    });
  });
}

export async function streamEvents(page: Page): Promise<{ ends: string[]; stale: string[] }> {
  return page.evaluate(() => {
    const w = window as unknown as { __ends: string[]; __stale: string[] };
    return { ends: w.__ends, stale: w.__stale };
  });
}

/** Waits until the newest bot bubble is marked `state` (`complete`, `stopped`, `failed`). */
export function replyEnded(page: Page, state: string, timeout = 60_000): Promise<BotBubble | null> {
  return eventually(
    `the reply to end ${state}`,
    () => lastBotBubble(page),
    (b) => b?.stream === state,
    { timeout },
  );
}

/** Waits until the newest bot bubble is streaming with at least `minLength` characters. */
export function replyStarted(page: Page, minLength = 1): Promise<BotBubble | null> {
  return eventually(
    'the reply to start growing',
    () => lastBotBubble(page),
    (b) => b?.stream === 'streaming' && b.text.length >= minLength,
  );
}
