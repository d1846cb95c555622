/**
 * The seed testing guide's four end-to-end scenarios (../shared/SEED-TESTING-GUIDE.md), in
 * Chromium: <parley-chat> with the real ChatClient against the seed stand-in, which answers as
 * the recorded seed backend does (test/support/seed-*.ts). Each bubble is asserted in order,
 * exactly once in every tab, on the right side (own) or the left (other).
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../components/elements.js';
import type { ParleyChat } from '../../components/elements.js';
import { ChatClient, memoryOutboxStorage } from '../../src/index.js';
import { FAST } from '../support/client-helpers.js';
import { startMockServer, type MockServer } from '../support/mock-server.js';
import { seedBotReply } from '../support/seed-wire.js';
import { $, bubbles, signIn, until } from './support/helpers.js';

/** A bot reply as its bubble's text reads: the markdown list and line breaks become elements. */
const reply = (question: string): string =>
  seedBotReply(question)
    .replace(/\n•\s*/g, '')
    .replace(/\n/g, '');
const GREETING = reply('Hello');

/** What a tab shows: each bubble as `own|other:text`, in order. */
const shown = (el: ParleyChat): string[] =>
  bubbles(el.shadowRoot!).map(
    (b) => `${b.classList.contains('own') ? 'own' : 'other'}:${b.querySelector('.body')?.textContent?.trim() ?? ''}`,
  );

const has = (el: ParleyChat, text: string): boolean => shown(el).some((s) => s.endsWith(`:${text}`));

/** Types into the composer (typing goes out on input) and sends with Enter. */
function type(el: ParleyChat, text: string, send = true): void {
  const input = $<HTMLTextAreaElement>(el.shadowRoot!, '[part="input"]');
  input.value = text;
  input.dispatchEvent(new InputEvent('input', { bubbles: true }));
  if (send) input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
}

