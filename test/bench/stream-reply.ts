/**
 * Streamed bot replies (issue 11) as a user sees them in `<parley-chat>` (script-tag bundle,
 * Chromium): from sending "help" to the first visible text of the bot's bubble, and to the whole
 * reply visible. Two reference servers in the same run, each with the default 400 ms bot delay and
 * the same generation speed (the rule-based bot at its default 40 words a second, standing in for a
 * model): Parley's streaming bot shows each word as it is generated; the anchor, today's bot,
 * shows the reply in one piece once all of it is generated (the same chunks, collected first).
 * Rounds alternate between the two pages so machine noise falls on both alike.
 */
import type { Page } from 'playwright-core';
import { openParleyPage } from './browser-page.js';
import { checkAborted, launchChromium, percentile, startParley, type BenchContext, type Measure } from './support.js';
import type { Row } from './table.js';

const ROUNDS = 12;
/** The default bot delay of `createServer` (the "thinking" pause before a reply starts). */
const BOT_DELAY_MS = 400;
const QUESTION = 'help';
const MEASURES = {
  first: 'streamed reply: first visible text after send, p50 (Chromium)',
  whole: 'streamed reply: whole reply visible after send, p50 (Chromium)',
};

interface Timed {
  first?: number;
  whole?: number;
  error?: string;
}

/** In the page: mount the element for a host token and conversation; resolves once the composer shows. */
function mount(args: { apiUrl: string; token: string; conversationId: string }): Promise<string | null> {
  return new Promise((resolve) => {
    const el = document.createElement('parley-chat');
    el.apiUrl = args.apiUrl;
    el.session = 'memory';
    el.token = args.token;
    el.conversationId = args.conversationId;
    el.isOpen = true;
    document.body.append(el);
    const started = performance.now();
    const check = (): void => {
      const ready = el.shadowRoot?.querySelector('[part="input"]') && el.client?.isConnected();
      if (ready) resolve(null);
      else if (performance.now() - started > 20_000) resolve('the composer and socket were not ready within 20 s');
      else setTimeout(check, 20);
    };
    check();
  });
}

/**
 * In the page: sends `text` and watches the new bot bubble on every DOM change: when its body first
 * shows text, and when it first shows as much text as it has once the reply has ended.
 */
function timeReply(args: { text: string }): Promise<Timed> {
  return new Promise((resolve) => {
    const el = document.querySelector('parley-chat') as HTMLElement & {
      send(text: string): Promise<unknown>;
      shadowRoot: ShadowRoot;
    };
    const root = el.shadowRoot;
    const botCount = () => root.querySelectorAll('[part~="message"][data-type="bot"]').length;
    const before = botCount();
    const seen: Array<[number, number]> = [];
    let first: number | undefined;
    const timer = setTimeout(() => {
      observer.disconnect();
      resolve({ error: 'no ended reply within 20 s' });
    }, 20_000);
    const observer = new MutationObserver(() => {
      const now = performance.now();
      const bots = root.querySelectorAll('[part~="message"][data-type="bot"]');
      if (bots.length <= before) return;
      const bubble = bots[bots.length - 1]!;
      const length = bubble.querySelector('.body')?.textContent?.trim().length ?? 0;
      if (length > 0 && first === undefined) first = now - started;
      if (length !== seen.at(-1)?.[1]) seen.push([now - started, length]);
      const state = bubble.getAttribute('data-stream');
      if (state === 'streaming' || state === null) return;
      observer.disconnect();
      clearTimeout(timer);
      const whole = seen.find(([, n]) => n >= length)?.[0];
      resolve(state === 'complete' ? { first, whole } : { error: `the reply ended ${state}` });
    });
    observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
    const started = performance.now();
    void el.send(args.text);
    if (botCount() > before) resolve({ error: 'a bot bubble appeared before the send' });
  });
}

async function openTimedPage(
  ctx: BenchContext,
  browser: Awaited<ReturnType<typeof launchChromium>>,
  wholeAtOnce: boolean,
): Promise<Page> {
  // Loaded on demand, as the server is: a broken server fails this measure only.
  const { RuleBot, collectReply } = await import('../../demo/server/bot/bot.js');
  const rules = new RuleBot();
  const today = {
    async *reply(input: Parameters<typeof rules.reply>[0]): AsyncIterable<string> {
      yield await collectReply(rules.reply(input));
    },
  };
  const extra = wholeAtOnce ? { bot: today } : {};
  const { servers, users } = await startParley(ctx, { users: 1, botDelayMs: BOT_DELAY_MS, extra });
  const user = users[0]!;
  const conversation = await user.api<{ id: string }>('POST', '/api/chat/conversations/', { title: 'bench stream' });
  const page = await openParleyPage(ctx, browser, servers[0]!.url);
  const error = await page.evaluate(mount, {
    apiUrl: servers[0]!.url,
    token: user.token,
    conversationId: conversation.id,
  });
  if (error) throw new Error(error);
  return page;
}

export const streamReply: Measure = {
  name: 'stream-reply',
  timeoutMs: 150_000,
  rows: [
    { measure: MEASURES.first, goal: '< whole reply of today' },
    { measure: MEASURES.whole, goal: 'reported' },
  ],
  async run(ctx): Promise<Row[]> {
    const browser = await launchChromium(ctx);
    const streaming = await openTimedPage(ctx, browser, false);
    const today = await openTimedPage(ctx, browser, true);
    const samples = { first: [] as number[], whole: [] as number[], today: [] as number[] };
    // One warm-up round each (first render of a bot bubble, the Markdown code paths), then alternate.
    for (let round = -1; round < ROUNDS; round++) {
      checkAborted(ctx);
      const a = await streaming.evaluate(timeReply, { text: QUESTION });
      const b = await today.evaluate(timeReply, { text: QUESTION });
      for (const t of [a, b]) if (t.error || t.first === undefined || t.whole === undefined) throw new Error(t.error);
      if (round < 0) continue;
      samples.first.push(a.first!);
      samples.whole.push(a.whole!);
      samples.today.push(b.whole!);
    }
    const p50 = (values: number[]) => percentile(values, 0.5);
    const todayWhole = p50(samples.today);
    ctx.log(`streaming first ${JSON.stringify(samples.first.map(Math.round))}`);
    ctx.log(`streaming whole ${JSON.stringify(samples.whole.map(Math.round))}`);
    ctx.log(`today whole     ${JSON.stringify(samples.today.map(Math.round))}`);
    const note = `${ROUNDS} rounds of "${QUESTION}" (a 25-word reply), alternating; both servers wait the default ${BOT_DELAY_MS} ms before the bot starts; from el.send() to the DOM change that shows it`;
    return [
      {
        measure: MEASURES.first,
        parley: p50(samples.first),
        anchor: todayWhole,
        unit: 'ms',
        ratio: p50(samples.first) / todayWhole,
        goal: '< whole reply of today',
        met: p50(samples.first) < todayWhole,
        note: `anchor: today's bot (the same generation, shown in one piece once generated), whole reply visible; ${note}`,
      },
      {
        measure: MEASURES.whole,
        parley: p50(samples.whole),
        anchor: todayWhole,
        unit: 'ms',
        ratio: p50(samples.whole) / todayWhole,
        goal: 'reported',
        met: null,
        note: "the last word shows when it is generated, as with today's bot: streaming costs the whole reply nothing",
      },
    ];
  },
};
