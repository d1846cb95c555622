import { expect } from '@open-wc/testing';
import { inline, lexMarkdown } from '../../components/markdown/lex-markdown.js';

describe('lexMarkdown', () => {
  it('splits paragraphs on blank lines and keeps soft breaks', () => {
    const tokens = lexMarkdown('one\ntwo\n\nthree');
    expect(tokens.map((t) => t.type)).to.deep.equal(['paragraph', 'paragraph']);
    expect(inline('one\ntwo').map((t) => t.type)).to.deep.equal(['text', 'br', 'text']);
  });

  it('reads emphasis, strong, strikethrough and leaves intraword underscores and lone stars alone', () => {
    expect(
      inline('**b** *i* __B__ _I_ ~~d~~')
        .filter((t) => t.type !== 'text')
        .map((t) => t.type),
    ).to.deep.equal(['strong', 'em', 'strong', 'em', 'del']);
    expect(inline('snake_case_name and 2 * 3 * 4')).to.deep.equal([
      { type: 'text', text: 'snake_case_name and 2 * 3 * 4' },
    ]);
    const nested = inline('**bold *and italic***');
    expect(nested[0]!.type).to.equal('strong');
  });

  it('reads code spans (backticks inside longer runs) and leaves an unclosed backtick as text', () => {
    expect(inline('`` a`b ``')).to.deep.equal([{ type: 'codespan', text: 'a`b' }]);
    expect(inline('a ` b')).to.deep.equal([{ type: 'text', text: 'a ` b' }]);
    expect(inline('`**not bold**`')).to.deep.equal([{ type: 'codespan', text: '**not bold**' }]);
  });

  it('reads links, images, autolinks, bare URLs and escapes', () => {
    expect(inline('[a (b)](https://x.y/p_(q) "t")')[0]).to.deep.include({ type: 'link', href: 'https://x.y/p_(q)' });
    expect(inline('![cat](/c.png)')[0]).to.deep.equal({ type: 'image', href: '/c.png', text: 'cat' });
    expect(inline('<a@b.co>')[0]).to.deep.include({ type: 'link', href: 'mailto:a@b.co' });
    expect(inline('see https://example.com/a.')[1]).to.deep.include({ type: 'link', href: 'https://example.com/a' });
    expect(inline('\\*not em\\*')).to.deep.equal([{ type: 'text', text: '*not em*' }]);
    expect(inline('[no link] (x)')).to.deep.equal([{ type: 'text', text: '[no link] (x)' }]);
  });

  it('reads fenced code with its language, headings, quotes and rules', () => {
    const t = lexMarkdown('# Title\n\n> quoted\n> more\n\n---\n\n```js\nlet a = 1;\n\nlet b;\n```');
    expect(t.map((b) => b.type)).to.deep.equal(['heading', 'blockquote', 'hr', 'code']);
    expect(t[3]).to.deep.equal({ type: 'code', lang: 'js', text: 'let a = 1;\n\nlet b;' });
  });

  it('reads bullet, ordered, nested and task lists, and • lines after a paragraph', () => {
    const [p, list] = lexMarkdown('Options:\n• one\n• two');
    expect(p!.type).to.equal('paragraph');
    expect(list).to.deep.include({ type: 'list', ordered: false });
    const [ordered] = lexMarkdown('3. c\n4. d');
    expect(ordered).to.deep.include({ type: 'list', ordered: true, start: 3 });
    const [nested] = lexMarkdown('- a\n  - a1\n  - a2\n- b');
    if (nested?.type !== 'list') throw new Error('not a list');
    expect(nested.items).to.have.length(2);
    expect(nested.items[0]!.tokens.map((b) => b.type)).to.deep.equal(['paragraph', 'list']);
    const [tasks] = lexMarkdown('- [x] done\n- [ ] todo');
    if (tasks?.type !== 'list') throw new Error('not a list');
    expect(tasks.items.map((i) => i.checked)).to.deep.equal([true, false]);
  });

  it('reads GFM tables', () => {
    const [table] = lexMarkdown('| a | b |\n|---|:-:|\n| 1 | 2 |\n| 3 | 4 |');
    if (table?.type !== 'table') throw new Error('not a table');
    expect(table.header).to.have.length(2);
    expect(table.rows).to.have.length(2);
  });

  it('terminates quickly on odd input', () => {
    const odd = [
      '*'.repeat(500),
      '['.repeat(300) + ']'.repeat(300),
      '`'.repeat(99),
      '- \n'.repeat(200),
      '> '.repeat(100),
      '_a'.repeat(300),
      '![['.repeat(100),
      '\\'.repeat(100),
    ];
    const start = performance.now();
    for (const text of odd) lexMarkdown(text);
    expect(performance.now() - start).to.be.lessThan(1000);
  });
});
