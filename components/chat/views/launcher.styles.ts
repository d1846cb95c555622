/** Styles of the launcher button and its unread badge (where it sits is the panel's business). */
import { css } from 'lit';

export const launcherStyles = css`
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
`;
