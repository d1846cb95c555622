import { expect, oneEvent } from '@open-wc/testing';
import { MessageWindow } from '../../components/chat/message-window.js';
import { FakeClient, makeMessage } from './support/fake-client.js';
import { $, bubbles, mountChat, settle } from './support/helpers.js';

const many = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) =>
    makeMessage({
      text: `message ${from + i}`,
      key: `k${from + i}`,
      createdAt: new Date(Date.UTC(2026, 0, 1) + (from + i) * 61000).toISOString(),
    }),
  );

async function scrollToTop(log: HTMLElement): Promise<void> {
  const scrolled = oneEvent(log, 'scroll');
  log.scrollTop = 0;
  await scrolled;
}

describe('message list windowing', () => {
  it('MessageWindow keeps at most max items and re-anchors on prepends', () => {
    const w = new MessageWindow(120, 40, 50);
    let list = many(1000);
    w.sync(list);
    expect([w.start, w.end]).to.deep.equal([950, 1000]);
    for (let i = 0; i < 5; i++) w.up(list);
    expect(w.end - w.start).to.be.at.most(120);
    expect(w.follow).to.equal(false);
    const firstKey = list[w.start]!.key;
    list = [...many(50, -50), ...list];
    w.sync(list);
    expect(list[w.start]!.key).to.equal(firstKey);
    while (w.down(list));
    expect(w.end).to.equal(list.length);
    expect(w.end - w.start).to.be.at.most(120);
  });

  it('renders 10,000 messages with fewer than 200 bubbles in the DOM, and scrolling up shows older ones', async () => {
    const client = new FakeClient({ authenticated: true, conversationId: '1' });
    client.list = many(10_000);
    const t0 = performance.now();
    const { el, root } = await mountChat(client, { open: true });
    const firstRender = performance.now() - t0;
    const count = bubbles(root).length;
    console.log(`10,000 messages: ${count} bubbles in the DOM, first render ${firstRender.toFixed(1)} ms`);
    expect(count).to.be.greaterThan(0).and.lessThan(200);
    expect(bubbles(root).at(-1)!.textContent).to.contain('message 9999');
    const log = $(root, '[part="messages"]');
    expect(log.scrollTop + log.clientHeight).to.be.closeTo(log.scrollHeight, 2);
    const firstBefore = bubbles(root)[0]!.dataset.key;
    for (let i = 0; i < 6; i++) {
      await scrollToTop(log);
      await settle(el);
      expect(bubbles(root).length).to.be.lessThan(200);
    }
    const firstAfter = bubbles(root)[0]!.dataset.key!;
    expect(Number(firstAfter.slice(1))).to.be.lessThan(Number(firstBefore!.slice(1)));
    // the anchor kept the view off the very top, so the user can keep scrolling up
    expect(log.scrollTop).to.be.greaterThan(0);
  });

  it('scrolling to the top of what is held loads older messages from the client', async () => {
    const client = new FakeClient({ authenticated: true, conversationId: '1' });
    client.older = many(120, 0);
    client.list = many(40, 120);
    const { el, root } = await mountChat(client, { open: true });
    expect(bubbles(root)[0]!.dataset.key).to.equal('k120');
    const log = $(root, '[part="messages"]');
    await scrollToTop(log);
    await settle(el);
    expect(client.calls.filter((c) => c[0] === 'loadOlder')).to.have.length(1);
    const keys = bubbles(root).map((b) => Number(b.dataset.key!.slice(1)));
    expect(Math.min(...keys)).to.be.lessThan(120);
    expect(keys).to.include(120);
  });

  it('shows the loading row only while an older page is being fetched, not at an idle top', async () => {
    const client = new FakeClient({ authenticated: true, conversationId: '1' });
    client.older = many(120, 0);
    client.list = many(300, 120);
    let release!: () => void;
    client.olderGate = new Promise<void>((resolve) => (release = resolve));
    const { el, root } = await mountChat(client, { open: true });
    const log = $(root, '[part="messages"]');
    const loadingRow = () => root.querySelector('.older');
    expect(loadingRow(), 'idle, with older messages held above the window').to.equal(null);
    // Walk up through what is held (no fetch, no row) until the top asks the client for more.
    while (!client.calls.some((c) => c[0] === 'loadOlder')) {
      await scrollToTop(log);
      await settle(el);
      if (!client.calls.some((c) => c[0] === 'loadOlder')) expect(loadingRow()).to.equal(null);
    }
    await settle(el);
    expect(loadingRow()!.textContent).to.contain('Loading earlier messages');
    release();
    await settle(el);
    expect(loadingRow()).to.equal(null);
    expect(bubbles(root).some((b) => Number(b.dataset.key!.slice(1)) < 120)).to.equal(true);
  });

  it('a new message keeps the list at the bottom when the user was there', async () => {
    const client = new FakeClient({ authenticated: true, conversationId: '1' });
    client.list = many(300);
    const { el, root } = await mountChat(client, { open: true });
    client.receive({ text: 'fresh one' });
    await settle(el);
    const log = $(root, '[part="messages"]');
    expect(bubbles(root).at(-1)!.textContent).to.contain('fresh one');
    expect(log.scrollTop + log.clientHeight).to.be.closeTo(log.scrollHeight, 2);
  });
});
