import { css } from 'lit';
import { partStyles } from './styles/controls.styles';

/** `<run-export>`: a row of buttons with a line of help under them, on the lab's shared controls. */
export const runExportStyles = [
  ...partStyles,
  css`
    :host {
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
