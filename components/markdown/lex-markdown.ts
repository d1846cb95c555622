/**
 * A small Markdown lexer for chat messages: CommonMark's common subset plus GFM strikethrough,
 * tables and bare URLs. It only splits text into tokens; `render-markdown.ts` turns them into Lit
 * templates, so nothing here decides what is safe. Raw HTML stays text (no HTML token exists).
 *
 * Why not marked's lexer: marked is 15 KB gzip on its own, which puts `dist/parley.js` over its
 * 45 KB budget once the client is inside (measured: 51 KB). This file is about 1.5 KB.
 */

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'strong' | 'em' | 'del'; tokens: Inline[] }
  | { type: 'codespan'; text: string }
  | { type: 'br' }
  | { type: 'link'; href: string; tokens: Inline[] }
  | { type: 'image'; href: string; text: string };

export type Block =
  | { type: 'paragraph'; tokens: Inline[] }
  | { type: 'heading'; depth: number; tokens: Inline[] }
  | { type: 'code'; lang: string; text: string }
  | { type: 'blockquote'; tokens: Block[] }
  | { type: 'hr' }
  | { type: 'list'; ordered: boolean; start: number; items: ListItem[] }
  | { type: 'table'; header: Inline[][]; rows: Inline[][][] };

export interface ListItem {
  /** `null` for a plain item, else whether its `[ ]` / `[x]` box is checked. */
  checked: boolean | null;
  tokens: Block[];
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;
const HEADING = /^ {0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$/;
const HR = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const QUOTE = /^ {0,3}> ?/;
const BULLET = /^( {0,3})([-*+•]|(\d{1,9})[.)])(?:[ \t]+|$)/;
const TABLE_DELIMITER = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/** Splits Markdown `text` into block tokens. */
export function lexMarkdown(text: string): Block[] {
  return blocks(text.replace(/\r\n?/g, '\n').split('\n'));
}

function startsBlock(line: string): boolean {
  return FENCE.test(line) || HEADING.test(line) || HR.test(line) || QUOTE.test(line) || BULLET.test(line);
}

function blocks(lines: string[]): Block[] {
  const out: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    let m: RegExpExecArray | null;
    if (!line.trim()) {
      i++;
    } else if ((m = FENCE.exec(line))) {
      const fence = m[1]!;
      const body: string[] = [];
      for (i++; i < lines.length && !lines[i]!.trim().startsWith(fence); i++) body.push(lines[i]!);
      i++;
      out.push({ type: 'code', lang: m[2] ?? '', text: body.join('\n') });
    } else if ((m = HEADING.exec(line))) {
      out.push({ type: 'heading', depth: m[1]!.length, tokens: inline(m[2] ?? '') });
      i++;
    } else if (HR.test(line)) {
      out.push({ type: 'hr' });
      i++;
    } else if (QUOTE.test(line)) {
      const body: string[] = [];
      for (; i < lines.length && lines[i]!.trim() && (QUOTE.test(lines[i]!) || !startsBlock(lines[i]!)); i++) {
        body.push(lines[i]!.replace(QUOTE, ''));
      }
      out.push({ type: 'blockquote', tokens: blocks(body) });
    } else if ((m = BULLET.exec(line))) {
      i = list(lines, i, out);
    } else if (line.includes('|') && TABLE_DELIMITER.test(lines[i + 1] ?? '') && (lines[i + 1] ?? '').includes('-')) {
      const rows: Inline[][][] = [];
      const header = cells(line);
      for (i += 2; i < lines.length && lines[i]!.includes('|') && lines[i]!.trim(); i++) rows.push(cells(lines[i]!));
      out.push({ type: 'table', header, rows });
    } else {
      const para: string[] = [];
      for (; i < lines.length && lines[i]!.trim() && (para.length === 0 || !startsBlock(lines[i]!)); i++)
        para.push(lines[i]!.trim());
      out.push({ type: 'paragraph', tokens: inline(para.join('\n')) });
    }
  }
  return out;
}

/** Reads a list starting at `lines[start]`; returns the index after it. */
function list(lines: string[], start: number, out: Block[]): number {
  const first = BULLET.exec(lines[start]!)!;
  const ordered = first[3] !== undefined;
  const items: ListItem[] = [];
  let i = start;
  while (i < lines.length) {
    const m = BULLET.exec(lines[i]!);
    if (!m || (m[3] !== undefined) !== ordered) break;
    const indent = m[0].length;
    const body = [lines[i]!.slice(indent)];
    for (i++; i < lines.length; i++) {
      const next = lines[i]!;
      const blank = !next.trim();
      const indented = /^\s*/.exec(next)![0].length >= Math.min(indent, 4);
      if (blank) {
        if (i + 1 < lines.length && /^\s+\S/.test(lines[i + 1]!) && !BULLET.test(lines[i + 1]!.trimStart()))
          body.push('');
        else break;
      } else if (indented) body.push(next.slice(Math.min(indent, /^\s*/.exec(next)![0].length)));
      else if (!startsBlock(next)) body.push(next);
      else break;
    }
    const task = /^\[([ xX])\]\s+/.exec(body[0]!);
    if (task) body[0] = body[0]!.slice(task[0].length);
    items.push({ checked: task ? task[1] !== ' ' : null, tokens: blocks(body) });
    while (i < lines.length && !lines[i]!.trim() && BULLET.test(lines[i + 1] ?? '')) i++;
  }
  out.push({ type: 'list', ordered, start: ordered ? Number(first[3]) : 1, items });
  return i;
}

