import { css } from 'lit';
import { visuallyHiddenStyles } from './styles/controls.styles';
import { tokens } from './styles/tokens';

/** <digit-detail>: the enlarged digit with its pixel read-out. */
export const digitDetailStyles = [
  tokens,
  visuallyHiddenStyles,
  css`
  :host {
    display: flex;
    flex-direction: column;
    gap: 0.4rem;
  }
  h3 {
    margin: 0;
    font-size: 1.05rem;
  }
  canvas.large {
    width: 224px;
    height: 224px;
    border-radius: 4px;
    cursor: crosshair;
    touch-action: none;
  }
  .readout {
    font-variant-numeric: tabular-nums;
    min-height: 1.5em;
    margin: 0;
  }
  .hint,
  .muted {
    color: var(--lab-muted);
    font-size: var(--lab-font-small);
    margin: 0;
  }
`,
];
