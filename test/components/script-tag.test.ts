import { expect, fixture, html } from '@open-wc/testing';
import type { ParleyChat } from '../../components/elements.js';
import type { ParleyGlobal } from '../../components/script-tag.js';
import { FakeClient } from './support/fake-client.js';

describe('the script-tag entry', () => {
  it('sets window.Parley and replays calls queued on a stub before it loaded', async () => {
    const w = window as unknown as { Parley: ParleyGlobal | { q: unknown[][] } };
    // The stub snippet from components/script-tag.ts, as a page would have run it.
    const stub: Record<string, unknown> & { q: unknown[][] } = { q: [] };
    for (const m of ['open', 'setLocale', 'on']) stub[m] = (...args: unknown[]) => stub.q.push([m, args]);
    w.Parley = stub;
    const seen: unknown[] = [];
    (stub.on as (...a: unknown[]) => void)('open', () => seen.push('opened'));
    (stub.setLocale as (...a: unknown[]) => void)('ar');
    (stub.open as () => void)();

    const client = new FakeClient({ authenticated: true, conversationId: '1' });
    await import('../../components/elements.js');
    const el = await fixture<ParleyChat>(html`<parley-chat .client=${client}></parley-chat>`);
    await import('../../components/script-tag.js');
    const api = w.Parley as unknown as ParleyGlobal;
    await el.updateComplete;
    await new Promise<void>((r) => queueMicrotask(r));
    await el.updateComplete;

    expect(typeof api.createClient).to.equal('function');
    expect(typeof api.ChatClient).to.equal('function');
    expect(el.hasAttribute('open')).to.equal(true);
    expect(seen).to.deep.equal(['opened']);
    expect(el.shadowRoot!.querySelector('.root')!.getAttribute('dir')).to.equal('rtl');
    expect(customElements.get('parley-chat')).to.not.equal(undefined);
    api.setLocale(null);
    await api.close();
    await el.updateComplete;
    expect(el.hasAttribute('open')).to.equal(false);
  });
});
