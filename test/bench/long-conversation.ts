/**
 * A 10,000-message conversation in `<parley-chat>` (script-tag bundle, Chromium): time to the
 * first bubble, how many bubbles the DOM holds at most while scrolling up through all of it, and
 * the JS heap (after a forced GC) once at the top.
 */
import { openParleyPage } from './browser-page.js';
import { launchChromium, startParley, type Measure } from './support.js';
import type { Row } from './table.js';

const MESSAGES = 10_000;
const SCROLL_BUDGET_MS = 90_000;
const MEASURES = {
  firstRender: '10,000-msg conversation: first render (Chromium)',
  bubbles: '10,000-msg conversation: DOM bubbles, max while scrolling through',
  heap: '10,000-msg conversation: JS heap after scrolling through',
};

/** Message text: plain lines with some Markdown, like a support chat. */
function textFor(seq: number): string {
  if (seq % 10 === 0) return `Order **#${seq}** shipped: see [tracking](https://example.com/t/${seq}).`;
  if (seq % 7 === 0) return `Here is the list for ${seq}:\n- item one\n- item \`two\`\n- item three`;
  return `Message ${seq}: how is my order doing today?`;
}

interface FirstRender {
  ms?: number;
  error?: string;
}

/** In the page: append the element with a host token; time to the first `part="message"`. */
function mountAndTimeFirstBubble(args: {
  apiUrl: string;
  token: string;
  conversationId: string;
}): Promise<FirstRender> {
  return new Promise((resolve) => {
    const el = document.createElement('parley-chat');
    el.apiUrl = args.apiUrl;
    el.session = 'memory';
    el.token = args.token;
    el.conversationId = args.conversationId;
    el.isOpen = true;
    el.style.setProperty('--parley-height', '640px');
    const errors: string[] = [];
    el.addEventListener('parley-error', (e) =>
      errors.push(String((e as CustomEvent<{ error: unknown }>).detail?.error)),
    );
    const started = performance.now();
    document.body.append(el);
    const root = el.shadowRoot;
    if (!root) {
      resolve({ error: 'the element has no open shadow root' });
      return;
    }
    const timer = setTimeout(() => {
      observer.disconnect();
      resolve({ error: `no message bubble within 20 s${errors.length ? `: ${errors.join('; ')}` : ''}` });
    }, 20_000);
    const observer = new MutationObserver(() => {
      if (!root.querySelector('[part="message"]')) return;
      const at = performance.now();
      observer.disconnect();
      clearTimeout(timer);
      resolve({ ms: at - started });
    });
    observer.observe(root, { childList: true, subtree: true });
  });
}

interface ScrollResult {
  reachedTop: boolean;
  maxBubbles: number;
  finalBubbles: number;
  held: number;
  steps: number;
  ms: number;
  error?: string;
}

/** In the page: scroll the log to the top again and again until the oldest message is in the DOM. */
async function scrollThrough(args: { total: number; budgetMs: number }): Promise<ScrollResult> {
  const el = document.querySelector('parley-chat') as HTMLElement & {
    client: { messages(): readonly { key: string }[] } | null;
  };
  const root = el.shadowRoot!;
  const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
  const bubbles = () => root.querySelectorAll('[part="message"]');
  const started = performance.now();
  let maxBubbles = bubbles().length;
  let steps = 0;
  let lastSignature = '';
  let stalledSince = performance.now();
  const result = (reachedTop: boolean, error?: string) => ({
    reachedTop,
    maxBubbles,
    finalBubbles: bubbles().length,
    held: el.client?.messages().length ?? -1,
    steps,
    ms: performance.now() - started,
    ...(error ? { error } : {}),
  });
  while (performance.now() - started < args.budgetMs) {
    const log = root.querySelector<HTMLElement>('[part="messages"]');
    if (!log)
      return {
        reachedTop: false,
        maxBubbles,
        finalBubbles: 0,
        held: 0,
        steps,
        ms: 0,
        error: 'no [part="messages"] log',
      };
    const held = el.client?.messages() ?? [];
    if (held.length >= args.total && bubbles()[0]?.getAttribute('data-key') === held[0]?.key) {
      return result(true);
    }
    if (log.scrollTop === 0) log.dispatchEvent(new Event('scroll'));
    else log.scrollTop = 0;
    steps += 1;
    await frame();
    await frame();
    maxBubbles = Math.max(maxBubbles, bubbles().length);
    const signature = `${bubbles()[0]?.getAttribute('data-key')}|${el.client?.messages().length}`;
    if (signature !== lastSignature) {
      lastSignature = signature;
      stalledSince = performance.now();
    } else if (performance.now() - stalledSince > 10_000) {
      return result(false, `scrolling stalled for 10 s at ${el.client?.messages().length} messages held`);
    }
  }
  return result(false, `did not reach the oldest message within ${args.budgetMs / 1000} s`);
}

