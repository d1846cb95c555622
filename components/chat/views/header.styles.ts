/** Styles of the panel header and its connection status strip. */
import { css } from 'lit';

export const headerStyles = css`
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
  [dir='rtl'] [part='sign-out'] .i {
    transform: scaleX(-1);
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
`;
