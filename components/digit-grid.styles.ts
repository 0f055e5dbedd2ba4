import { css } from 'lit';
import { tokens } from './styles/tokens';

/** <digit-grid>: a page of small digits with their labels; the selected one outlined in orange. */
export const digitGridStyles = [
  tokens,
  css`
  :host {
    display: block;
  }
  [role='grid'] {
    display: grid;
    gap: 4px;
    padding: 4px;
    border-radius: 8px;
    background: var(--lab-surface);
    outline: none;
  }
  /* Cells shrink on a narrow screen (a phone: about 26 px) so that a page of digits always fits. */
  [role='row'] {
    display: grid;
    grid-template-columns: repeat(var(--columns, 10), minmax(0, 42px));
    gap: 4px;
  }
  [role='gridcell'] {
    display: flex;
    flex-direction: column;
    align-items: center;
    padding: 2px 0 1px;
    border-radius: 5px;
    border: 2px solid transparent;
    cursor: pointer;
    font-size: 0.72rem;
    line-height: 1.1;
    color: var(--lab-muted);
  }
  [role='gridcell']:hover {
    border-color: var(--lab-control-border);
  }
  [role='gridcell']:focus-visible {
    outline: 3px solid var(--lab-accent-strong);
    outline-offset: 1px;
  }
  [role='gridcell'][aria-selected='true'] {
    border-color: var(--lab-highlight);
    background: color-mix(in srgb, var(--lab-highlight) 10%, var(--lab-cell-bg));
    color: var(--lab-text);
    font-weight: 600;
  }
  @media (max-width: 480px) {
    [role='grid'],
    [role='row'] {
      gap: 2px;
    }
  }
  [role='gridcell'].empty {
    cursor: default;
  }
  canvas.digit {
    width: min(34px, 100%);
    height: auto;
    aspect-ratio: 1;
    image-rendering: pixelated;
    border-radius: 2px;
  }
`,
];
