import { css } from 'lit';
import { tokens } from './styles/tokens';

/** <digit-prediction>: the answer in large type over ten confidence bars, the top one in the accent colour. */
export const digitPredictionStyles = [
  tokens,
  css`
    :host {
      display: block;
    }
    .big {
      font-size: 1.1rem;
      margin: 0 0 0.6rem;
      min-height: 1.6em;
    }
    .big strong {
      font-size: 2rem;
      vertical-align: middle;
      margin: 0 0.2rem;
    }
    .bars {
      display: grid;
      grid-template-columns: minmax(1.2rem, max-content) 1fr 3.5rem;
      gap: 3px 0.5rem;
      align-items: center;
      font-variant-numeric: tabular-nums;
      font-size: 0.9rem;
    }
    /* A taught class's name (up to 24 characters) gets at most a third of the row. */
    .name {
      max-width: 8rem;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .bar {
      height: 0.9rem;
      background: var(--lab-surface-hover);
      border-radius: 3px;
      overflow: hidden;
    }
    .bar > span {
      display: block;
      height: 100%;
      background: var(--lab-control-border);
      transition: width 80ms linear;
    }
    .bar.top > span {
      background: var(--lab-accent);
    }
    .pct {
      text-align: right;
      color: var(--lab-muted);
    }
    .not-digit {
      font-weight: 600;
      color: var(--lab-danger);
    }
    .guess,
    .why {
      color: var(--lab-muted);
      font-size: var(--lab-font-small);
    }
    .why {
      margin: -0.3rem 0 0.6rem;
      max-width: 30rem;
    }
    .bars.unsure {
      opacity: 0.5;
    }
  `,
];
