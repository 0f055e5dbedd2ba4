import { css } from 'lit';

/** One convolution layer's filters: a heading with the input-channel choice, a colour legend, the kernel grid. */
export const filterLayerStyles = css`
  :host {
    display: block;
    margin: var(--lab-space-4) 0 1.5rem;
  }
  h3 {
    font-size: 1rem;
    margin: 0 0 0.4rem;
  }
  .layer-head {
    display: flex;
    flex-wrap: wrap;
    gap: var(--lab-space-2) 1.25rem;
    align-items: baseline;
    margin-bottom: var(--lab-space-2);
  }
  .layer-head label {
    font-size: 0.9rem;
  }
  .grid {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  figure {
    margin: 0;
    text-align: center;
  }
  figcaption {
    font-size: var(--lab-font-tiny);
    color: var(--lab-muted);
  }
  canvas {
    width: 48px;
    height: 48px;
    image-rendering: pixelated;
    border: 1px solid var(--lab-border);
    border-radius: 3px;
    display: block;
  }
  .legend {
    display: flex;
    align-items: center;
    gap: var(--lab-space-2);
    font-size: 0.8rem;
    color: var(--lab-muted);
    font-variant-numeric: tabular-nums;
  }
  .legend rect {
    stroke: var(--lab-border);
  }
  .legend line {
    stroke: var(--lab-muted);
  }
  figure.highlight canvas {
    outline: 3px solid var(--lab-accent);
    outline-offset: 1px;
  }
  figure.highlight figcaption {
    color: var(--lab-accent);
    font-weight: 600;
  }
  .explain {
    font-size: var(--lab-font-small);
    color: var(--lab-muted);
    margin: var(--lab-space-1) 0 0;
  }
  /* A finger needs a target of at least 44 px (WCAG 2.5.5). */
  @media (pointer: coarse) {
    select {
      min-height: 44px;
    }
  }
`;
