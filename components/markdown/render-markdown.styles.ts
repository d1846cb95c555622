/** Styles of a rendered message body (`renderMarkdown`): paragraphs, lists, inline and fenced code, tables. */
import { css } from 'lit';

export const markdownStyles = css`
  .body > :first-child {
    margin-top: 0;
  }
  .body > :last-child {
    margin-bottom: 0;
  }
  .body p,
  .body ul,
  .body ol,
  .body blockquote {
    margin: 0 0 6px;
  }
  .body ul,
  .body ol {
    padding-inline-start: 20px;
  }
  .body a {
    color: inherit;
  }
  .body img {
    max-width: 100%;
  }
  .body code {
    font-family: ui-monospace, Menlo, Consolas, monospace;
    font-size: 0.9em;
    background: rgb(0 0 0 / 0.08);
    border-radius: 4px;
    padding: 0 3px;
  }
  .code {
    margin: 6px 0;
    border-radius: 8px;
    background: #0f172a;
    color: #e2e8f0;
    overflow: hidden;
  }
  .code-head {
    display: flex;
    justify-content: space-between;
    align-items: center;
    padding: 2px 8px;
    font-size: 12px;
    background: #1e293b;
  }
  .copy {
    border: none;
    background: none;
    color: #e2e8f0;
    font-size: 12px;
    padding: 4px;
  }
  .code pre {
    direction: ltr;
    text-align: left;
    unicode-bidi: isolate;
    margin: 0;
    padding: 8px;
    overflow-x: auto;
  }
  .code pre code {
    background: none;
    padding: 0;
  }
  .table {
    overflow-x: auto;
  }
  table {
    border-collapse: collapse;
  }
  th,
  td {
    border: 1px solid var(--_border);
    padding: 2px 6px;
  }
`;