export const longConversation: Measure = {
  name: 'long-conversation',
  timeoutMs: 180_000,
  rows: [
    { measure: MEASURES.firstRender, goal: 'reported' },
    { measure: MEASURES.bubbles, goal: '< 200' },
    { measure: MEASURES.heap, goal: 'reported' },
  ],
  async run(ctx): Promise<Row[]> {
    const { servers, users } = await startParley(ctx, { users: 2 });
    const server = servers[0]!;
    const [viewer, other] = users as [(typeof users)[0], (typeof users)[0]];
    const conversation = await viewer.api<{ id: string }>('POST', '/api/chat/conversations/', { title: 'bench 10k' });
    await viewer.api('POST', `/api/chat/conversations/${conversation.id}/participants/`, { username: other.username });

    // Seeded straight into storage: the measure is the element, not 10,000 REST calls.
    const storage = server.context.storage;
    const ids = await Promise.all([viewer, other].map(async (u) => (await storage.findUserByUsername(u.username))!.id));
    const seedStarted = Date.now();
    let seeded = 0;
    while (seeded < MESSAGES) {
      const n = seeded % 3;
      await storage.insertMessage({
        conversationId: conversation.id,
        senderId: n === 2 ? null : ids[n]!,
        type: n === 2 ? 'bot' : 'user',
        text: textFor(seeded + 1),
      });
      seeded += 1;
    }
    ctx.log(`seeded ${MESSAGES} messages in ${Date.now() - seedStarted} ms`);

    const browser = await launchChromium(ctx);
    const page = await openParleyPage(ctx, browser, server.url);
    const first = await page.evaluate(mountAndTimeFirstBubble, {
      apiUrl: server.url,
      token: viewer.token,
      conversationId: conversation.id,
    });
    if (first.error || first.ms === undefined) throw new Error(first.error ?? 'no first render time');
    const scroll = await page.evaluate(scrollThrough, { total: MESSAGES, budgetMs: SCROLL_BUDGET_MS });
    ctx.log(`scrolled: ${JSON.stringify(scroll)}`);

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const heapUsed = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value;
    if (heapUsed === undefined) throw new Error('CDP Performance.getMetrics gave no JSHeapUsedSize');

    const scrolled = scroll.reachedTop
      ? `reached the oldest message in ${(scroll.ms / 1000).toFixed(1)} s (${scroll.steps} scroll steps)`
      : `did NOT reach the oldest message: ${scroll.error}`;
    return [
      {
        measure: MEASURES.firstRender,
        parley: first.ms,
        anchor: null,
        unit: 'ms',
        ratio: null,
        goal: 'reported',
        met: null,
        note: `from appending <parley-chat open> (host token, conversation-id, session memory) to the first part="message" in its shadow root: includes the REST page of newest messages and the socket; ${MESSAGES} messages (user, other user, bot; some Markdown) seeded into SQLite directly`,
      },
      {
        measure: MEASURES.bubbles,
        parley: scroll.maxBubbles,
        anchor: null,
        unit: 'bubbles',
        ratio: null,
        goal: '< 200',
        met: scroll.reachedTop && scroll.maxBubbles < 200,
        note: `largest count of part="message" in the shadow root while scrolling the log to the top repeatedly; ${scrolled}; client held ${scroll.held} messages, DOM ${scroll.finalBubbles} bubbles at the end`,
      },
      {
        measure: MEASURES.heap,
        parley: heapUsed / 1024 / 1024,
        anchor: null,
        unit: 'MiB',
        ratio: null,
        goal: 'reported',
        met: null,
        note: 'CDP Performance.getMetrics JSHeapUsedSize after HeapProfiler.collectGarbage, the whole page (Lit, client, store of every message loaded)',
      },
    ];
  },
};
