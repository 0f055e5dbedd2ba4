import { css } from 'lit';
import { buttonStyles, noteStyles } from './styles/controls.styles';
import { tokens } from './styles/tokens';

/** `<run-export>`: a row of buttons with a line of help under them, on the lab's shared controls. */
export const runExportStyles = [
  tokens,
  buttonStyles,
  noteStyles,
  css`
    :host {
      display: block;
      font-size: var(--lab-font-small);
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: var(--lab-space-2);
    }
    .hint,
    .saved {
      margin: var(--lab-space-1) 0 0;
      color: var(--lab-muted);
    }
    .saved:empty {
      margin: 0;
    }
    code {
      font-family: var(--lab-font-mono);
      overflow-wrap: anywhere;
    }
  `,
];
