import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { ParleyChat } from '../../components/elements.js';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import { conversation, FakeClient } from './support/fake-client.js';
import { $, bubbles, mountChat, settle } from './support/helpers.js';

describe('<parley-chat>', () => {
  it('opens from the launcher, moves focus inside, and Escape closes it and returns focus', async () => {
    const client = new FakeClient({ authenticated: true, conversationId: '1' });
    const { el, root } = await mountChat(client);
    const panel = $(root, '[part="panel"]');
    expect(panel.hidden).to.equal(true);
    const opened = oneEvent(el, 'parley-open');
    $(root, '[part="launcher"]').click();
    await opened;
    expect(panel.hidden).to.equal(false);
    expect(root.activeElement?.getAttribute('part')).to.equal('input');
    const closed = oneEvent(el, 'parley-close');
    (root.activeElement as HTMLElement).dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }),
    );
    await closed;
    await el.updateComplete;
    expect(panel.hidden).to.equal(true);
    expect(root.activeElement).to.equal($(root, '[part="launcher"]'));
    el.toggle();
    await el.updateComplete;
    expect(el.hasAttribute('open')).to.equal(true);
    el.close();
    await el.updateComplete;
    expect(el.hasAttribute('open')).to.equal(false);
  });

  it('shows the sign-in form when signed out, shows errors inline, and signs in', async () => {
    const client = new FakeClient();
    client.conversations = [conversation('42', 'Newest'), conversation('41', 'Older')];
    const { el, root } = await mountChat(client, { open: true });
    const form = $<HTMLFormElement>(root, 'form[part="login"]');
    expect(root.querySelector('[part="input"]')).to.equal(null);
    const user = $<HTMLInputElement>(root, 'input[name="username"]');
    const pass = $<HTMLInputElement>(root, 'input[name="password"]');
    expect(root.activeElement).to.equal(user);
    user.value = 'alice';
    pass.value = 'wrong';
    const failed = oneEvent(el, 'parley-error');
    form.requestSubmit();
    await failed;
    await settle(el);
    expect($(root, '[role="alert"]').textContent).to.contain('Sign-in failed');
    pass.value = 'alice123';
    const changed = oneEvent(el, 'parley-conversation-change');
    form.requestSubmit();
    const event = await changed;
    expect(event.detail.conversationId).to.equal('42');
    await settle(el);
    expect(root.querySelector('form[part="login"]')).to.equal(null);
    expect(root.querySelector('[part="input"]')).to.not.equal(null);
    expect(el.getConversationId()).to.equal('42');
  });

  it('shows the sign-in form again, with a reason, when the session ends', async () => {
    const client = new FakeClient({ authenticated: true, conversationId: '1' });
    const { el, root } = await mountChat(client, { open: true });
    expect(root.querySelector('form[part="login"]')).to.equal(null);
    client.user = null;
    client.events.emit('auth-expired', { reason: 'refresh-failed' });
    await el.updateComplete;
    expect(root.querySelector('form[part="login"]')).to.not.equal(null);
    expect($(root, '[role="alert"]').textContent).to.contain('session has ended');
  });

  it('send shows a pending bubble that becomes sent on ack', async () => {
    const client = new FakeClient({ authenticated: true, conversationId: '1' });
    const { el, root } = await mountChat(client, { open: true });
    const input = $<HTMLTextAreaElement>(root, '[part="input"]');
    input.value = 'Hello there';
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await settle(el);
    const [bubble] = bubbles(root);
    expect(bubble!.dataset.status).to.equal('pending');
    expect(bubble!.dataset.type).to.equal('user');
    expect(bubble!.textContent).to.contain('Hello there');
    expect(input.value).to.equal('');
    client.setStatus(client.list[0]!.clientId!, 'sent');
    await el.updateComplete;
    expect(bubbles(root)).to.have.length(1);
    expect(bubbles(root)[0]!.dataset.status).to.equal('sent');
    expect(bubbles(root)[0]!.querySelector('.ticks')!.getAttribute('aria-label')).to.equal('Sent');
  });

  it('Shift+Enter does not send', async () => {
    const client = new FakeClient({ authenticated: true, conversationId: '1' });
    const { el, root } = await mountChat(client, { open: true });
    const input = $<HTMLTextAreaElement>(root, '[part="input"]');
    input.value = 'line one';
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', shiftKey: true, bubbles: true }));
    await settle(el);
    expect(bubbles(root)).to.have.length(0);
    expect(client.calls.filter((c) => c[0] === 'send')).to.have.length(0);
  });

  it('the bot reply appears, is announced once and counts as unread while closed', async () => {
    const client = new FakeClient({ authenticated: true, conversationId: '1' });
    const { el, root } = await mountChat(client);
    const seen = oneEvent(el, 'parley-message');
    client.receive({ text: 'Hello! How can I **help**?' });
    expect((await seen).detail.message.type).to.equal('bot');
    await el.updateComplete;
    const [bubble] = bubbles(root);
    expect(bubble!.dataset.type).to.equal('bot');
    expect(bubble!.querySelector('strong')!.textContent).to.equal('help');
    expect(bubble!.querySelector('.sender')!.textContent).to.equal('CRM Assistant');
    expect($(root, '[role="status"]').textContent).to.contain('CRM Assistant: Hello!');
    expect($(root, '[part="badge"]').textContent).to.equal('1');
    el.open();
    await el.updateComplete;
    expect(root.querySelector('[part="badge"]')).to.equal(null);
  });

  it('announces a reply once in a polite live region', async () => {
    const client = new FakeClient({ authenticated: true, conversationId: '1' });
    const { el, root } = await mountChat(client, { open: true });
    const region = $(root, '[role="status"][aria-live="polite"]');
    expect($(root, '[role="log"]').getAttribute('aria-live')).to.equal('off');
    const texts: string[] = [];
    const observer = new MutationObserver(() => texts.push(region.textContent!.trim()));
    observer.observe(region, { subtree: true, childList: true, characterData: true });
    client.receive({ text: 'Your order ships today.' });
    await el.updateComplete;
    client.events.emit('messages', { conversationId: '1' });
    client.events.emit('read', {
      conversationId: '1',
      messageIds: [client.list[0]!.id!],
      userId: '9',
      username: 'bob',
      readAt: new Date().toISOString(),
    });
    await el.updateComplete;
    observer.disconnect();
    expect(texts.filter((t) => t.includes('Your order ships today.'))).to.have.length(1);
  });

  it("another user's typing shows by name and clears", async () => {
    const client = new FakeClient({ authenticated: true, conversationId: '1' });
    const { el, root } = await mountChat(client, { open: true });
    client.setTypingOf({ userId: '9', username: 'bob', displayName: 'Bob Builder', isTyping: true });
    await el.updateComplete;
    expect($(root, '[part="typing"]').textContent).to.contain('Bob Builder is typing');
    client.setTypingOf({ userId: '9', username: 'bob', displayName: 'Bob Builder', isTyping: false });
    await el.updateComplete;
    expect($(root, '[part="typing"]').textContent!.trim()).to.equal('');
  });

  it('a failed send shows Retry and one Retry sends once', async () => {
    const client = new FakeClient({ authenticated: true, conversationId: '1' });
    client.failNextSend = true;
    const { el, root } = await mountChat(client, { open: true });
    await el.send('will fail');
    await el.updateComplete;
    const bubble = bubbles(root)[0]!;
    expect(bubble.dataset.status).to.equal('failed');
    const retry = $<HTMLButtonElement>(root, '[part="retry"]');
    retry.click();
    retry.click();
    await settle(el);
    expect(client.calls.filter((c) => c[0] === 'retry')).to.have.length(1);
    expect(bubbles(root)[0]!.dataset.status).to.equal('pending');
    expect(root.querySelector('[part="retry"]')).to.equal(null);
    expect(bubbles(root)).to.have.length(1);
  });

  it('the status strip follows connection state, with a countdown and retry now', async () => {
    const client = new FakeClient({ authenticated: true, conversationId: '1' });
    const { el, root } = await mountChat(client, { open: true });
    const status = () => $(root, '[part="status"]');
    expect(status().textContent).to.contain('Connected');
    const change = oneEvent(el, 'parley-connection-change');
    client.setState({ status: 'reconnecting', attempt: 1, nextRetryAt: Date.now() + 5000 });
    expect((await change).detail.state).to.equal('reconnecting');
    expect(el.connectionState).to.equal('reconnecting');
    await el.updateComplete;
    expect(status().textContent).to.match(/Reconnecting in [45] s/);
    $(root, '[part="retry-now"]').click();
    expect(client.calls.some((c) => c[0] === 'retryNow')).to.equal(true);
    client.setState({ status: 'offline' });
    await el.updateComplete;
    expect(status().textContent).to.contain('Offline');
    expect(root.querySelector('[part="retry-now"]')).to.equal(null);
    client.setState({ status: 'fallback', transport: 'http', nextProbeAt: null });
    await el.updateComplete;
    expect(status().textContent).to.contain('over HTTP');
    expect(status().dataset.state).to.equal('fallback');
    client.setState({ status: 'open', transport: 'websocket' });
    await el.updateComplete;
    expect(status().textContent).to.contain('Connected');
  });

  it('prompt chips show in a new conversation and a click sends the prompt', async () => {
    const client = new FakeClient({ authenticated: true, conversationId: '1' });
    const { el, root } = await mountChat(client, { open: true });
    const chips = root.querySelectorAll<HTMLButtonElement>('[part="prompt"]');
    expect(chips).to.have.length(2);
    chips[0]!.click();
    await settle(el);
    expect(client.calls.find((c) => c[0] === 'send')?.[1]).to.equal('Where is my order?');
    expect(root.querySelectorAll('[part="prompt"]')).to.have.length(0);
  });

  it('shows no prompt chips while the history of a returning user loads, nor after it has', async () => {
    const client = new FakeClient({ authenticated: true });
    client.conversations = [conversation('9', 'Newest')];
    let release!: () => void;
    const history = new Promise<void>((resolve) => (release = resolve));
    // Like the real client: the conversation is announced first, its history arrives after.
    const announce = client.connect.bind(client);
    client.connect = async (id) => {
      await announce(id);
      await history;
      client.receive({ text: 'asked last week', type: 'user', own: true });
    };
    const { el, root } = await mountChat(client, { open: true });
    expect(root.querySelector('[part="input"]')).to.not.equal(null);
    expect(root.querySelectorAll('[part="prompt"]')).to.have.length(0);
    release();
    await settle(el);
    expect(root.querySelectorAll('[part~="message"]')).to.have.length(1);
    expect(root.querySelectorAll('[part="prompt"]')).to.have.length(0);
  });

  it('resumes the newest conversation on load and fires parley-conversation-change', async () => {
    const client = new FakeClient({ authenticated: true });
    client.conversations = [conversation('9', 'Newest'), conversation('3', 'Older')];
    const events: Array<string | null> = [];
    document.addEventListener('parley-conversation-change', (e) => events.push(e.detail.conversationId), {
      once: true,
    });
    const { el } = await mountChat(client);
    expect(client.calls.find((c) => c[0] === 'connect')?.[1]).to.equal('9');
    expect(events).to.deep.equal(['9']);
    expect(el.getConversationId()).to.equal('9');
  });

  it('switches to an earlier conversation and starts a new one from the conversation list', async () => {
    const client = new FakeClient({ authenticated: true, conversationId: '9' });
    client.conversations = [conversation('9', 'Newest'), conversation('3', 'Older')];
    const { el, root } = await mountChat(client, { open: true });
    $(root, '[part="conversations-button"]').click();
    await settle(el);
    const items = root.querySelectorAll<HTMLButtonElement>('.conversation');
    expect(items).to.have.length(2);
    const changed = oneEvent(el, 'parley-conversation-change');
    items[1]!.click();
    expect((await changed).detail.conversationId).to.equal('3');
    await settle(el);
    expect(root.querySelector('[part="conversations"]')).to.equal(null);
    $(root, '[part="conversations-button"]').click();
    await settle(el);
    const created = oneEvent(el, 'parley-conversation-change');
    $(root, '[part="new-conversation"]').click();
    expect((await created).detail.conversationId).to.equal('102');
  });

  it('shows an upload with progress and cancels it', async () => {
    const client = new FakeClient({ authenticated: true, conversationId: '1' });
    const { el, root } = await mountChat(client, { open: true });
    const input = $<HTMLTextAreaElement>(root, '[part="input"]');
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array(2048)], 'photo.png', { type: 'image/png' }));
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    await settle(el);
    const progress = $<HTMLProgressElement>(root, '[part="progress"]');
    expect(progress.value).to.equal(0.5);
    $(root, '[part="cancel-upload"]').click();
    await settle(el);
    expect(root.querySelector('[part="progress"]')).to.equal(null);
  });

  it('refuses an oversized or wrong-type file with a clear error and uploads nothing', async () => {
    const client = new FakeClient({ authenticated: true, conversationId: '1' });
    const { el, root } = await mountChat(client, { open: true });
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array(10 * 1024 * 1024 + 1)], 'huge.png', { type: 'image/png' }));
    data.items.add(new File(['MZ'], 'setup.exe', { type: 'application/x-msdownload' }));
    $(root, '[part="panel"]').dispatchEvent(
      new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }),
    );
    await settle(el);
    const errors = [...root.querySelectorAll('.upload.error')].map((li) => li.textContent!);
    expect(errors[0]).to.contain('huge.png is too large');
    expect(errors[1]).to.contain('setup.exe is not allowed');
    expect(client.calls.filter((c) => c[0] === 'upload')).to.have.length(0);
  });

  it('keeps trying to resume when the server is unreachable at load, at once when back online', async () => {
    const client = new FakeClient({ authenticated: true });
    client.conversations = [conversation('5', 'Newest')];
    client.failListConversations = 1;
    const { el } = await mountChat(client);
    expect(client.calls.some((c) => c[0] === 'connect')).to.equal(false);
    const changed = oneEvent(el, 'parley-conversation-change');
    window.dispatchEvent(new Event('online'));
    expect((await changed).detail.conversationId).to.equal('5');
  });

  it('shows images inline and PDFs as download links', async () => {
    const client = new FakeClient({ authenticated: true, conversationId: '1' });
    client.receive({
      text: '',
      attachment: {
        attachment_id: '1',
        file_url: '/uploads/aaa',
        file_name: 'cat.png',
        file_size: 1000,
        content_type: 'image/png',
      },
    });
    client.receive({
      text: 'see file',
      attachment: {
        attachment_id: '2',
        file_url: '/uploads/bbb',
        file_name: 'spec.pdf',
        file_size: 3000000,
        content_type: 'application/pdf',
      },
    });
    const { root } = await mountChat(client, { open: true });
    const img = $<HTMLImageElement>(root, '[part~="message"] img');
    expect(img.alt).to.equal('cat.png');
    expect(new URL(img.src).pathname).to.equal('/uploads/aaa');
    const link = $<HTMLAnchorElement>(root, 'a.file');
    expect(link.hasAttribute('download')).to.equal(true);
    expect(link.rel).to.equal('noopener noreferrer');
    expect(link.textContent).to.contain('spec.pdf');
  });

  it('groups bubbles by sender and minute', async () => {
    const client = new FakeClient({ authenticated: true, conversationId: '1' });
    client.receive({ text: 'one', createdAt: '2026-11-25T10:00:01.000Z' });
    client.receive({ text: 'two', createdAt: '2026-11-25T10:00:30.000Z' });
    client.receive({ text: 'three', createdAt: '2026-11-25T10:02:00.000Z' });
    const { root } = await mountChat(client, { open: true });
    expect(bubbles(root).map((b) => b.classList.contains('start'))).to.deep.equal([true, false, true]);
  });

  it('is accessible (axe) signed out and signed in with the panel open, light and dark', async () => {
    const signedOut = await mountChat(new FakeClient(), { open: true });
    await expect(signedOut.el).to.be.accessible();
    const client = new FakeClient({ authenticated: true, conversationId: '1' });
    client.receive({ text: 'Hello! Here is `code` and a [link](https://example.com)' });
    await client.send('hi');
    const signedIn = await mountChat(client, { open: true });
    await expect(signedIn.el).to.be.accessible();
    signedIn.el.theme = 'dark';
    await signedIn.el.updateComplete;
    await expect(signedIn.el).to.be.accessible();
  });

  it('works with the keyboard only: open, type, send, close', async () => {
    const client = new FakeClient({ authenticated: true, conversationId: '1' });
    const { el, root } = await mountChat(client);
    $(root, '[part="launcher"]').focus();
    await sendKeys({ press: 'Enter' });
    await settle(el);
    expect(el.hasAttribute('open')).to.equal(true);
    expect(root.activeElement?.getAttribute('part')).to.equal('input');
    await sendKeys({ type: 'typed with keys' });
    await sendKeys({ press: 'Enter' });
    await settle(el);
    expect(client.calls.find((c) => c[0] === 'send')?.[1]).to.equal('typed with keys');
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    expect(root.activeElement?.getAttribute('part')).to.equal('attach');
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    expect(root.activeElement?.getAttribute('part')).to.equal('send');
    await sendKeys({ press: 'Escape' });
    await settle(el);
    expect(el.hasAttribute('open')).to.equal(false);
    expect(root.activeElement?.getAttribute('part')).to.equal('launcher');
  });

  it('lays out right-to-left with the Arabic locale', async () => {
    const client = new FakeClient({ authenticated: true, conversationId: '1' });
    const { el, root } = await mountChat(client, { open: true, lang: 'ar' });
    expect($(root, '.root').getAttribute('dir')).to.equal('rtl');
    expect($(root, '.root').getAttribute('lang')).to.equal('ar');
    expect($(root, '[part="send"]').getAttribute('aria-label')).to.equal('إرسال');
    expect(getComputedStyle($(root, '[part="panel"]')).direction).to.equal('rtl');
    el.setLocale('en');
    await el.updateComplete;
    expect($(root, '.root').getAttribute('dir')).to.equal('ltr');
    expect($(root, '[part="send"]').getAttribute('aria-label')).to.equal('Send');
  });

  it('follows prefers-color-scheme live with theme auto, and prefers-reduced-motion turns animation off', async () => {
    const client = new FakeClient({ authenticated: true, conversationId: '1' });
    const { root } = await mountChat(client, { open: true });
    const panel = $(root, '[part="panel"]');
    try {
      await emulateMedia({ colorScheme: 'light' });
      const light = getComputedStyle(panel).backgroundColor;
      await emulateMedia({ colorScheme: 'dark' });
      expect(getComputedStyle(panel).backgroundColor).to.not.equal(light);
      expect(getComputedStyle(panel).animationName).to.equal('parley-in');
      await emulateMedia({ reducedMotion: 'reduce' });
      expect(getComputedStyle(panel).animationName).to.equal('none');
    } finally {
      await emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' });
    }
  });

  it('makes its own client when none is given, closes it when removed and makes a new one when re-attached', async () => {
    const el = await fixture<ParleyChat>(html`<parley-chat session="memory"></parley-chat>`);
    const first = el.client;
    expect(first).to.not.equal(null);
    expect(el.shadowRoot!.querySelector('form[part="login"]')).to.not.equal(null);
    const parent = el.parentElement!;
    el.remove();
    expect(el.client).to.equal(null);
    parent.append(el);
    await el.updateComplete;
    expect(el.client).to.not.equal(null);
    expect(el.client).to.not.equal(first);
  });

  it('keeps textarea font at least 16px and honours dark theme', async () => {
    const client = new FakeClient({ authenticated: true, conversationId: '1' });
    const { el, root } = await mountChat(client, { open: true });
    expect(parseFloat(getComputedStyle($(root, '[part="input"]')).fontSize)).to.be.at.least(16);
    const light = getComputedStyle($(root, '[part="panel"]')).backgroundColor;
    el.theme = 'dark';
    await el.updateComplete;
    expect(getComputedStyle($(root, '[part="panel"]')).backgroundColor).to.not.equal(light);
    expect(root.querySelector('[style]')).to.equal(null);
  });
});
