import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { stringsFor } from '../../components/i18n/locales.js';
import { FakeClient } from './support/fake-client.js';
import { $, bubbles, mountChat, settle } from './support/helpers.js';

/** A conversation with a question and a bot reply that has started streaming. */
async function streamingChat(lang = 'en') {
  const client = new FakeClient({ authenticated: true, conversationId: '1' });
  await client.send('help');
  const { el, root } = await mountChat(client, { open: true, lang });
  const liveRegion = $(root, '[role="status"]');
  const said: string[] = [];
  new MutationObserver(() => said.push(liveRegion.textContent?.trim() ?? '')).observe(liveRegion, {
    subtree: true,
    childList: true,
    characterData: true,
  });
  // The reply starts while the panel is open: it arrives live, with no text yet.
  const reply = client.receive({ text: '', streamState: 'streaming' });
  await settle(el);
  const grow = async (added: string) => {
    client.grow(reply, added);
    await settle(el);
  };
  const end = async (state: 'complete' | 'stopped' | 'failed', text: string) => {
    client.endReply(reply, state, text);
    await settle(el);
  };
  const bubble = () => bubbles(root).find((b) => b.dataset.key === reply.key)!;
  return { client, reply, el, root, liveRegion, said, grow, end, bubble };
}

describe('<parley-chat> streamed replies', () => {
  it('grows the reply in the same bubble, keeping the paragraph it already shows', async () => {
    const t = await streamingChat();
    await t.grow('I can');
    const first = t.bubble();
    const paragraph = first.querySelector('.body p');
    expect(paragraph?.textContent).to.equal('I can');
    await t.grow(' help with **orders**');
    expect(t.bubble()).to.equal(first);
    expect(first.querySelector('.body p')).to.equal(paragraph);
    expect(paragraph?.querySelector('strong')?.textContent).to.equal('orders');
    await t.end('complete', 'I can help with **orders**.');
    expect(t.bubble()).to.equal(first);
    expect(first.querySelector('.body')?.textContent?.trim()).to.equal('I can help with orders.');
  });

  it('shows an unclosed code fence as code while the reply is still written', async () => {
    const t = await streamingChat();
    await t.grow('Run this:\n\n```sh\nnpm start\nnpm t');
    const code = t.bubble().querySelector('pre code');
    expect(code?.textContent).to.equal('npm start\nnpm t');
    expect(t.bubble().querySelector('.body')?.textContent).to.not.contain('```');
  });

  it('marks the streaming bubble busy, and only while it streams', async () => {
    const t = await streamingChat();
    await t.grow('Hel');
    expect(t.bubble().getAttribute('aria-busy')).to.equal('true');
    await t.end('complete', 'Hello!');
    expect(t.bubble().hasAttribute('aria-busy')).to.equal(false);
  });

  it('replaces Send with a labelled Stop button that the keyboard reaches, and back when the reply ends', async () => {
    const t = await streamingChat();
    expect(t.root.querySelector('[part="send"]')).to.equal(null);
    const stop = $<HTMLButtonElement>(t.root, '[part="stop"]');
    expect(stop.getAttribute('aria-label')).to.equal('Stop the reply');
    $(t.root, '[part="input"]').focus();
    await sendKeys({ press: 'Tab' });
    expect(t.root.activeElement).to.equal(stop);
    await sendKeys({ press: 'Enter' });
    expect(t.client.calls).to.deep.include(['cancel', t.reply.id]);
    await t.end('stopped', 'Hel');
    const send = $<HTMLButtonElement>(t.root, '[part="send"]');
    expect(send.getAttribute('aria-label')).to.equal('Send');
    // The same button: focus did not fall out of the panel when Stop became Send again.
    expect(t.root.activeElement).to.equal(send);
  });

  it('marks a stopped and a failed reply with words, not only colour', async () => {
    const stopped = await streamingChat();
    await stopped.end('stopped', 'Half an ans');
    expect($(stopped.root, '[part="stream-end"]').textContent).to.contain('Stopped');
    const failed = await streamingChat();
    await failed.end('failed', 'Sorry, the assistant is unavailable.');
    expect($(failed.root, '[part="stream-end"]').textContent).to.contain('Reply failed');
  });

  it('announces a streamed reply once, when it ends, and never while it grows', async () => {
    const t = await streamingChat();
    for (const word of ['We ', 'ship ', 'in ', '2 days']) await t.grow(word);
    await t.end('complete', 'We ship in 2 days.');
    expect(t.said.filter(Boolean)).to.have.length(1);
    expect(t.liveRegion.textContent).to.contain('We ship in 2 days.');
  });

  it('says that a reply was stopped in its one announcement', async () => {
    const t = await streamingChat();
    await t.grow('Half');
    await t.end('stopped', 'Half');
    expect(t.liveRegion.textContent).to.contain('Half').and.to.contain('Stopped');
  });

  it('has the Stop and end-of-reply strings in every locale', () => {
    for (const lang of ['en', 'ar']) {
      const s = stringsFor(lang);
      expect([s.stop, s.stopReply, s.replyEnded.stopped, s.replyEnded.failed].every(Boolean)).to.equal(true);
    }
    expect(stringsFor('ar').stopReply).to.not.equal(stringsFor('en').stopReply);
  });

  it('is accessible (axe) while a reply streams and after it was stopped, in English and Arabic', async () => {
    const t = await streamingChat();
    await t.grow('Here is `code` and **bold** text');
    await expect(t.el).to.be.accessible();
    await t.end('stopped', 'Here is `code` and **bold** text');
    await expect(t.el).to.be.accessible();
    const ar = await streamingChat('ar');
    await ar.end('failed', 'تعذّر');
    await expect(ar.el).to.be.accessible();
  });
});
