/**
 * Markdown to Lit templates. `lexMarkdown` gives tokens; every token becomes a Lit template, so
 * message text only ever reaches the DOM as text nodes and attribute values Lit sets one by one.
 * Nothing is parsed as HTML: raw HTML in a message shows as text, links and image sources pass
 * `safeUrl`, and no template here binds an event handler, style or srcdoc from message data.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { decodeEntities } from './decode-entities.js';
import { lexMarkdown, type Block, type Inline } from './lex-markdown.js';
import { safeUrl } from './safe-url.js';

/** What the renderer needs from its surroundings. */
export interface MarkdownOptions {
  /** Base URL for relative links and images (the page or the API URL). */
  base: string;
  /** Label of the copy button on fenced code. */
  copyLabel: string;
  /** Called when a copy button is pressed, with the code block's text. */
  onCopy?: (code: string) => void;
}

type Piece = TemplateResult | string | typeof nothing;

/** Renders Markdown `text` (bold, italic, links, lists, code, fenced code, tables) as a Lit template. */
export function renderMarkdown(text: string, options: MarkdownOptions): TemplateResult {
  return html`${blocks(lexMarkdown(text), options)}`;
}

function blocks(tokens: readonly Block[], o: MarkdownOptions, tight = false): Piece[] {
  return tokens.map((t) => block(t, o, tight));
}

function block(t: Block, o: MarkdownOptions, tight: boolean): Piece {
  switch (t.type) {
    case 'paragraph':
      // List items written on one line render inline, not as paragraphs.
      return tight ? html`${inline(t.tokens, o)}` : html`<p>${inline(t.tokens, o)}</p>`;
    case 'heading':
      return html`<p><strong>${inline(t.tokens, o)}</strong></p>`;
    case 'code':
      return codeBlock(t.lang, t.text, o);
    case 'blockquote':
      return html`<blockquote>${blocks(t.tokens, o)}</blockquote>`;
    case 'hr':
      return html`<hr />`;
    case 'list': {
      // One line: whitespace inside <li> would become part of the item's text.
      const items = t.items.map((item) => {
        const box = item.checked === null ? nothing : item.checked ? '\u2611 ' : '\u2610 ';
        return html`<li>${box}${blocks(item.tokens, o, item.tokens.length === 1)}</li>`;
      });
      return t.ordered
        ? html`<ol start=${t.start === 1 ? nothing : t.start}>
            ${items}
          </ol>`
        : html`<ul>
            ${items}
          </ul>`;
    }
    case 'table':
      return html`<div class="table">
        <table>
          <thead>
            <tr>
              ${t.header.map((c) => html`<th>${inline(c, o)}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${t.rows.map(
              (r) =>
                html`<tr>
                  ${r.map((c) => html`<td>${inline(c, o)}</td>`)}
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
  }
}

function codeBlock(lang: string, text: string, o: MarkdownOptions): TemplateResult {
  return html`<div class="code">
    <div class="code-head">
      <span class="code-lang">${lang}</span
      ><button
        type="button"
        class="copy"
        aria-label=${lang ? `${o.copyLabel} (${lang})` : o.copyLabel}
        @click=${() => o.onCopy?.(text)}
      >
        ${o.copyLabel}
      </button>
    </div>
    <pre><code>${text}</code></pre>
  </div>`;
}

function inline(tokens: readonly Inline[], o: MarkdownOptions): Piece[] {
  return tokens.map((t) => {
    switch (t.type) {
      case 'text':
        return decodeEntities(t.text);
      case 'strong':
        return html`<strong>${inline(t.tokens, o)}</strong>`;
      case 'em':
        return html`<em>${inline(t.tokens, o)}</em>`;
      case 'del':
        return html`<del>${inline(t.tokens, o)}</del>`;
      case 'codespan':
        return html`<code>${t.text}</code>`;
      case 'br':
        return html`<br />`;
      case 'link': {
        const href = safeUrl(decodeEntities(t.href), o.base, 'link');
        const content = inline(t.tokens, o);
        return href
          ? html`<a href=${href} target="_blank" rel="noopener noreferrer">${content}</a>`
          : html`<span class="unsafe-link">${content}</span>`;
      }
      case 'image': {
        const src = safeUrl(decodeEntities(t.href), o.base, 'source');
        const alt = decodeEntities(t.text);
        return src ? html`<img src=${src} alt=${alt} loading="lazy" />` : alt;
      }
    }
  });
}
