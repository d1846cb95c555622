/**
 * Outbox: in Chromium, the real ChatClient (script-tag bundle, IndexedDB outbox) loses its network
 * (every TCP connection to the server reset by a proxy, new ones refused), queues 1,000 sends,
 * gets the network back, and flushes. Reported: the flush time (reconnect to the last message
 * acknowledged), then what the server stored: lost, duplicated, out of order.
 */
import { openParleyPage } from './browser-page.js';
import { BENCH_PASSWORD, launchChromium, startParley, startTcpProxy, type Measure } from './support.js';
import type { Row } from './table.js';

const COUNT = 1000;
const MEASURES = {
  time: 'outbox: flush 1,000 queued sends after reconnect (Chromium)',
  integrity: 'outbox: lost + duplicated of 1,000 (server)',
};

interface PageClient {
  login(username: string, password: string): Promise<unknown>;
  connect(conversationId: string): Promise<void>;
  isConnected(): boolean;
  retryNow(): void;
  outboxSize(): Promise<number>;
  send(text: string): Promise<{ clientId: string | null }>;
  messages(): readonly { clientId: string | null; status: string; text: string }[];
  on(
    event: string,
    listener: (payload: { clientId?: string | null; status?: string; failure?: { reason: string } }) => void,
  ): () => void;
  destroy(): void;
}
type BenchWindow = Window & {
  Parley: { ChatClient: new (o: { apiUrl: string }) => PageClient };
  benchClient?: PageClient;
  benchSettled?: Map<string, { at: number; status: string; reason?: string }>;
};

