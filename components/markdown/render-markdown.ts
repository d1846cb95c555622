/**
 * Markdown to Lit templates. marked's lexer gives tokens; every token becomes a Lit template, so
 * message text only ever reaches the DOM as text nodes and attribute values Lit sets one by one.
 * Nothing is parsed as HTML: raw HTML in a message shows as text, links and image sources pass
 * `safeUrl`, and no template here binds an event handler, style or srcdoc from message data.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { Lexer, type Token, type Tokens } from 'marked';
import { decodeEntities } from './decode-entities.js';
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

/** The seed bot writes lists as `• item` lines: make them Markdown list items. */
const bulletsToList = (text: string): string => text.replace(/^([ \t]*)•[ \t]*/gm, '$1- ');

/** Renders Markdown `text` (bold, italic, links, lists, code, fenced code) as a Lit template. */
export function renderMarkdown(text: string, options: MarkdownOptions): TemplateResult {
  const tokens = Lexer.lex(bulletsToList(text), { gfm: true, breaks: true });
  return html`${blocks(tokens, options)}`;
}

function blocks(tokens: readonly Token[], o: MarkdownOptions): Piece[] {
  return tokens.map((t) => block(t, o));
}

function block(token: Token, o: MarkdownOptions): Piece {
  const t = token as Tokens.Generic;
  switch (token.type) {
    case 'space':
    case 'def':
      return nothing;
    case 'paragraph':
      return html`<p>${inline(t.tokens, o)}</p>`;
    case 'heading':
      return html`<p><strong>${inline(t.tokens, o)}</strong></p>`;
    case 'code':
      return codeBlock(token as Tokens.Code, o);
    case 'blockquote':
      return html`<blockquote>${blocks(t.tokens ?? [], o)}</blockquote>`;
    case 'hr':
      return html`<hr />`;
    case 'list':
      return list(token as Tokens.List, o);
    case 'table':
      return table(token as Tokens.Table, o);
    case 'html':
      // Raw HTML is shown as the text the user typed, never interpreted.
      return html`<p>${t.text}</p>`;
    case 'text':
      return t.tokens ? html`<p>${inline(t.tokens, o)}</p>` : html`<p>${decodeEntities(t.text)}</p>`;
    default:
      return html`${inline([token], o)}`;
  }
}

function list(token: Tokens.List, o: MarkdownOptions): TemplateResult {
  const items = token.items.map(
    (item) => html`<li>${item.task ? (item.checked ? '\u2611 ' : '\u2610 ') : nothing}${listItem(item, o)}</li>`,
  );
  if (!token.ordered) return html`<ul>${items}</ul>`;
  const start = typeof token.start === 'number' && token.start !== 1 ? token.start : nothing;
  return html`<ol start=${start}>${items}</ol>`;
}

function listItem(item: Tokens.ListItem, o: MarkdownOptions): Piece[] {
  // Tight lists hold bare `text` tokens: render those inline, not as paragraphs.
  return item.tokens.map((t) =>
    t.type === 'text' ? inline((t as Tokens.Text).tokens ?? [t], o) : t.type === 'checkbox' ? nothing : block(t, o),
  ) as Piece[];
}

function table(token: Tokens.Table, o: MarkdownOptions): TemplateResult {
  return html`<div class="table"><table>
    <thead><tr>${token.header.map((c) => html`<th>${inline(c.tokens, o)}</th>`)}</tr></thead>
    <tbody>${token.rows.map((r) => html`<tr>${r.map((c) => html`<td>${inline(c.tokens, o)}</td>`)}</tr>`)}</tbody>
  </table></div>`;
}

function codeBlock(token: Tokens.Code, o: MarkdownOptions): TemplateResult {
  const lang = (token.lang ?? '').trim().split(/\s/)[0] ?? '';
  const text = token.text;
  return html`<div class="code">
    <div class="code-head"><span class="code-lang">${lang}</span><button type="button" class="copy"
      aria-label=${lang ? `${o.copyLabel} (${lang})` : o.copyLabel}
      @click=${() => o.onCopy?.(text)}>${o.copyLabel}</button></div>
    <pre><code>${text}</code></pre>
  </div>`;
}

function inline(tokens: readonly Token[] | undefined, o: MarkdownOptions): Piece[] {
  return (tokens ?? []).map((token) => {
    const t = token as Tokens.Generic;
    switch (token.type) {
      case 'text':
        return t.tokens ? html`${inline(t.tokens, o)}` : decodeEntities(t.text);
      case 'escape':
        return decodeEntities(t.text);
      case 'strong':
        return html`<strong>${inline(t.tokens, o)}</strong>`;
      case 'em':
        return html`<em>${inline(t.tokens, o)}</em>`;
      case 'del':
        return html`<del>${inline(t.tokens, o)}</del>`;
      case 'codespan':
        return html`<code>${decodeEntities(t.text)}</code>`;
      case 'br':
        return html`<br />`;
      case 'link': {
        const href = safeUrl(t.href, o.base, 'link');
        const content = inline(t.tokens, o);
        return href
          ? html`<a href=${href} target="_blank" rel="noopener noreferrer">${content}</a>`
          : html`<span class="unsafe-link">${content}</span>`;
      }
      case 'image': {
        const src = safeUrl(t.href, o.base, 'source');
        const alt = decodeEntities(t.text ?? '');
        return src ? html`<img src=${src} alt=${alt} loading="lazy" />` : alt;
      }
      case 'html':
        return t.text as string;
      case 'checkbox':
        return nothing;
      default:
        return typeof t.raw === 'string' ? t.raw : nothing;
    }
  });
}
