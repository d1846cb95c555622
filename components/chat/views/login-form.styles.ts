/** Styles of the built-in sign-in form (its layout is the shared `.pane`). */
import { css } from 'lit';

export const loginStyles = css`
  h3 {
    margin: 0 0 var(--_space);
    font-size: 16px;
  }
  .login label {
    font-size: 14px;
    font-weight: 600;
  }
  .error {
    color: var(--_danger);
    margin: 0;
  }
`;
