/** Styles of the conversation list (its layout is the shared `.pane`). */
import { css } from 'lit';

export const conversationListStyles = css`
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
`;
