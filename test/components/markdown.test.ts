import { expect, fixture } from '@open-wc/testing';
import { html, render } from 'lit';
import { renderMarkdown } from '../../components/markdown/render-markdown.js';
import { safeUrl } from '../../components/markdown/safe-url.js';
import { activeContentIn, twoFrames, XSS_CORPUS } from './support/xss-corpus.js';

const base = 'https://chat.example.com/';

async function md(text: string, onCopy?: (code: string) => void): Promise<HTMLElement> {
  const host = await fixture<HTMLDivElement>(html`<div></div>`);
  render(renderMarkdown(text, { base, copyLabel: 'Copy', onCopy }), host);
  return host;
}

describe('renderMarkdown', () => {
  it('renders bold, italic, strikethrough and inline code', async () => {
    const el = await md('**bold** _it_ ~~gone~~ `a < b`');
    expect(el.querySelector('strong')!.textContent).to.equal('bold');
    expect(el.querySelector('em')!.textContent).to.equal('it');
    expect(el.querySelector('del')!.textContent).to.equal('gone');
    expect(el.querySelector('code')!.textContent).to.equal('a < b');
  });

  it('renders links with target _blank and rel noopener noreferrer', async () => {
    const el = await md('see [docs](https://example.com/docs) or <https://example.com> or mail [us](mailto:a@b.c)');
    const links = [...el.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).to.deep.equal([
      'https://example.com/docs',
      'https://example.com/',
      'mailto:a@b.c',
    ]);
    for (const a of links) {
      expect(a.rel).to.equal('noopener noreferrer');
      expect(a.target).to.equal('_blank');
    }
  });

  it('renders ordered and unordered lists, and the seed bot bullet lines as a list', async () => {
    const el = await md('1. one\n2. two\n\n- a\n- b');
    expect(el.querySelectorAll('ol > li')).to.have.length(2);
    expect(el.querySelectorAll('ul > li')).to.have.length(2);
    const seed = await md('I can help with:\n• Orders\n• Delivery\n• Products');
    expect([...seed.querySelectorAll('ul > li')].map((li) => li.textContent)).to.deep.equal([
      'Orders',
      'Delivery',
      'Products',
    ]);
    expect(seed.textContent).to.not.contain('•');
  });

  it('renders fenced code with a language label and a copy button', async () => {
    let copied = '';
    const el = await md('```ts\nconst a = 1 < 2;\n```', (code) => (copied = code));
    expect(el.querySelector('.code-lang')!.textContent).to.equal('ts');
    expect(el.querySelector('pre code')!.textContent).to.equal('const a = 1 < 2;');
    el.querySelector<HTMLButtonElement>('button.copy')!.click();
    expect(copied).to.equal('const a = 1 < 2;');
  });

  it('shows raw HTML as text and decodes entities as text', async () => {
    const el = await md('<b>not bold</b> &amp; &lt;tag&gt; &#169;');
    expect(el.querySelector('b')).to.equal(null);
    expect(el.textContent).to.contain('<b>not bold</b> & <tag> ©');
  });

  it('keeps line breaks as <br>', async () => {
    const el = await md('line one\nline two');
    expect(el.querySelectorAll('br')).to.have.length(1);
  });

  it('drops javascript:, data: and vbscript: URLs and keeps http(s), mailto and blob', () => {
    expect(safeUrl('javascript:alert(1)', base)).to.equal(null);
    expect(safeUrl(' JaVaScRiPt:alert(1)', base)).to.equal(null);
    expect(safeUrl('java\tscript:alert(1)', base)).to.equal(null);
    expect(safeUrl('data:text/html,x', base)).to.equal(null);
    expect(safeUrl('vbscript:x', base)).to.equal(null);
    expect(safeUrl('mailto:a@b.c', base, 'source')).to.equal(null);
    expect(safeUrl('/uploads/x', base, 'source')).to.equal('https://chat.example.com/uploads/x');
    expect(safeUrl('blob:https://chat.example.com/1', base, 'source')).to.equal('blob:https://chat.example.com/1');
    expect(safeUrl('mailto:a@b.c', base)).to.equal('mailto:a@b.c');
  });

  it('has a checker that does see active content (it is not vacuous)', () => {
    const t = document.createElement('template');
    t.innerHTML = '<img src=x onerror=1><a href="javascript:x">a</a><iframe></iframe><p style="color:red">s</p>';
    expect(activeContentIn(t.content)).to.have.length.of.at.least(5);
  });

  it('renders every entry of the XSS corpus inert', async () => {
    const w = window as unknown as { __xss?: number };
    delete w.__xss;
    for (const text of XSS_CORPUS) {
      const el = await md(text);
      expect(activeContentIn(el), text).to.deep.equal([]);
    }
    await twoFrames();
    expect(w.__xss).to.equal(undefined);
  });
});
