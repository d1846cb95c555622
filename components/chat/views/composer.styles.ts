/** Styles of the composer: prompt chips, uploads in progress, the textarea and its buttons. */
import { css } from 'lit';

export const composerStyles = css`
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
  [dir='rtl'] .send .i {
    transform: scaleX(-1);
  }
`;
