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

  clear(): void {
    this.#templates.clear();
  }
}
