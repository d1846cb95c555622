/** Styles of one message: grouping, the bubble by type and status, attachments, ticks, Retry. */
import { css } from 'lit';

export const messageBubbleStyles = css`
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
  /* A streamed reply being written: a caret after its last block (static: no motion needed). */
  .message[data-stream='streaming'] .body > :last-child::after,
  .caret::after {
    content: '▍';
    margin-inline-start: 1px;
    color: var(--_muted);
  }
  .stream-end {
    margin-top: 4px;
    font-size: 12px;
    font-style: italic;
    color: var(--_muted);
  }
  .stream-end.failed {
    color: var(--_danger);
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
  .file .i {
    display: inline-block;
    vertical-align: -4px;
    width: 16px;
    height: 16px;
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
`;
