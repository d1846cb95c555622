/**
 * Rendered message bodies by text: re-rendering the log (every new message, every scroll step)
 * does not lex the same Markdown again. Bounded; cleared when the base URL or the language changes.
 */
import type { TemplateResult } from 'lit';
import { renderMarkdown, type MarkdownOptions } from '../markdown/render-markdown.js';

const MAX_ENTRIES = 1000;

export class MarkdownCache {
  #templates = new Map<string, TemplateResult>();

  constructor(private readonly options: () => MarkdownOptions) {}

  render(text: string): TemplateResult {
    let template = this.#templates.get(text);
    if (!template) {
      if (this.#templates.size > MAX_ENTRIES) this.#templates.clear();
      template = renderMarkdown(text, this.options());
      this.#templates.set(text, template);
    }
    return template;
  }

  /**
   * Renders a text that is still growing (a streamed reply), without keeping it: every delta makes a
   * new text, and only the final one is worth a cache entry. Lit updates the blocks in place, so
   * the bubble grows without flicker; an unclosed code fence already renders as code.
   */
  renderLive(text: string): TemplateResult {
    return renderMarkdown(text, this.options());
  }

  clear(): void {
    this.#templates.clear();
  }
}
