import { css } from 'lit';

/** Ten labelled bars, the top one in the accent colour. */
export const classProbabilitiesStyles = css`
  :host {
    display: block;
  }
  .probs {
    display: grid;
    grid-template-columns: 1.2rem minmax(0, 320px) 3.5rem;
    gap: 2px var(--lab-space-2);
    align-items: center;
    font-size: var(--lab-font-small);
    font-variant-numeric: tabular-nums;
  }
  .bar {
    height: 0.8rem;
    background: var(--lab-surface-hover);
    border-radius: 3px;
    overflow: hidden;
  }
  .bar span {
    display: block;
    height: 100%;
    background: var(--lab-control-border);
  }
  .bar.top span {
    background: var(--lab-accent);
  }
`;
