import { css } from 'lit';

/**
 * `<run-export>`: a row of buttons with a line of help under them. Colours and spacing are the lab's tokens
 * (custom properties inherited from the cell around it), with the tokens' values as fallbacks for standalone use.
 */
export const runExportStyles = css`
  :host {
    display: block;
    font-size: var(--lab-font-small, 0.85rem);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--lab-space-2, 0.5rem);
  }
  button {
    font: inherit;
    padding: 0.3rem 0.8rem;
    border-radius: var(--lab-radius, 6px);
    border: 1px solid var(--lab-control-border, #8c959f);
    background: var(--lab-surface, #f6f8fa);
    color: inherit;
    cursor: pointer;
  }
  button:hover:not(:disabled) {
    background: var(--lab-surface-hover, #eaeef2);
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  .hint,
  .note,
  .saved {
    margin: var(--lab-space-1, 0.25rem) 0 0;
    color: var(--lab-muted, #57606a);
  }
  .saved:empty {
    margin: 0;
  }
  code {
    font-family: var(--lab-font-mono, ui-monospace, monospace);
    overflow-wrap: anywhere;
  }
  .alert {
    margin: var(--lab-space-2, 0.5rem) 0 0;
    padding: 0.5rem 0.7rem;
    border-radius: var(--lab-radius, 6px);
    background: var(--lab-danger-bg, #ffebe9);
    border: 1px solid var(--lab-danger-border, #ffcecb);
    color: var(--lab-danger-text, #82071e);
  }
`;
