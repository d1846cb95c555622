import { expect } from '@open-wc/testing';
import { FakeClient } from './support/fake-client.js';
import { $, bubbles, mountChat } from './support/helpers.js';
import { activeContentIn, twoFrames, XSS_CORPUS } from './support/xss-corpus.js';

describe('<parley-chat> message rendering', () => {
  it('renders an XSS corpus from the bot and other users inert inside the shadow DOM', async () => {
    const w = window as unknown as { __xss?: number };
    delete w.__xss;
    const client = new FakeClient({ authenticated: true, conversationId: '1' });
    XSS_CORPUS.forEach((text, i) =>
      client.receive(
        i % 2
          ? { text }
          : {
              text,
              type: 'user',
              sender: '<img src=x onerror=window.__xss=1>',
              senderName: '<svg onload=window.__xss=1>',
            },
      ),
    );
    client.receive({
      text: 'file',
      attachment: {
        attachment_id: '9',
        file_url: 'javascript:window.__xss=1',
        file_name: '<img src=x onerror=window.__xss=1>',
        file_size: 1,
        content_type: 'image/png',
      },
    });
    client.receive({
      text: 'pdf',
      attachment: {
        attachment_id: '10',
        file_url: 'data:application/pdf;base64,AAAA',
        file_name: 'x.pdf',
        file_size: 1,
        content_type: 'application/pdf',
      },
    });
    const { el, root } = await mountChat(client, { open: true });
    expect(bubbles(root)).to.have.length(XSS_CORPUS.length + 2);
    expect(activeContentIn($(root, '[part="messages"]'))).to.deep.equal([]);
    // Outside the message log the widget's own controls only: no script, frame or style element
    // anywhere, and the only SVGs are the widget's own icons (none inside a message body).
    expect(root.querySelectorAll('script, iframe, style, object, embed, base, meta, link')).to.have.length(0);
    expect(root.querySelectorAll('.body svg, svg:not(.i)')).to.have.length(0);
    expect(root.querySelector('[style], [srcdoc]')).to.equal(null);
    await twoFrames();
    expect(w.__xss).to.equal(undefined);
    expect(getComputedStyle(el).display).to.not.equal('none');
  });
});
