/**
 * One connection per browser (issue 15), tabs of one Chromium context running the script-tag
 * bundle's ChatClient, signed in as one user through the shared `localStorage` session:
 * - sockets open on the server for N = 1, 4, 8 tabs, beside the same tabs with `tabs: false`
 *   (one socket per tab, as before);
 * - handoff: from closing the leader tab to the new leader's socket past its `hello`;
 * - send -> ack from a follower tab (handed to the leader over the BroadcastChannel) beside the
 *   leader's own, alternating one send each.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { openBrowserContext, openParleyTab } from './browser-page.js';
import {
  BENCH_PASSWORD,
  checkAborted,
  launchChromium,
  percentile,
  startParley,
  waitFor,
  type BenchContext,
  type Measure,
} from './support.js';
import type { Row } from './table.js';

const TAB_COUNTS = [1, 4, 8];
const HANDOFFS = 5;
const SAMPLES = 100;

interface TabClient {
  tabRole: string;
  state: { status: string };
  login(username: string, password: string): Promise<unknown>;
  connect(conversationId: string): Promise<void>;
  send(text: string): Promise<{ clientId: string | null }>;
  on(event: string, listener: (payload: { clientId?: string | null; status: string }) => void): () => void;
}
type TabWindow = Window & {
  Parley: { ChatClient: new (o: object) => TabClient; localStorageCredentials(): unknown };
  client: TabClient;
  openAt?: number;
};

/** Opens a tab with a client of the signed-in user following `conversationId` (`login` on the first tab). */
async function openTab(
  context: BrowserContext,
  url: string,
  args: { username: string; conversationId: string; tabs: boolean; login: boolean },
): Promise<Page> {
  const page = await openParleyTab(context, url);
  await page.evaluate(
    async ({ apiUrl, username, password, conversationId, tabs, login }) => {
      const w = window as unknown as TabWindow;
      w.client = new w.Parley.ChatClient({ apiUrl, credentials: w.Parley.localStorageCredentials(), tabs });
      // The moment this tab's client is the leader with its socket past `hello`.
      w.client.on('state', (s) => {
        if (s.status === 'open' && w.client.tabRole === 'leader') w.openAt ??= Date.now();
      });
      if (login) await w.client.login(username, password);
      await w.client.connect(conversationId);
    },
    { apiUrl: url, password: BENCH_PASSWORD, ...args },
  );
  return page;
}

const role = (page: Page): Promise<string> => page.evaluate(() => (window as unknown as TabWindow).client.tabRole);
const isOpen = (page: Page): Promise<boolean> =>
  page.evaluate(() => (window as unknown as TabWindow).client.state.status === 'open');

async function openSockets(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^parley_open_sockets (\d+)$/m.exec(text)?.[1] ?? NaN);
}

/** Times one send in the page: from `send()` to the message leaving `pending` in that same tab. */
function timedSend(page: Page, text: string): Promise<number> {
  return page.evaluate(async (t) => {
    const client = (window as unknown as TabWindow).client;
    const started = performance.now();
    let settled: (() => void) | null = null;
    let key: string | null = null;
    const done = new Promise<void>((resolve) => (settled = resolve));
    const off = client.on('message-status', (s) => {
      if (s.clientId && s.clientId === key && s.status !== 'pending') settled?.();
    });
    const bubble = await client.send(t);
    key = bubble.clientId;
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no ack in 5 s')), 5000));
    await Promise.race([done, timeout]).finally(off);
    return performance.now() - started;
  }, text);
}