async function waitInPage(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const outboxFlush: Measure = {
  name: 'outbox-flush',
  timeoutMs: 150_000,
  rows: [
    { measure: MEASURES.time, goal: 'reported' },
    { measure: MEASURES.integrity, goal: '0 lost, 0 duplicated' },
  ],
  async run(ctx): Promise<Row[]> {
    const { servers, users } = await startParley(ctx, { users: 1 });
    const server = servers[0]!;
    const user = users[0]!;
    const conversation = await user.api<{ id: string }>('POST', '/api/chat/conversations/', { title: 'bench outbox' });
    // The page, its REST calls and its socket all go through this proxy: cutting it is the outage.
    const proxy = await startTcpProxy(ctx, server.port);
    const browser = await launchChromium(ctx);
    const page = await openParleyPage(ctx, browser, proxy.url);
    let socketSends = 0;
    let restSends = 0;
    page.on('websocket', (ws) =>
      ws.on(
        'framesent',
        (frame) => typeof frame.payload === 'string' && frame.payload.includes('"type":"message"') && socketSends++,
      ),
    );
    page.on(
      'request',
      (request) => request.method() === 'POST' && request.url().includes('/api/user-response/') && restSends++,
    );

    // 1. Signed in, connected.
    await page.evaluate(
      async ({ apiUrl, username, password, conversationId }) => {
        const w = window as unknown as BenchWindow;
        const client = new w.Parley.ChatClient({ apiUrl });
        w.benchClient = client;
        const settled = new Map<string, { at: number; status: string; reason?: string }>();
        w.benchSettled = settled;
        client.on('message-status', (change) => {
          if (!change.clientId || change.status === 'pending' || settled.has(change.clientId)) return;
          settled.set(change.clientId, {
            at: performance.now(),
            status: change.status!,
            reason: change.failure?.reason,
          });
        });
        await client.login(username, password);
        await client.connect(conversationId);
      },
      { apiUrl: proxy.url, username: user.username, password: BENCH_PASSWORD, conversationId: conversation.id },
    );
    await waitInPage(
      'the client socket to open',
      () => page.evaluate(() => (window as unknown as BenchWindow).benchClient!.isConnected()),
      15_000,
    );

    // 2. Network down: the open socket reset, no new connection, no fetch.
    proxy.cut();
    await waitInPage(
      'the client to notice the drop',
      () => page.evaluate(() => !(window as unknown as BenchWindow).benchClient!.isConnected()),
      15_000,
    );

    // 3. Queue COUNT sends (each resolves once durably queued).
    const queued = await page.evaluate(async (count) => {
      const client = (window as unknown as BenchWindow).benchClient!;
      const started = performance.now();
      for (let n = 0; n < count; n++) await client.send(`outbox ${n}`);
      return { ms: performance.now() - started, outbox: await client.outboxSize() };
    }, COUNT);
    ctx.log(`queued ${COUNT} sends offline in ${queued.ms.toFixed(0)} ms; outbox holds ${queued.outbox}`);

    // 4. Network back; time until every send is acknowledged.
    proxy.restore();
    socketSends = 0;
    restSends = 0;
    const flushed = await page.evaluate(
      async ({ count, budgetMs }) => {
        const w = window as unknown as BenchWindow;
        const client = w.benchClient!;
        const settled = w.benchSettled!;
        const started = performance.now();
        client.retryNow();
        const ids = client
          .messages()
          .filter((m) => m.text.startsWith('outbox '))
          .map((m) => m.clientId!);
        while (performance.now() - started < budgetMs) {
          const done = ids.filter((id) => settled.has(id));
          if (done.length === count) {
            const last = Math.max(...done.map((id) => settled.get(id)!.at));
            const failed = done.filter((id) => settled.get(id)!.status === 'failed');
            return {
              ms: last - started,
              acked: done.length - failed.length,
              failed: failed.length,
              tracked: ids.length,
              outbox: await client.outboxSize(),
            };
          }
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        const done = ids.filter((id) => settled.has(id)).length;
        return {
          ms: performance.now() - started,
          acked: done,
          failed: 0,
          tracked: ids.length,
          outbox: await client.outboxSize(),
          timedOut: true,
        };
      },
      { count: COUNT, budgetMs: 90_000 },
    );
    ctx.log(`flush: ${JSON.stringify(flushed)}`);
    if ('timedOut' in flushed) {
      throw new Error(
        `flush incomplete after 90 s: ${flushed.acked} of ${COUNT} acknowledged, outbox still holds ${flushed.outbox}`,
      );
    }

    // 5. What the server stored.
    const stored: { seq: number; text: string; sender: string | null }[] = [];
    for (let after = 0; ;) {
      const page200 = await user.api<{ seq: number; text: string; sender: string | null }[]>(
        'GET',
        `/api/chat/conversations/${conversation.id}/messages/?after_seq=${after}&limit=200`,
      );
      if (page200.length === 0) break;
      stored.push(...page200);
      after = page200[page200.length - 1]!.seq;
    }
    const counts = new Map<number, number>();
    const order: number[] = [];
    for (const m of stored) {
      const match = /^outbox (\d+)$/.exec(m.text);
      if (!match || m.sender !== user.username) continue;
      const n = Number(match[1]);
      counts.set(n, (counts.get(n) ?? 0) + 1);
      order.push(n);
    }
    let lost = 0;
    let duplicated = 0;
    for (let n = 0; n < COUNT; n++) {
      const c = counts.get(n) ?? 0;
      if (c === 0) lost += 1;
      else duplicated += c - 1;
    }
    const outOfOrder = order.filter((n, i) => i > 0 && n < order[i - 1]!).length;

    return [
      {
        measure: MEASURES.time,
        parley: flushed.ms,
        anchor: null,
        unit: 'ms',
        ratio: null,
        goal: 'reported',
        met: null,
        note: `from retryNow() with the network back to the last of ${COUNT} sends acknowledged (${flushed.acked} acknowledged, ${flushed.failed} failed); sent ${socketSends} over the socket, ${restSends} over REST; queueing them offline took ${queued.ms.toFixed(0)} ms (IndexedDB); outage = every TCP connection of the page reset by a proxy, new ones refused; bot replies held back`,
      },
      {
        measure: MEASURES.integrity,
        parley: lost + duplicated,
        anchor: null,
        unit: '',
        ratio: null,
        goal: '0 lost, 0 duplicated',
        met: lost === 0 && duplicated === 0,
        note: `server has ${lost} lost, ${duplicated} duplicated, ${outOfOrder} out of order (by seq) among ${COUNT} queued sends; client outbox left ${flushed.outbox}`,
      },
    ];
  },
};
