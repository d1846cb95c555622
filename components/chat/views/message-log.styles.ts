/** Styles of the message log (the scrolling list, its loading and empty rows) and the typing line. */
import { css } from 'lit';

export const messageLogStyles = css`
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
  .typing {
    min-height: 20px;
    padding: 0 calc(var(--_space) * 2);
    font-size: 13px;
    color: var(--_muted);
    font-style: italic;
  }
`;