export const tabsBench: Measure = {
  name: 'tabs',
  timeoutMs: 240_000,
  rows: [
    ...TAB_COUNTS.map((n) => ({ measure: `sockets on the server, ${n} tab${n > 1 ? 's' : ''}`, goal: '1' })),
    { measure: 'tab handoff: leader closed -> new socket past hello, p50', goal: '<= 1000 ms' },
    { measure: 'tab handoff: leader closed -> new socket past hello, max', goal: '<= 1000 ms' },
    { measure: 'send->ack p50, follower tab vs leader tab', goal: '<= 1.5x' },
  ],
  async run(ctx: BenchContext): Promise<Row[]> {
    const { servers, users } = await startParley(ctx, { users: 1 });
    const url = servers[0]!.url;
    const user = users[0]!;
    const { id: conversationId } = await user.api<{ id: string }>('POST', '/api/chat/conversations/', {
      title: 'bench tabs',
    });
    const browser = await launchChromium(ctx);
    const out: Row[] = [];
    const tabsOf = async (n: number, tabs: boolean): Promise<{ context: BrowserContext; pages: Page[] }> => {
      const context = await openBrowserContext(ctx, browser);
      const pages: Page[] = [];
      for (let i = 0; i < n; i++) {
        checkAborted(ctx);
        pages.push(await openTab(context, url, { username: user.username, conversationId, tabs, login: i === 0 }));
      }
      await waitFor(ctx, 'every tab open', async () => (await Promise.all(pages.map(isOpen))).every(Boolean), 30_000);
      return { context, pages };
    };

    for (const n of TAB_COUNTS) {
      const counts: number[] = [];
      for (const tabs of [true, false]) {
        const before = await openSockets(url);
        const { context, pages } = await tabsOf(n, tabs);
        if (tabs)
          await waitFor(ctx, 'one leader', async () => (await Promise.all(pages.map(role))).includes('leader'), 10_000);
        counts.push((await openSockets(url)) - before);
        await context.close();
        await waitFor(ctx, 'the sockets to close', async () => (await openSockets(url)) === before, 10_000);
      }
      const [linked, alone] = counts as [number, number];
      out.push({
        measure: `sockets on the server, ${n} tab${n > 1 ? 's' : ''}`,
        parley: linked,
        anchor: alone,
        unit: 'sockets',
        ratio: linked / alone,
        goal: '1',
        met: linked === 1,
        ...(n === 1
          ? {
              note: "the server's parley_open_sockets gauge (/metrics) once every tab is open; anchor = the same tabs with `tabs: false` (one socket per tab, as before issue 15)",
            }
          : {}),
      });
    }

    // Handoff: four tabs; close the leader, time until another tab's socket is past its hello.
    const { context, pages } = await tabsOf(4, true);
    const handoffs: number[] = [];
    for (let i = 0; i < HANDOFFS; i++) {
      checkAborted(ctx);
      const roles = await Promise.all(pages.map(role));
      const leader = pages[roles.indexOf('leader')]!;
      const rest = pages.filter((p) => p !== leader);
      await Promise.all(rest.map((p) => p.evaluate(() => delete (window as unknown as TabWindow).openAt)));
      const closedAt = Date.now();
      await leader.close();
      let openAt = 0;
      await waitFor(
        ctx,
        'a new leader past hello',
        async () => {
          const times = await Promise.all(
            rest.map((p) => p.evaluate(() => (window as unknown as TabWindow).openAt ?? 0)),
          );
          openAt = Math.max(...times);
          return openAt > 0;
        },
        10_000,
        5,
      );
      handoffs.push(openAt - closedAt);
      pages.splice(pages.indexOf(leader), 1);
      pages.push(await openTab(context, url, { username: user.username, conversationId, tabs: true, login: false }));
    }
    const handoffNote = `${HANDOFFS} handoffs among 4 tabs (a new tab opened after each); from page.close() of the leader to the new leader's state 'open' (its socket's hello), same clock`;
    for (const [label, value] of [
      ['p50', percentile(handoffs, 0.5)],
      ['max', Math.max(...handoffs)],
    ] as const)
      out.push({
        measure: `tab handoff: leader closed -> new socket past hello, ${label}`,
        parley: value,
        anchor: null,
        unit: 'ms',
        ratio: null,
        goal: '<= 1000 ms',
        met: value <= 1000,
        ...(label === 'p50' ? { note: handoffNote } : {}),
      });

    // Send -> ack: a follower's send (outbox write, BroadcastChannel to the leader, socket) beside the leader's.
    const roles = await Promise.all(pages.map(role));
    const leader = pages[roles.indexOf('leader')]!;
    const follower = pages[roles.indexOf('follower')]!;
    const fromLeader: number[] = [];
    const fromFollower: number[] = [];
    for (let i = 0; i < SAMPLES + 10; i++) {
      checkAborted(ctx);
      const l = await timedSend(leader, `leader ${i}`);
      const f = await timedSend(follower, `follower ${i}`);
      if (i >= 10) {
        fromLeader.push(l);
        fromFollower.push(f);
      }
    }
    const f50 = percentile(fromFollower, 0.5);
    const l50 = percentile(fromLeader, 0.5);
    out.push({
      measure: 'send->ack p50, follower tab vs leader tab',
      parley: f50,
      anchor: l50,
      unit: 'ms',
      ratio: f50 / l50,
      goal: '<= 1.5x',
      met: f50 / l50 <= 1.5,
      note: `${SAMPLES} sends each after 10 warm-up, alternating, one in flight; from send() to the message leaving 'pending' in the sending tab (p99 follower ${percentile(fromFollower, 0.99).toFixed(1)} ms, leader ${percentile(fromLeader, 0.99).toFixed(1)} ms)`,
    });
    return out;
  },
};