function cells(row: string): Inline[][] {
  return row
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => inline(cell.trim()));
}

const PUNCTUATION = /[!-/:-@[-`{-~]/;
const AUTOLINK = /^<([a-z][a-z0-9+.-]{1,31}:[^\s<>]*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)>/i;
const BARE_URL = /^(?:https?:\/\/|www\.)[^\s<]*[^\s<?!.,:;*_~'")\]]/i;

/** Splits one paragraph's text into inline tokens. */
export function inline(src: string): Inline[] {
  const out: Inline[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ type: 'text', text });
    text = '';
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    const rest = src.slice(i);
    let m: RegExpExecArray | null;
    if (c === '\\' && PUNCTUATION.test(src[i + 1] ?? '')) {
      text += src[i + 1];
      i += 2;
    } else if (c === '\\' && src[i + 1] === '\n') {
      flush();
      out.push({ type: 'br' });
      i += 2;
    } else if (c === '\n') {
      flush();
      out.push({ type: 'br' });
      i++;
    } else if (c === '`') {
      const run = /^`+/.exec(rest)![0];
      const end = src.indexOf(run, i + run.length);
      if (end < 0) {
        text += run;
        i += run.length;
      } else {
        let code = src.slice(i + run.length, end).replace(/\n/g, ' ');
        if (/^ .*[^ ].* $/.test(code)) code = code.slice(1, -1);
        flush();
        out.push({ type: 'codespan', text: code });
        i = end + run.length;
      }
    } else if ((c === '[' || (c === '!' && src[i + 1] === '[')) && (m = link(src, c === '!' ? i + 1 : i))) {
      flush();
      const label = src.slice(c === '!' ? i + 2 : i + 1, m.index);
      out.push(
        c === '!' ? { type: 'image', href: m[1]!, text: label } : { type: 'link', href: m[1]!, tokens: inline(label) },
      );
      i = m.index + m[0].length;
    } else if (c === '<' && (m = AUTOLINK.exec(rest))) {
      flush();
      const href = m[1]!.includes(':') ? m[1]! : `mailto:${m[1]}`;
      out.push({ type: 'link', href, tokens: [{ type: 'text', text: m[1]! }] });
      i += m[0].length;
    } else if ((c === 'h' || c === 'w') && !/\w/.test(src[i - 1] ?? '') && (m = BARE_URL.exec(rest))) {
      flush();
      out.push({
        type: 'link',
        href: m[0].startsWith('www.') ? `https://${m[0]}` : m[0],
        tokens: [{ type: 'text', text: m[0] }],
      });
      i += m[0].length;
    } else if ((c === '*' || c === '_' || c === '~') && (m = emphasis(src, i))) {
      flush();
      const kind = c === '~' ? 'del' : m[1]!.length >= 2 ? 'strong' : 'em';
      out.push({ type: kind, tokens: inline(m[2]!) });
      i += m[0].length;
    } else {
      text += c;
      i++;
    }
  }
  flush();
  return out;
}

/**
 * `[label](destination "title")` starting at `open` (the `[`). Returns a match whose `index` is the
 * closing `]`, `[0]` the `](...)` part and `[1]` the destination, or null.
 */
function link(src: string, open: number): RegExpExecArray | null {
  let depth = 0;
  for (let j = open; j < src.length; j++) {
    const ch = src[j];
    if (ch === '\\') j++;
    else if (ch === '[') depth++;
    else if (ch === ']' && --depth === 0) {
      const m =
        /^\]\(\s*(<[^<>\n]*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))*)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/.exec(
          src.slice(j),
        );
      if (!m) return null;
      m[1] = m[1]!.replace(/^<|>$/g, '').replace(/\\([!-/:-@[-`{-~])/g, '$1');
      m.index = j;
      return m;
    }
  }
  return null;
}

/** `**strong**`, `*em*`, `__strong__`, `_em_` or `~~del~~` at `i`; `[1]` is the delimiter, `[2]` the content. */
function emphasis(src: string, i: number): RegExpExecArray | null {
  const c = src[i]!;
  if (c === '_' && /\w/.test(src[i - 1] ?? '')) return null;
  const e = c === '*' ? '\\*' : c;
  const re =
    c === '~'
      ? /^(~~)(?!\s)([\s\S]*?\S)~~/
      : new RegExp(`^(${e}${e}|${e})(?!\\s|${e})([\\s\\S]*?[^\\s\\\\])\\1${c === '_' ? '(?!\\w)' : ''}`);
  const m = re.exec(src.slice(i));
  // `**a*` must not close early as em with a stray delimiter inside.
  return m && !(m[1]!.length === 1 && m[2]!.endsWith(c)) ? m : null;
}