describe('the seed guide scenarios against the seed stand-in', () => {
  let server: MockServer;
  const elements: ParleyChat[] = [];
  beforeEach(async () => {
    server = await startMockServer({ profile: 'seed' });
  });
  afterEach(async () => {
    for (const el of elements.splice(0)) {
      el.client?.destroy();
      el.remove();
    }
    await server.stop();
  });

  /** One browser tab: its own client (test timings) and element, signed in as alice. */
  async function tab(): Promise<ParleyChat> {
    const client = new ChatClient({ apiUrl: server.url, storage: memoryOutboxStorage(), timing: FAST });
    const el = await fixture<ParleyChat>(
      html`<parley-chat open session="memory" bot-name="CRM Assistant" .client=${client}></parley-chat>`,
    );
    elements.push(el);
    await signIn(el);
    return el;
  }

  it('1. basic flow: sign in, "Hello" gets the greeting, and the conversation is listed', async () => {
    const el = await tab();
    type(el, 'Hello');
    await until(el, () => has(el, GREETING));
    expect(shown(el)).to.deep.equal(['own:Hello', `other:${GREETING}`]);
    await until(el, () => bubbles(el.shadowRoot!).every((b) => b.dataset.status === 'sent'));
    expect(server.requestsTo('/api/bot-response/')).to.have.length(1);

    $(el.shadowRoot!, '[part="conversations-button"]').click();
    await until(el, (r) => r.querySelectorAll('.conversation').length === 1);
    const item = $(el.shadowRoot!, '.conversation');
    expect(item.textContent).to.contain('Chat with alice');
    expect(item.getAttribute('aria-current')).to.equal('true');
    // The seed cannot create a conversation (405): no button that cannot work.
    expect(el.shadowRoot!.querySelector('[part="new-conversation"]')).to.equal(null);
  });

  it('2. real time: a message and typing from tab 1 show in tab 2, each once, never a tab its own typing', async () => {
    const one = await tab();
    type(one, 'Hello');
    await until(one, () => has(one, GREETING));
    const two = await tab();
    await until(two, () => has(two, GREETING));
    expect(two.getConversationId()).to.equal(one.getConversationId());

    type(one, 'Second message');
    await until(two, () => has(two, reply('Second message')));
    await until(one, () => has(one, reply('Second message')));
    const expected = ['own:Hello', `other:${GREETING}`, 'own:Second message', `other:${reply('Second message')}`];
    expect(shown(one)).to.deep.equal(expected);
    expect(shown(two)).to.deep.equal(expected);

    type(one, 'still typing', false);
    const typingLine = (el: ParleyChat) => $(el.shadowRoot!, '[part="typing"]').textContent!.trim();
    await until(two, () => typingLine(two).includes('alice'));
    // The seed echoed the frame to tab 1's own socket too; a later frame on that socket proves
    // tab 1 has handled the echo, and dropped it.
    server.emitTyping(one.getConversationId()!, { username: 'bob', isTyping: true });
    await until(one, () => typingLine(one).includes('bob'));
    expect(typingLine(one)).to.not.include('alice');
  });

  it('3. WebSocket fallback: with the socket blocked, sends go over HTTP and the bot answers; then the socket is back', async () => {
    server.blockSocket(true);
    const el = await tab();
    type(el, 'Hello');
    await until(el, () => has(el, GREETING));
    await until(el, (r) => $(r, '[part="status"]').dataset.state === 'fallback');
    type(el, 'While blocked');
    await until(el, () => has(el, reply('While blocked')));
    server.blockSocket(false);
    await until(el, (r) => $(r, '[part="status"]').dataset.state === 'open');
    type(el, 'Back on the socket');
    await until(el, () => has(el, reply('Back on the socket')));
    expect(shown(el)).to.deep.equal([
      'own:Hello',
      `other:${GREETING}`,
      'own:While blocked',
      `other:${reply('While blocked')}`,
      'own:Back on the socket',
      `other:${reply('Back on the socket')}`,
    ]);
  });

  it('4. file upload: the seed answers 500, the tab says this server does not accept files, and the chat goes on', async () => {
    const el = await tab();
    type(el, 'Hello');
    await until(el, () => has(el, GREETING));
    const picker = $<HTMLInputElement>(el.shadowRoot!, 'input[type="file"]');
    const files = new DataTransfer();
    files.items.add(new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'pixel.png', { type: 'image/png' }));
    picker.files = files.files;
    picker.dispatchEvent(new Event('change', { bubbles: true }));
    await until(el, (r) => !!r.querySelector('.upload.error'));
    expect($(el.shadowRoot!, '.upload.error').textContent).to.contain('pixel.png: this server does not accept files');
    expect(server.requestsTo('/api/chat/upload/').map((r) => r.status)).to.deep.equal([500]);
    type(el, 'Still here');
    await until(el, () => has(el, reply('Still here')));
    expect(shown(el)).to.deep.equal([
      'own:Hello',
      `other:${GREETING}`,
      'own:Still here',
      `other:${reply('Still here')}`,
    ]);
  });

  it('a seed reply arrives whole: never a Stop button, a busy bubble or a stream event, and one announcement', async () => {
    const el = await tab();
    const streamEvents: string[] = [];
    el.client!.on('message-delta', () => streamEvents.push('delta'));
    el.client!.on('message-end', () => streamEvents.push('end'));
    const liveRegion = $(el.shadowRoot!, '[role="status"]');
    const said: string[] = [];
    new MutationObserver(() => said.push(liveRegion.textContent!.trim())).observe(liveRegion, {
      subtree: true,
      childList: true,
      characterData: true,
    });
    const stopShown: boolean[] = [];
    new MutationObserver(() => stopShown.push(!!el.shadowRoot!.querySelector('[part="stop"]'))).observe(
      el.shadowRoot!,
      { subtree: true, childList: true, attributes: true },
    );
    type(el, 'help');
    await until(el, () => has(el, reply('help')));
    expect(el.client!.messages().map((m) => m.streamState)).to.deep.equal([null, null]);
    expect(el.shadowRoot!.querySelector('[aria-busy]')).to.equal(null);
    expect(stopShown.some(Boolean)).to.equal(false);
    expect(streamEvents).to.deep.equal([]);
    expect(said.filter((text) => text.includes(seedBotReply('help').slice(0, 20)))).to.have.length(1);
  });
});
