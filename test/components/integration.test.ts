/**
 * <parley-chat> with the real ChatClient against the protocol fake (test/support/mock-server.ts).
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../components/elements.js';
import type { ParleyChat } from '../../components/elements.js';
import { startMockServer, type MockServer } from '../support/mock-server.js';
import { $, animationsDone, bubbles, signIn, until } from './support/helpers.js';

describe('<parley-chat> with the real client against the protocol fake', () => {
  let server: MockServer;
  const elements: ParleyChat[] = [];
  beforeEach(async () => {
    localStorage.clear();
    server = await startMockServer({ profile: 'reference' });
  });
  afterEach(async () => {
    for (const el of elements.splice(0)) {
      await el.logout().catch(() => {});
      el.client?.destroy();
      el.remove();
    }
    await server.stop();
    localStorage.clear();
  });

  async function mount(session: 'memory' | 'local' = 'memory'): Promise<ParleyChat> {
    const el = await fixture<ParleyChat>(
      html`<parley-chat open api-url=${server.url} session=${session} bot-name="CRM Assistant"></parley-chat>`,
    );
    elements.push(el);
    return el;
  }

  it('signs in with the form, sends a pending bubble that becomes sent, and the bot reply appears', async () => {
    const el = await mount();
    await signIn(el);
    const input = $<HTMLTextAreaElement>(el.shadowRoot!, '[part="input"]');
    input.value = 'hello';
    const changed = oneEvent(el, 'parley-conversation-change');
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await until(el, (r) => bubbles(r).some((b) => b.dataset.type === 'user'));
    expect((await changed).detail.conversationId).to.be.a('string');
    await until(el, (r) => bubbles(r).some((b) => b.dataset.type === 'user' && b.dataset.status !== 'pending'));
    await until(el, (r) => bubbles(r).some((b) => b.dataset.type === 'bot' && b.textContent!.includes('Hello!')));
    expect(bubbles(el.shadowRoot!).filter((b) => b.dataset.type === 'user')).to.have.length(1);
    // The first message created the conversation over REST; the socket to it opens after.
    await until(el, () => el.connectionState === 'open');
  });

  it("shows another user's typing by name and clears it", async () => {
    const el = await mount();
    await signIn(el);
    await el.send('hi');
    await until(el, (r) => $(r, '[part="status"]').dataset.state === 'open');
    // The bot types before it answers: once its reply is shown, its typing is over.
    await until(el, (r) => bubbles(r).some((b) => b.dataset.type === 'bot'));
    const id = el.getConversationId()!;
    server.emitTyping(id, { username: 'bob', isTyping: true });
    await until(el, (r) => $(r, '[part="typing"]').textContent!.includes('is typing'));
    expect($(el.shadowRoot!, '[part="typing"]').textContent).to.match(/Bob/i);
    server.emitTyping(id, { username: 'bob', isTyping: false });
    await until(el, (r) => $(r, '[part="typing"]').textContent!.trim() === '');
  });

  it('the status strip shows reconnecting with a countdown after the socket drops, then connected', async () => {
    const el = await mount();
    await signIn(el);
    await el.send('hi');
    await until(el, (r) => $(r, '[part="status"]').dataset.state === 'open');
    server.closeSockets(1012);
    await until(el, (r) => $(r, '[part="status"]').dataset.state === 'reconnecting');
    expect($(el.shadowRoot!, '[part="status"]').textContent).to.match(/Reconnecting in \d+ s/);
    $(el.shadowRoot!, '[part="retry-now"]').click();
    await until(el, (r) => $(r, '[part="status"]').dataset.state === 'open');
  });

  it('resumes the newest conversation after a reload with session="local"', async () => {
    const first = await mount('local');
    await signIn(first);
    await first.send('remember me');
    await until(first, (r) => bubbles(r).some((b) => b.dataset.type === 'bot'));
    const id = first.getConversationId();
    first.client?.destroy();
    first.remove();
    elements.splice(elements.indexOf(first), 1);
    const changed = new Promise<string | null>((resolve) =>
      document.addEventListener('parley-conversation-change', (e) => resolve(e.detail.conversationId), { once: true }),
    );
    const second = await mount('local');
    expect(await changed).to.equal(id);
    await until(second, (r) => bubbles(r).some((b) => b.textContent!.includes('remember me')));
    expect(second.shadowRoot!.querySelector('form[part="login"]')).to.equal(null);
  });

  it('a failed send shows Retry and one Retry sends once', async () => {
    // No socket: the send goes over REST, where the fake can refuse it for good (a 400).
    server.blockSocket(true);
    const el = await mount();
    await signIn(el);
    const userResponses = () => server.requestsTo('/api/user-response/', 'POST');
    server.failNext(1, 400, {
      match: (_method, path) => path === '/api/user-response/',
      body: { message: ['Invalid message.'] },
    });
    const sent = await el.send('will fail first');
    const own = (r: ShadowRoot) => bubbles(r).filter((b) => b.dataset.type === 'user');
    await until(el, (r) => own(r)[0]?.dataset.status === 'failed');
    const retry = $<HTMLButtonElement>(el.shadowRoot!, '[part="retry"]');
    retry.click();
    retry.click();
    await until(el, (r) => !['pending', 'failed'].includes(own(r)[0]!.dataset.status!));
    expect(userResponses().map((r) => [(r.body as { client_id: string }).client_id, r.status])).to.deep.equal([
      [sent!.clientId, 400],
      [sent!.clientId, 201],
    ]);
    expect(server.messagesOf(el.getConversationId()!).filter((m) => m.type === 'user')).to.have.length(1);
    expect(own(el.shadowRoot!)).to.have.length(1);
    expect(el.shadowRoot!.querySelector('[part="retry"]')).to.equal(null);
  });

  it('10,000 messages on the server keep the DOM bubble count bounded, and scrolling to the top loads older pages', async () => {
    const conversation = server.createConversation('alice');
    for (let i = 0; i < 10_000; i++)
      server.addMessage(conversation.id, { text: `message ${i}`, sender: null }, { broadcast: false });
    const el = await mount();
    await signIn(el);
    const root = el.shadowRoot!;
    await until(el, (r) => bubbles(r).some((b) => b.textContent!.includes('message 9999')));
    const shown = () => bubbles(root).map((b) => Number(/message (\d+)/.exec(b.textContent!)![1]));
    const olderPages = () =>
      server.requests.filter((r) => r.path.endsWith('/messages/') && 'before_seq' in r.query && r.status === 200);
    const pagesAtStart = olderPages().length;
    const log = $(root, '[part="messages"]');
    for (let step = 0; step < 8; step++) {
      const oldest = Math.min(...shown());
      log.scrollTop = 0;
      log.dispatchEvent(new Event('scroll'));
      await until(el, () => Math.min(...shown()) < oldest);
      await el.updateComplete;
      expect(bubbles(root).length).to.be.greaterThan(0).and.lessThan(200);
    }
    expect(olderPages().length - pagesAtStart).to.be.at.least(3);
    expect(Math.min(...shown())).to.be.lessThan(9_999 - 150);
    await until(el, (r) => !r.querySelector('.older'));
    expect(bubbles(root).length).to.be.lessThan(200);
  });

  it('is accessible (axe) signed in against the fake', async () => {
    const el = await mount();
    await signIn(el);
    await el.send('hello');
    await until(el, (r) => bubbles(r).some((b) => b.dataset.type === 'bot'));
    await animationsDone(el);
    await expect(el).to.be.accessible();
  });
});
