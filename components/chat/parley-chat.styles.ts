/** Styles of `<parley-chat>`: adopted stylesheets only (CSP `style-src 'self'` safe), themed by `--parley-*`. */
import { css } from 'lit';

export const styles = css`
  :host {
    --_accent: var(--parley-accent, #2563eb);
    --_accent-text: var(--parley-accent-text, #ffffff);
    --_bg: var(--parley-bg, #ffffff);
    --_surface: var(--parley-surface, #f1f3f6);
    --_text: var(--parley-text, #111827);
    --_muted: var(--parley-muted, #4b5563);
    --_border: var(--parley-border, #d1d5db);
    --_danger: var(--parley-danger, #b91c1c);
    --_radius: var(--parley-radius, 14px);
    --_space: var(--parley-spacing, 8px);
    --_z: var(--parley-z-index, 2147483000);
    --_width: var(--parley-width, 380px);
    --_height: var(--parley-height, 600px);
    font-family: var(--parley-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    font-size: 15px;
    line-height: 1.4;
    color: var(--_text);
    color-scheme: light;
  }
  :host([theme='dark']) {
    --_accent: var(--parley-accent, #60a5fa);
    --_accent-text: var(--parley-accent-text, #0b1220);
    --_bg: var(--parley-bg, #111827);
    --_surface: var(--parley-surface, #1f2937);
    --_text: var(--parley-text, #f3f4f6);
    --_muted: var(--parley-muted, #c0c7d2);
    --_border: var(--parley-border, #374151);
    --_danger: var(--parley-danger, #fca5a5);
    color-scheme: dark;
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      --_accent: var(--parley-accent, #60a5fa);
      --_accent-text: var(--parley-accent-text, #0b1220);
      --_bg: var(--parley-bg, #111827);
      --_surface: var(--parley-surface, #1f2937);
      --_text: var(--parley-text, #f3f4f6);
      --_muted: var(--parley-muted, #c0c7d2);
      --_border: var(--parley-border, #374151);
      --_danger: var(--parley-danger, #fca5a5);
      color-scheme: dark;
    }
  }
  * {
    box-sizing: border-box;
  }
  [hidden] {
    display: none !important;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  button {
    font: inherit;
    color: inherit;
    cursor: pointer;
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .launcher {
    position: fixed;
    z-index: var(--_z);
    width: 56px;
    height: 56px;
    border: none;
    border-radius: 50%;
    background: var(--_accent);
    color: var(--_accent-text);
    font-size: 24px;
    box-shadow: 0 4px 14px rgb(0 0 0 / 0.25);
    transition: transform 0.15s ease;
  }
  .launcher .i {
    width: 26px;
    height: 26px;
  }
  .i {
    display: block;
    margin: auto;
    flex: none;
  }
  [dir='rtl'] .send .i,
  [dir='rtl'] [part='sign-out'] .i {
    transform: scaleX(-1);
  }
  .file .i {
    display: inline-block;
    vertical-align: -4px;
    width: 16px;
    height: 16px;
  }
  .launcher:hover {
    transform: scale(1.05);
  }
  .badge {
    position: absolute;
    top: -4px;
    right: -4px;
    min-width: 20px;
    padding: 0 5px;
    border-radius: 10px;
    background: var(--_danger);
    color: #fff;
    font-size: 12px;
    line-height: 20px;
  }
  .panel {
    position: fixed;
    z-index: var(--_z);
    display: flex;
    flex-direction: column;
    width: min(var(--_width), calc(100vw - 32px));
    height: min(var(--_height), calc(100vh - 112px));
    background: var(--_bg);
    color: var(--_text);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-shadow: 0 12px 40px rgb(0 0 0 / 0.25);
    overflow: hidden;
    animation: parley-in 0.18s ease-out;
  }
  @keyframes parley-in {
    from {
      opacity: 0;
      transform: translateY(8px);
    }
  }
  :host([position='bottom-right']) .launcher,
  :host(:not([position])) .launcher {
    right: 20px;
    bottom: 20px;
  }
  :host([position='bottom-left']) .launcher {
    left: 20px;
    bottom: 20px;
  }
  :host([position='top-right']) .launcher {
    right: 20px;
    top: 20px;
  }
  :host([position='top-left']) .launcher {
    left: 20px;
    top: 20px;
  }
  :host([position='bottom-right']) .panel,
  :host(:not([position])) .panel {
    right: 16px;
    bottom: 88px;
  }
  :host([position='bottom-left']) .panel {
    left: 16px;
    bottom: 88px;
  }
  :host([position='top-right']) .panel {
    right: 16px;
    top: 88px;
  }
  :host([position='top-left']) .panel {
    left: 16px;
    top: 88px;
  }
  .header {
    display: flex;
    align-items: center;
    gap: var(--_space);
    padding: calc(var(--_space) * 1.5) calc(var(--_space) * 2);
    border-bottom: 1px solid var(--_border);
  }
  .title {
    flex: 1;
    min-width: 0;
  }
  h2 {
    margin: 0;
    font-size: 16px;
  }
  h3 {
    margin: 0 0 var(--_space);
    font-size: 16px;
  }
  .status {
    margin: 2px 0 0;
    font-size: 13px;
    color: var(--_muted);
    display: flex;
    align-items: center;
    gap: 6px;
  }
  .dot {
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: #9ca3af;
  }
  .status[data-state='open'] .dot {
    background: #16a34a;
  }
  .status[data-state='reconnecting'] .dot,
  .status[data-state='fallback'] .dot {
    background: #d97706;
  }
  .status[data-state='offline'] .dot,
  .status[data-state='closed'] .dot {
    background: var(--_danger);
  }
  .icon {
    border: none;
    background: transparent;
    min-width: 36px;
    height: 36px;
    border-radius: 8px;
    font-size: 18px;
  }
  .icon:hover {
    background: var(--_surface);
  }
  .link {
    border: none;
    background: none;
    padding: 0;
    color: var(--_accent);
    text-decoration: underline;
    font-size: inherit;
  }
  .primary {
    border: none;
    border-radius: 8px;
    padding: 10px 14px;
    background: var(--_accent);
    color: var(--_accent-text);
    font-weight: 600;
  }
  .primary[disabled] {
    opacity: 0.7;
  }
  .muted {
    color: var(--_muted);
  }
  .login,
  .conversations {
    display: flex;
    flex-direction: column;
    gap: var(--_space);
    padding: calc(var(--_space) * 2);
    overflow: auto;
    flex: 1;
  }
  .login label {
    font-size: 14px;
    font-weight: 600;
  }
  input,
  textarea {
    font: inherit;
    font-size: 16px;
    color: var(--_text);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: 8px;
    padding: 9px 10px;
  }
  .error {
    color: var(--_danger);
    margin: 0;
  }
  .conversations ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
  .conversation {
    display: grid;
    grid-template-columns: 1fr auto;
    width: 100%;
    text-align: start;
    border: 1px solid var(--_border);
    border-radius: 8px;
    background: var(--_bg);
    padding: 8px 10px;
    gap: 2px 8px;
  }
  .conversation[aria-current='true'] {
    border-color: var(--_accent);
  }
  .conversation-title {
    font-weight: 600;
  }
  .conversation-last {
    grid-column: 1;
    color: var(--_muted);
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  .conversation time {
    grid-row: 1;
    grid-column: 2;
    font-size: 12px;
    color: var(--_muted);
  }
  .log {
    flex: 1;
    overflow-y: auto;
    overflow-anchor: none;
    list-style: none;
    margin: 0;
    padding: calc(var(--_space) * 1.5);
    display: flex;
    flex-direction: column;
    gap: 2px;
    overscroll-behavior: contain;
  }
  .older,
  .empty {
    text-align: center;
    font-size: 13px;
    padding: var(--_space);
  }
  .message {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    max-width: 85%;
  }
  .message.start {
    margin-top: var(--_space);
  }
  .message.own {
    align-self: flex-end;
    align-items: flex-end;
  }
  .message[data-type='system'] {
    align-self: center;
    max-width: 100%;
    font-size: 13px;
    color: var(--_muted);
  }
  .meta {
    font-size: 12px;
    color: var(--_muted);
    margin: 0 4px 2px;
  }
  .sender {
    font-weight: 600;
  }
  .bubble {
    position: relative;
    padding: 7px 11px;
    border-radius: var(--_radius);
    background: var(--_surface);
    overflow-wrap: anywhere;
    min-width: 0;
    max-width: 100%;
  }
  .own .bubble {
    background: var(--_accent);
    color: var(--_accent-text);
  }
  .message[data-type='system'] .bubble {
    background: transparent;
    padding: 2px;
  }
  .message[data-status='pending'] .bubble {
    /* Not opacity: faded text would fail contrast. The clock tick says it is on its way. */
    box-shadow: inset 0 0 0 2px rgb(255 255 255 / 0.35);
  }
  .message[data-status='failed'] .bubble {
    background: transparent;
    color: var(--_text);
    border: 1px solid var(--_danger);
  }
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
  .image img {
    display: block;
    max-width: 220px;
    max-height: 220px;
    border-radius: 8px;
  }
  .file {
    color: inherit;
  }
  .size {
    font-size: 12px;
  }
  .ticks {
    margin-inline-start: 6px;
    font-size: 11px;
  }
  .ticks.read {
    font-weight: 700;
  }
  .failed {
    display: flex;
    gap: 8px;
    font-size: 12px;
    color: var(--_danger);
    margin-top: 2px;
  }
  .typing {
    min-height: 20px;
    padding: 0 calc(var(--_space) * 2);
    font-size: 13px;
    color: var(--_muted);
    font-style: italic;
  }
  .prompts {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    padding: 0 calc(var(--_space) * 1.5) var(--_space);
  }
  .chip {
    border: 1px solid var(--_accent);
    border-radius: 999px;
    background: transparent;
    color: var(--_text);
    padding: 5px 12px;
    font-size: 14px;
  }
  .uploads {
    list-style: none;
    margin: 0;
    padding: 0 calc(var(--_space) * 1.5);
  }
  .upload {
    display: flex;
    align-items: center;
    gap: 8px;
    font-size: 13px;
  }
  .upload-name {
    flex: 1;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .upload.error {
    color: var(--_danger);
  }
  .composer {
    display: flex;
    align-items: flex-end;
    gap: 6px;
    padding: var(--_space) calc(var(--_space) * 1.5);
    border-top: 1px solid var(--_border);
  }
  .composer textarea {
    flex: 1;
    resize: none;
    min-height: 40px;
    max-height: 140px;
    field-sizing: content;
    font-size: max(16px, 1em);
  }
  .file-input {
    display: none;
  }
  .send {
    border: none;
    border-radius: 50%;
    width: 40px;
    height: 40px;
    background: var(--_accent);
    color: var(--_accent-text);
    font-size: 16px;
  }
  .drop-hint {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    background: rgb(37 99 235 / 0.15);
    border: 2px dashed var(--_accent);
    border-radius: var(--_radius);
    font-weight: 600;
    pointer-events: none;
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    .panel,
    .launcher {
      animation: none !important;
      transition: none !important;
      scroll-behavior: auto !important;
    }
  }
  @media (max-width: 480px) {
    .panel {
      width: calc(100vw - 16px);
      height: calc(100vh - 96px);
    }
    :host([position]) .panel {
      left: 8px;
      right: 8px;
    }
  }
`;
