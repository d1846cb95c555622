/**
 * Styles of `<parley-chat>`: adopted stylesheets only (CSP `style-src 'self'` safe), themed by
 * `--parley-*`. This file holds the shell (theme tokens, shared controls, the panel and where it
 * sits); each view brings its own sheet, and `styles` lists them all for `static styles`.
 */
import { css } from 'lit';
import { markdownStyles } from '../markdown/render-markdown.styles.js';
import { composerStyles } from './views/composer.styles.js';
import { conversationListStyles } from './views/conversation-list.styles.js';
import { headerStyles } from './views/header.styles.js';
import { launcherStyles } from './views/launcher.styles.js';
import { loginStyles } from './views/login-form.styles.js';
import { messageBubbleStyles } from './views/message-bubble.styles.js';
import { messageLogStyles } from './views/message-log.styles.js';

/** The dark palette: used by `theme="dark"` and by `theme="auto"` under a dark `prefers-color-scheme`. */
const darkTokens = css`
  --_accent: var(--parley-accent, #60a5fa);
  --_accent-text: var(--parley-accent-text, #0b1220);
  --_bg: var(--parley-bg, #111827);
  --_surface: var(--parley-surface, #1f2937);
  --_text: var(--parley-text, #f3f4f6);
  --_muted: var(--parley-muted, #c0c7d2);
  --_border: var(--parley-border, #374151);
  --_danger: var(--parley-danger, #fca5a5);
  color-scheme: dark;
`;

const themeStyles = css`
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
    ${darkTokens}
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${darkTokens}
    }
  }
`;

/** Controls shared by several views: icons, icon buttons, link buttons, the primary button, fields. */
const controlStyles = css`
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
  .i {
    display: block;
    margin: auto;
    flex: none;
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
`;

/**
 * The panel, and where it and the launcher sit: one rule per edge serves both (the launcher 20px
 * from the corner, the panel 16px in and clear of the launcher).
 */
const panelStyles = css`
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
  .launcher {
    --_side: 20px;
    --_end: 20px;
  }
  .panel {
    --_side: 16px;
    --_end: 88px;
  }
  :host(:not([position^='top'])) :is(.launcher, .panel) {
    bottom: var(--_end);
  }
  :host([position^='top']) :is(.launcher, .panel) {
    top: var(--_end);
  }
  :host(:not([position$='left'])) :is(.launcher, .panel) {
    right: var(--_side);
  }
  :host([position$='left']) :is(.launcher, .panel) {
    left: var(--_side);
  }
  /* A full-panel view that scrolls as a whole (sign-in, conversation list). */
  .pane {
    display: flex;
    flex-direction: column;
    gap: var(--_space);
    padding: calc(var(--_space) * 2);
    overflow: auto;
    flex: 1;
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

/** Everything `<parley-chat>` adopts, in cascade order. */
export const styles = [
  themeStyles,
  controlStyles,
  launcherStyles,
  panelStyles,
  headerStyles,
  loginStyles,
  conversationListStyles,
  messageLogStyles,
  messageBubbleStyles,
  markdownStyles,
  composerStyles,
];
